import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-codes.ts';
import { purl, repositoryRoot } from '../support/purl.ts';

/**
 * Every `purl` command explains itself with examples, and every failure prints its stable code, a
 * hint, and exits with the status docs/cli.md documents.
 */

vi.setConfig({ testTimeout: 600_000 });
const scratch = mkdtempSync(join(tmpdir(), 'purl-help-'));
const options = { databaseUrl: `sqlite:${join(scratch, 'help.db')}`, auditKeyFile: join(scratch, 'key.pem') };
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The subcommand names a `--help` output lists under "Commands:", without commander's own `help`. */
function subcommandsOf(help: string): string[] {
  const section = help.split('\nCommands:\n')[1];
  if (section === undefined) return [];
  const names: string[] = [];
  for (const line of section.split('\n')) {
    if (line.trim() === '') break;
    const name = /^ {2}(\S+)/.exec(line)?.[1];
    if (name && name !== 'help') names.push(name);
  }
  return names;
}

/** Runs `tasks` at most `width` at a time (each starts a Node process). */
async function inParallel<T>(tasks: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await (tasks[index] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

describe('purl --help on every command', () => {
  test('shows a usage line and an Examples section for every command and subcommand', async () => {
    const seen = new Map<string, string>();
    let level: string[][] = [[]];
    while (level.length) {
      const outputs = await inParallel(
        level.map((path) => () => purl([...path, '--help'], options)),
        3,
      );
      const nextLevel: string[][] = [];
      level.forEach((path, index) => {
        const outcome = outputs[index];
        const name = ['purl', ...path].join(' ');
        expect(outcome?.code, `${name} --help: ${outcome?.stderr}`).toBe(0);
        seen.set(name, outcome?.stdout ?? '');
        for (const sub of subcommandsOf(outcome?.stdout ?? '')) nextLevel.push([...path, sub]);
      });
      level = nextLevel;
    }
    const expected = [
      'purl serve',
      'purl org add',
      'purl export ledger',
      'purl report summary',
      'purl backup',
    ];
    for (const name of expected) expect([...seen.keys()]).toContain(name);
    for (const [name, help] of seen) {
      expect(help, name).toContain(`Usage: ${name}`);
      expect(help, `${name} has an Examples section`).toMatch(/\nExamples:\n {2}\$ .*\bpurl /);
    }
  });
});

describe('purl errors', () => {
  const documentedExitCodes = (() => {
    const text = readFileSync(join(repositoryRoot, 'docs', 'cli.md'), 'utf8');
    const table = new Map<number, string>();
    for (const match of text.matchAll(/^\| (\d+) +\| (.*)\|$/gm))
      table.set(Number.parseInt(match[1] ?? '', 10), match[2] ?? '');
    return table;
  })();

  test('docs/cli.md documents every exit status purl uses', () => {
    for (const [code, status] of Object.entries(exitCodeOf)) {
      expect(documentedExitCodes.has(status), `exit ${status} (${code})`).toBe(true);
    }
    for (const status of [0, 2, 9]) expect(documentedExitCodes.has(status)).toBe(true);
  });

  test('prints the code, the message and a hint, and exits with the documented status', async () => {
    const outcome = await purl(['restore', join(scratch, 'no-such-backup.db')], options);
    expect(outcome.stderr).toMatch(/^error NOT_FOUND: There is no backup file '.*no-such-backup\.db'\.$/m);
    expect(outcome.stderr).toMatch(/^ {2}hint: .+\(docs\/errors\.md#not_found\)$/m);
    expect(outcome.code).toBe(exitCodeOf.NOT_FOUND);
    expect(documentedExitCodes.get(exitCodeOf.NOT_FOUND)).toContain('NOT_FOUND');
    expect(outcome.stdout).toBe('');
  });

  test('prints a usage error as error USAGE with a hint, and exits 2', async () => {
    const outcome = await purl(['report', 'summary', '--format', 'pdf'], options);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^error USAGE: option '--format <format>' argument 'pdf' is invalid/m);
    expect(outcome.stderr).toMatch(/^ {2}hint: .*--help/m);
    expect(documentedExitCodes.get(2)).toMatch(/usage/i);
  });

  test('refuses a --port that is not a port as a usage error, before touching the database', async () => {
    for (const port of ['abc', '-1', '65536', '80.5', '']) {
      const outcome = await purl(['serve', '--port', port], options);
      expect(outcome.code, port).toBe(2);
      expect(outcome.stderr, port).toMatch(/^error USAGE: option '--port <port>' argument .* is invalid/m);
    }
  });
});
