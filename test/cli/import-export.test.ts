import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createCategory } from '../../src/app/categories.ts';
import { systemActor } from '../../src/app/context.ts';
import { readSheet, sourceOfBuffer } from '../../src/app/imports/sheet-reader.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';

// The real `purl` binary as a child process, as an operator runs it; each start costs a second or two.
const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'purl-import-cli-'));
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

function purl(
  args: readonly string[],
  databaseUrl: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'purl.js'), ...args], {
      cwd: root,
      env: {
        ...process.env,
        PURL_DATABASE_URL: databaseUrl,
        PURL_AUDIT_KEY_FILE: join(scratch, 'audit-key.pem'),
        NO_COLOR: '1',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe('purl import and purl export', () => {
  let database: TestDatabase;
  const file = (name: string) => join(scratch, name);

  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    await createCategory(database.context, systemActor, { code: 'air-defence', name: 'Air defence' });
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const count = async () =>
    Number(
      (
        await database.context.store.db
          .selectFrom('requirement')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('writes the templates, XLSX to a file and CSV to standard output', async () => {
    const written = await purl(['import', 'requirements', '--template', file('template.xlsx')], database.url);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^wrote .*template\.xlsx \(\d+ bytes\)/);
    const rows = [];
    for await (const row of readSheet(sourceOfBuffer('xlsx', readFileSync(file('template.xlsx')))))
      rows.push(row);
    expect(rows).toHaveLength(1);
    const printed = await purl(['import', 'pledges', '--template'], database.url);
    expect(printed.code).toBe(0);
    expect(printed.stdout.trim()).toBe(
      'ref,donor,amount,currency,announcedOn,forum,source,stage,committedOn,paidOn,earmarkCategories,earmarkPackageId,visibility,duplicateOf,notes',
    );
  });

  test('checks a file with --dry-run, then imports it, with a count line on a non-terminal', async () => {
    writeFileSync(
      file('lines.csv'),
      'title,category,quantity,unit,unitCost,currency,status\r\nInterceptors,air-defence,4,each,1000000.00,USD,validated\r\nLaunchers,air-defence,1,set,2500000.00,USD,\r\n',
    );
    const dry = await purl(['import', 'requirements', file('lines.csv'), '--dry-run'], database.url);
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim()).toBe('dry run: 2 requirement lines checked, no problems; nothing was written');
    expect(dry.stderr).toMatch(/^read 2 rows \(\d+ bytes\)$/m);
    expect(await count()).toBe(0);
    const done = await purl(['import', 'requirements', file('lines.csv')], database.url);
    expect(done.code).toBe(0);
    expect(done.stdout.trim()).toBe('imported 2 requirement lines (REQ-0001 … REQ-0002)');
    expect(await count()).toBe(2);
  });

  test('exits 3 with every problem by row and column, and writes nothing', async () => {
    writeFileSync(
      file('bad.csv'),
      'title,category,quantity,unit,unitCost,currency\r\nA,air-defence,1,each,1.0,USD\r\nB,tanks,1,each,1.00,USD\r\n',
    );
    const outcome = await purl(['import', 'requirements', file('bad.csv')], database.url);
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toContain(
      'error IMPORT_ROWS_INVALID: The requirements file has 2 problems; nothing was imported.',
    );
    expect(outcome.stderr).toContain(
      "  row 2, column unitCost: USD amounts have exactly 2 decimals; got '1.0'.",
    );
    expect(outcome.stderr).toContain("  row 3, column category: unknown category 'tanks'");
    expect(await count()).toBe(2);
    const wrongKind = await purl(['import', 'requirements', file('lines.txt')], database.url);
    expect(wrongKind.code).toBe(3);
    expect(wrongKind.stderr).toContain('error IMPORT_FILE_INVALID');
  });

  test('exports the list as XLSX to a file and as JSON to standard output', async () => {
    const xlsx = await purl(
      ['export', 'requirements', '--format', 'xlsx', '--output', file('out.xlsx')],
      database.url,
    );
    expect(xlsx.code).toBe(0);
    const rows = [];
    for await (const row of readSheet(sourceOfBuffer('xlsx', readFileSync(file('out.xlsx'))))) rows.push(row);
    expect(rows).toHaveLength(3);
    const json = await purl(['export', 'requirements', '--format', 'json'], database.url);
    expect(json.code).toBe(0);
    const lines = JSON.parse(json.stdout) as {
      ref: string;
      rank: number;
      status: string;
      estimatedCostUsd: string;
    }[];
    expect(
      lines.map(({ ref, rank, status, estimatedCostUsd }) => ({ ref, rank, status, estimatedCostUsd })),
    ).toEqual([
      { ref: 'REQ-0001', rank: 1, status: 'validated', estimatedCostUsd: '4000000.00' },
      { ref: 'REQ-0002', rank: 2, status: 'draft', estimatedCostUsd: '2500000.00' },
    ]);
  });
});
