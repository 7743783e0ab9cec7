import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

/**
 * The ban list: calls that have bitten money and audit software before, each with the replacement
 * to use instead (after TigerBeetle's tidy.zig). Comments are blanked before matching, so a comment
 * may name a banned call to explain why it is not used.
 */

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

interface BanRule {
  readonly name: string;
  readonly pattern: RegExp;
  /** What to write instead; printed with every offence. */
  readonly instead: string;
  /** Whether a file (path relative to the repository, forward slashes) is under this rule. */
  readonly applies: (file: string) => boolean;
  /** A line the rule must catch: the self-test proves the pattern is not dead. */
  readonly example: string;
}

const inSource = (file: string) => file.startsWith('src/');
const inFolders =
  (...folders: string[]) =>
  (file: string) =>
    folders.some((folder) => file.startsWith(`src/${folder}/`));

const banList: readonly BanRule[] = [
  {
    name: 'parseFloat',
    pattern: /\bparseFloat\b/,
    instead: 'Money.parse (exact decimal strings; a float rounds)',
    applies: inSource,
    example: 'const amount = Number.parseFloat(body.amount);',
  },
  {
    name: 'Number() on money',
    pattern: /\bNumber(?:\.parseInt)?\(\s*[^)]*(?:amount|minor|money|cost|price)/i,
    instead: 'Money (bigint minor units); Money.parse and Money.format at the edges',
    applies: inSource,
    example: 'const total = Number(line.unitCost.minor) * quantity;',
  },
  {
    name: 'Math.round',
    pattern: /\bMath\.round\b/,
    instead: 'Money with a named rounding mode (integer arithmetic on minor units)',
    applies: inSource,
    example: 'const cents = Math.round(value * 100);',
  },
  {
    name: 'clock in the core',
    pattern: /\bDate\.now\b|\bnew\s+Date\s*\(/,
    instead: 'a timestamp passed in as an argument (AppContext.now in src/app)',
    applies: inFolders('core'),
    example: 'const createdAt = new Date().toISOString();',
  },
  {
    name: 'randomness in the core',
    pattern: /\bMath\.random\b/,
    instead: 'an id or value passed in as an argument (AppContext.newId in src/app)',
    applies: inFolders('core'),
    example: 'const id = Math.random().toString(36);',
  },
  {
    name: 'console',
    pattern: /\bconsole\./,
    instead: "the request's logger (request.log) on the server; say()/warn() of src/cli/output.ts in purl",
    // src/cli and tools/ print for a living; everything else logs through Fastify's pino.
    applies: (file) => (inSource(file) || file.startsWith('demo/')) && !file.startsWith('src/cli/'),
    example: "console.log('allocated', plan);",
  },
  {
    name: 'process.env below the shells',
    pattern: /\bprocess\.env\b/,
    instead: 'configuration read once by src/cli/environment.ts and passed in',
    applies: inFolders('core', 'app', 'store'),
    example: 'const url = process.env.PURL_DATABASE_URL;',
  },
];

const blankedSources = new Map<string, string>();

/** The source with every comment replaced by spaces, line breaks kept, so line numbers still match. */
function withoutComments(content: string, fileName = 'file.ts'): string {
  const key = `${fileName}\0${content}`;
  const known = blankedSources.get(key);
  if (known !== undefined) return known;
  const blanked = blankComments(content, fileName);
  blankedSources.set(key, blanked);
  return blanked;
}

function blankComments(content: string, fileName: string): string {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, content, ts.ScriptTarget.Latest, true, kind);
  const ranges = new Map<number, number>();
  const collect = (node: ts.Node) => {
    for (const range of ts.getLeadingCommentRanges(content, node.getFullStart()) ?? []) {
      ranges.set(range.pos, range.end);
    }
    for (const range of ts.getTrailingCommentRanges(content, node.getEnd()) ?? []) {
      ranges.set(range.pos, range.end);
    }
    for (const child of node.getChildren(source)) collect(child);
  };
  collect(source);
  const characters = [...content];
  // Spread splits by code point, so positions are mapped back through UTF-16 offsets.
  let offset = 0;
  const codePointAt: number[] = [];
  characters.forEach((character, index) => {
    for (let unit = 0; unit < character.length; unit += 1) codePointAt[offset + unit] = index;
    offset += character.length;
  });
  for (const [start, end] of ranges) {
    for (let position = start; position < end; position += 1) {
      const index = codePointAt[position];
      if (index !== undefined && characters[index] !== '\n' && characters[index] !== '\r') {
        characters[index] = ' ';
      }
    }
  }
  return characters.join('');
}

/** Every offence of one file as `path:line: text — use …`. */
function offences(file: string, content: string, rules: readonly BanRule[] = banList): string[] {
  const applicable = rules.filter((rule) => rule.applies(file));
  if (!applicable.length) return [];
  const original = content.split('\n');
  return withoutComments(content, file)
    .split('\n')
    .flatMap((line, index) =>
      applicable
        .filter((rule) => rule.pattern.test(line))
        .map(
          (rule) =>
            `${file}:${index + 1}: ${rule.name}: ${(original[index] ?? '').trim()} — use ${rule.instead}`,
        ),
    );
}

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.(?:ts|tsx|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('tidy', () => {
  const files = ['src', 'demo'].flatMap((folder) => filesUnder(join(repositoryRoot, folder)));

  test('scans the sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test.each(banList.map((rule) => [rule.name, rule] as const))('no %s', (_name, rule) => {
    const found = files.flatMap((path) =>
      offences(relative(repositoryRoot, path).split(sep).join('/'), readFileSync(path, 'utf8'), [rule]),
    );
    expect(found).toEqual([]);
  });
});

describe('the ban list itself', () => {
  test.each(banList.map((rule) => [rule.name, rule] as const))(
    '%s fires on its sample line',
    (_name, rule) => {
      const file = rule.name === 'console' ? 'src/server/x.ts' : 'src/core/x.ts';
      expect(rule.applies(file)).toBe(true);
      const found = offences(file, `const before = 1;\n${rule.example}\n`, [rule]);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(new RegExp(`^${file}:2: `));
      expect(found[0]).toContain(`use ${rule.instead}`);
    },
  );

  test.each(banList.map((rule) => [rule.name, rule] as const))(
    '%s ignores a comment that names the banned call',
    (_name, rule) => {
      const file = 'src/core/x.ts';
      expect(
        offences(file, `// ${rule.example}\n/* ${rule.example} */\nconst x = 1; // ${rule.example}\n`, [
          rule,
        ]),
      ).toEqual([]);
    },
  );

  test('each rule names a replacement', () => {
    for (const rule of banList) expect(rule.instead.length, rule.name).toBeGreaterThan(10);
  });

  test('the scopes follow the architecture', () => {
    const rule = (name: string) => banList.find((candidate) => candidate.name === name) as BanRule;
    expect(rule('console').applies('src/cli/main.ts')).toBe(false);
    expect(rule('console').applies('tools/test.ts')).toBe(false);
    expect(rule('console').applies('src/app/context.ts')).toBe(true);
    expect(rule('clock in the core').applies('src/app/context.ts')).toBe(false);
    expect(rule('clock in the core').applies('src/core/money/money.ts')).toBe(true);
    expect(rule('process.env below the shells').applies('src/cli/environment.ts')).toBe(false);
    expect(rule('process.env below the shells').applies('src/store/dialect/connect.ts')).toBe(true);
    expect(rule('Math.round').applies('src/server/app.ts')).toBe(true);
  });

  test('Number() is allowed on counts that are not money', () => {
    const rule = banList.find((candidate) => candidate.name === 'Number() on money') as BanRule;
    expect(offences('src/app/x.ts', 'const n = Number.parseInt(quantity, 10);', [rule])).toEqual([]);
    expect(offences('src/app/x.ts', 'const n = Number(priceMinor);', [rule])).toHaveLength(1);
    expect(offences('src/app/x.ts', 'const n = Number.parseInt(amountText, 10);', [rule])).toHaveLength(1);
  });

  test('blanking comments keeps code, strings and line numbers', () => {
    const template = 'const b = `$' + '{a}/*x*/`;'; // source text that holds a template literal
    const content = `const a = 'x // not a comment'; // gone\n/* gone\n still gone */ ${template}\n`;
    const blanked = withoutComments(content);
    expect(blanked.split('\n')).toHaveLength(content.split('\n').length);
    expect(blanked).toContain("const a = 'x // not a comment';");
    expect(blanked).toContain(template);
    expect(blanked).not.toContain('gone');
  });
});
