import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

/**
 * Imports point down only (docs: architecture.md): a shell (server, cli, web) may use what lies
 * below it, never the other way round, and the core imports nothing with I/O. This test reads the
 * import specifiers of every file under src/ with TypeScript's own pre-processor, so comments and
 * strings never count, and dynamic `import()` and `export … from` do.
 */

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const sourceRoot = join(repositoryRoot, 'src');

type Layer = 'core' | 'store' | 'app' | 'contract' | 'server' | 'cli' | 'web';

interface LayerRule {
  /** Folders of the repository this layer may import from (its own folder always allowed). */
  readonly folders: readonly string[];
  /** Whether Node's built-in modules (node:fs, node:crypto …) are allowed. */
  readonly nodeBuiltins: boolean;
  /** npm packages this layer may not import; `*` forbids every package not in `onlyPackages`. */
  readonly bannedPackages: readonly string[];
  /** When set, the only npm packages this layer may import. */
  readonly onlyPackages?: readonly string[];
}

const databasePackages = ['kysely', 'pg', 'better-sqlite3'];
const httpPackages = ['fastify', '@fastify/', 'fastify-plugin'];
const browserPackages = ['react', 'react-dom', 'vite', '@vitejs/'];

const layerRules: Readonly<Record<Layer, LayerRule>> = {
  // Pure domain: currency-codes is data (the ISO 4217 list); csv-parse's sync API is a pure
  // string-to-rows function (the ECB rate files); nothing else comes in.
  core: {
    folders: ['core'],
    nodeBuiltins: false,
    bannedPackages: ['*'],
    onlyPackages: ['currency-codes', 'csv-parse'],
  },
  store: {
    folders: ['store', 'core'],
    nodeBuiltins: true,
    bannedPackages: [...httpPackages, ...browserPackages],
  },
  // Use cases reach the database only through repositories: no SQL builder, no driver here.
  app: {
    folders: ['app', 'core', 'store'],
    nodeBuiltins: true,
    bannedPackages: [...databasePackages, ...httpPackages, ...browserPackages, 'commander'],
  },
  // The contract is shared with the browser: schemas only, no Node, no I/O.
  contract: {
    folders: ['contract', 'core'],
    nodeBuiltins: false,
    bannedPackages: [...databasePackages, ...httpPackages, ...browserPackages],
  },
  server: {
    folders: ['server', 'app', 'core', 'store', 'contract'],
    nodeBuiltins: true,
    bannedPackages: [...browserPackages, 'commander'],
  },
  // The CLI also reads the contract: one contract drives every shell (style.md, practice 14).
  cli: {
    folders: ['cli', 'app', 'core', 'store', 'server', 'contract', 'demo'],
    nodeBuiltins: true,
    bannedPackages: [...browserPackages],
  },
  // The browser sees the API through the contract only; the domain reaches it through the contract.
  web: {
    folders: ['web', 'contract'],
    nodeBuiltins: false,
    bannedPackages: [...databasePackages, ...httpPackages],
  },
};

const layers = Object.keys(layerRules) as Layer[];
const builtins = new Set(builtinModules);

function isNodeBuiltin(specifier: string): boolean {
  return (
    specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0] ?? '')
  );
}

/** The npm package a bare specifier names: `@fastify/cookie` → `@fastify/cookie`, `pg/lib` → `pg`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function packageBanned(rule: LayerRule, name: string): boolean {
  if (rule.onlyPackages) return !rule.onlyPackages.includes(name);
  return rule.bannedPackages.some((banned) =>
    banned.endsWith('/') ? name.startsWith(banned) : name === banned,
  );
}

/** Every import specifier of a file: static, type-only, re-exports, side-effect and dynamic imports. */
function importSpecifiers(content: string): string[] {
  const info = ts.preProcessFile(content, true, true);
  return info.importedFiles.map((file) => file.fileName);
}

/**
 * The violations of one file, given its path relative to src/ with forward slashes
 * (`core/money/money.ts`) and its content.
 */
function checkImports(file: string, content: string): string[] {
  const [top = '', ...rest] = file.split('/');
  if (!rest.length || !layers.includes(top as Layer)) {
    return [`${file}: lies in no layer folder of src/ (${layers.join(', ')})`];
  }
  const layer = top as Layer;
  const rule = layerRules[layer];
  const violations: string[] = [];
  for (const specifier of importSpecifiers(content)) {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      // Resolved against src/ as root, so '../../demo' from src/cli lands on '../demo'.
      const target = posix.normalize(posix.join('src', posix.dirname(file), specifier));
      const [root = '', folder = ''] = target.split('/');
      const targetFolder = root === 'src' ? folder : root;
      if (targetFolder !== layer && !rule.folders.includes(targetFolder)) {
        violations.push(`${file}: ${layer} may not import from ${targetFolder || target} ('${specifier}')`);
      }
    } else if (isNodeBuiltin(specifier)) {
      if (!rule.nodeBuiltins)
        violations.push(`${file}: ${layer} may not import the Node built-in '${specifier}'`);
    } else if (packageBanned(rule, packageOf(specifier))) {
      violations.push(`${file}: ${layer} may not import the package '${specifier}'`);
    }
  }
  return violations;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('import direction', () => {
  const files = sourceFiles(sourceRoot);

  test('finds the source files of every layer that exists', () => {
    expect(files.length).toBeGreaterThan(10);
    const found = new Set(files.map((path) => relative(sourceRoot, path).split(sep)[0]));
    for (const layer of ['core', 'store', 'app', 'contract', 'server', 'cli'] as const) {
      expect(found.has(layer), layer).toBe(true);
    }
  });

  test('every file of src/ imports only from the layers below it', () => {
    const violations = files.flatMap((path) =>
      checkImports(relative(sourceRoot, path).split(sep).join('/'), readFileSync(path, 'utf8')),
    );
    expect(violations).toEqual([]);
  });

  test('the rules of each layer name only layers that exist', () => {
    for (const layer of layers) {
      for (const folder of layerRules[layer].folders) {
        expect([...layers, 'demo'], `${layer} → ${folder}`).toContain(folder);
      }
    }
  });
});

describe('the import checker itself', () => {
  test('reads static, type-only, side-effect, re-export and dynamic imports, and no comments', () => {
    const content = [
      "import { Money } from '../money/money.ts';",
      "import type { Store } from '../../store/unit-of-work.ts';",
      'import {',
      '  a,',
      '  b,',
      "} from 'kysely';",
      "import 'node:fs';",
      "export { x } from './x.ts';",
      "export * from './y.ts';",
      "const later = await import('fastify');",
      "// import { gone } from 'react';",
      'const text = \'import nothing from "pg"\';',
    ].join('\n');
    expect(importSpecifiers(content)).toEqual([
      '../money/money.ts',
      '../../store/unit-of-work.ts',
      'kysely',
      'node:fs',
      './x.ts',
      './y.ts',
      'fastify',
    ]);
  });

  test('catches a core file that imports the store, a database driver, Node and a clock of the app', () => {
    const violations = checkImports(
      'core/money/money.ts',
      [
        "import { Store } from '../../store/unit-of-work.ts';",
        "import pg from 'pg';",
        "import { readFileSync } from 'node:fs';",
        "import { createHash } from 'crypto';",
        "export { now } from '../../app/context.ts';",
        "const react = await import('react');",
        "import currencyCodes from 'currency-codes';",
        "import { Failure } from '../errors.ts';",
      ].join('\n'),
    );
    expect(violations).toEqual([
      "core/money/money.ts: core may not import from store ('../../store/unit-of-work.ts')",
      "core/money/money.ts: core may not import the package 'pg'",
      "core/money/money.ts: core may not import the Node built-in 'node:fs'",
      "core/money/money.ts: core may not import the Node built-in 'crypto'",
      "core/money/money.ts: core may not import from app ('../../app/context.ts')",
      "core/money/money.ts: core may not import the package 'react'",
    ]);
  });

  test('catches each upward import of the other layers', () => {
    expect(checkImports('store/x.repository.ts', "import { a } from '../app/context.ts';")).toHaveLength(1);
    expect(checkImports('store/x.repository.ts', "import f from 'fastify';")).toHaveLength(1);
    expect(checkImports('app/x.ts', "import { a } from '../server/app.ts';")).toHaveLength(1);
    expect(checkImports('app/x.ts', "import { sql } from 'kysely';")).toHaveLength(1);
    expect(checkImports('contract/x.ts', "import { a } from '../store/page.ts';")).toHaveLength(1);
    expect(checkImports('server/x.ts', "import { a } from '../cli/main.ts';")).toHaveLength(1);
    expect(checkImports('server/x.ts', "import { demoData } from '../../demo/demo-data.ts';")).toHaveLength(
      1,
    );
    expect(checkImports('cli/x.ts', "import { a } from '../web/main.tsx';")).toHaveLength(1);
    expect(checkImports('web/x.tsx', "import { Money } from '../core/money/money.ts';")).toHaveLength(1);
    expect(checkImports('web/x.tsx', "import { Store } from '../store/index.ts';")).toHaveLength(1);
    expect(checkImports('web/x.tsx', "import { x } from '../../test/support/api.ts';")).toHaveLength(1);
    expect(checkImports('loose.ts', '')).toHaveLength(1);
  });

  test('accepts the imports the architecture allows', () => {
    expect(checkImports('cli/main.ts', "import { demoData } from '../../demo/demo-data.ts';")).toEqual([]);
    expect(checkImports('server/app.ts', "import cookie from '@fastify/cookie';")).toEqual([]);
    expect(
      checkImports('web/api/client.ts', "import type { RequirementJson } from '../../contract/index.ts';"),
    ).toEqual([]);
    expect(checkImports('store/dialect/sqlite.ts', "import SqliteDatabase from 'better-sqlite3';")).toEqual(
      [],
    );
    expect(checkImports('app/context.ts', "import { createHash } from 'node:crypto';")).toEqual([]);
  });
});
