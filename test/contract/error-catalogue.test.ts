import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-codes.ts';
import { ErrorCatalogue, errorCodes } from '../../src/core/errors.ts';
import { httpStatusOf, problemOf } from '../../src/server/http-errors.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const docsPath = `${repositoryRoot}docs/errors.md`;

/** What docs/errors.md says about each code: its row in the catalogue table, and its own section. */
interface DocumentedCodes {
  readonly table: ReadonlyMap<string, { readonly httpStatus: number; readonly exitCode: number }>;
  readonly sections: ReadonlyMap<string, string>;
}

/**
 * Reads the two shapes docs/errors.md promises: table rows `| \`CODE\` | 422 | 3 |` and one
 * `### CODE` section per code, running up to the next heading.
 */
function parseErrorsDocument(markdown: string): DocumentedCodes {
  const table = new Map<string, { httpStatus: number; exitCode: number }>();
  for (const match of markdown.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(\d{3})\s*\|\s*(\d+)\s*\|\s*$/gm)) {
    const [, code = '', httpStatus = '', exitCode = ''] = match;
    if (table.has(code)) throw new Error(`docs/errors.md lists ${code} twice in its table`);
    table.set(code, { httpStatus: Number.parseInt(httpStatus, 10), exitCode: Number.parseInt(exitCode, 10) });
  }
  const sections = new Map<string, string>();
  const headings = [...markdown.matchAll(/^#{1,6} .*$/gm)];
  headings.forEach((heading, index) => {
    const code = /^### ([A-Z][A-Z0-9_]*)\s*$/.exec(heading[0])?.[1];
    if (!code) return;
    if (sections.has(code)) throw new Error(`docs/errors.md has two sections for ${code}`);
    const start = (heading.index ?? 0) + heading[0].length;
    const end = headings[index + 1]?.index ?? markdown.length;
    sections.set(code, markdown.slice(start, end).trim());
  });
  return { table, sections };
}

const catalogue = new Set<string>(errorCodes);
const documented = parseErrorsDocument(readFileSync(docsPath, 'utf8'));

describe('the error catalogue', () => {
  test('has codes in SCREAMING_SNAKE_CASE, each with a one-sentence explanation', () => {
    expect(errorCodes.length).toBeGreaterThan(0);
    for (const code of errorCodes) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
      expect(ErrorCatalogue[code]).toMatch(/^[A-Z].*\.$/);
    }
  });

  test('maps every code to an HTTP error status, and maps nothing else', () => {
    const missing = errorCodes.filter((code) => !Object.hasOwn(httpStatusOf, code));
    const extra = Object.keys(httpStatusOf).filter((code) => !catalogue.has(code));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    for (const code of errorCodes) {
      expect(httpStatusOf[code], code).toBeGreaterThanOrEqual(400);
      expect(httpStatusOf[code], code).toBeLessThan(600);
    }
    expect(httpStatusOf.INTERNAL).toBe(500);
  });

  test('maps every code to a purl exit code, and maps nothing else', () => {
    const missing = errorCodes.filter((code) => !Object.hasOwn(exitCodeOf, code));
    const extra = Object.keys(exitCodeOf).filter((code) => !catalogue.has(code));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  test('keeps exit codes 0 and 2 for success and usage errors, and 1 for INTERNAL alone', () => {
    for (const code of errorCodes) {
      const exitCode = exitCodeOf[code];
      expect(Number.isInteger(exitCode), code).toBe(true);
      expect(exitCode, code).not.toBe(0);
      expect(exitCode, code).not.toBe(2);
      expect(exitCode, code).toBeLessThan(126); // 126 and up mean "not executable" and signals to a shell
      if (code !== 'INTERNAL') expect(exitCode, code).not.toBe(1);
    }
    expect(exitCodeOf.INTERNAL).toBe(1);
  });

  test('answers every code as a problem document with its own status and stable type', () => {
    for (const code of errorCodes) {
      const problem = problemOf(code, 'detail', [{ path: '/x', message: 'bad' }]);
      expect(problem).toEqual({
        type: `urn:purl-desk:error:${code}`,
        title: ErrorCatalogue[code],
        status: httpStatusOf[code],
        code,
        detail: 'detail',
        errors: [{ path: '/x', message: 'bad' }],
      });
    }
    expect(problemOf('NOT_FOUND')).not.toHaveProperty('errors');
  });
});

describe('docs/errors.md', () => {
  test('documents every code of the catalogue in its table and in a section of its own', () => {
    const notInTable = errorCodes.filter((code) => !documented.table.has(code));
    const withoutSection = errorCodes.filter((code) => !documented.sections.has(code));
    expect({ notInTable, withoutSection }).toEqual({ notInTable: [], withoutSection: [] });
  });

  test('documents no code that the catalogue does not have', () => {
    const unknownInTable = [...documented.table.keys()].filter((code) => !catalogue.has(code));
    const unknownSections = [...documented.sections.keys()].filter((code) => !catalogue.has(code));
    expect({ unknownInTable, unknownSections }).toEqual({ unknownInTable: [], unknownSections: [] });
  });

  test('gives each code the HTTP status and exit code of the two tables in src', () => {
    const wrong = errorCodes.flatMap((code) => {
      const row = documented.table.get(code);
      if (!row) return [];
      const expected = { httpStatus: httpStatusOf[code], exitCode: exitCodeOf[code] };
      return row.httpStatus === expected.httpStatus && row.exitCode === expected.exitCode
        ? []
        : [`${code}: documented ${JSON.stringify(row)}, src says ${JSON.stringify(expected)}`];
    });
    expect(wrong).toEqual([]);
  });

  test('says for each code what it means and what the caller should do', () => {
    const incomplete = [...documented.sections].flatMap(([code, text]) => {
      const means = /\*\*What it means\.\*\*\s+\S/.test(text);
      const todo = /\*\*What to do\.\*\*\s+\S/.test(text);
      return means && todo ? [] : [code];
    });
    expect(incomplete).toEqual([]);
  });

  test('the parser notices a missing section, an unknown code and a wrong status', () => {
    const sample = [
      '| `KNOWN_CODE` | 404 | 4 |',
      '| `GHOST_CODE` | 500 | 1 |',
      '### KNOWN_CODE',
      '**What it means.** x',
      '### GHOST_CODE',
      'text',
      '## Another part',
    ].join('\n');
    const parsed = parseErrorsDocument(sample);
    expect([...parsed.table.keys()]).toEqual(['KNOWN_CODE', 'GHOST_CODE']);
    expect(parsed.table.get('KNOWN_CODE')).toEqual({ httpStatus: 404, exitCode: 4 });
    expect(parsed.sections.get('KNOWN_CODE')).toBe('**What it means.** x');
    expect(parsed.sections.get('GHOST_CODE')).toBe('text');
    expect(parsed.sections.has('Another')).toBe(false);
  });
});

describe('the exit codes of purl', () => {
  const purl = (args: string[]) =>
    spawnSync(process.execPath, ['bin/purl.js', ...args], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: { ...process.env, PURL_DATABASE_URL: 'sqlite::memory:', NO_COLOR: '1' },
      timeout: 20_000,
    });

  test('exits 2 on a usage error, as docs/errors.md says', () => {
    const unknownOption = purl(['--no-such-option']);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toMatch(/unknown option/);
    const missingOption = purl(['org', 'add', '--name', 'Nowhere']);
    expect(missingOption.status).toBe(2);
  });

  test('exits 0 after printing help', () => {
    expect(purl(['--help']).status).toBe(0);
  });

  test('exits with the code of the failure and prints the code', () => {
    const result = purl(['org', 'add', '--code', 'lower', '--name', 'Nowhere', '--kind', 'donor']);
    expect(result.stderr).toMatch(/error VALIDATION_FAILED/);
    expect(result.status).toBe(exitCodeOf.VALIDATION_FAILED);
  });
});
