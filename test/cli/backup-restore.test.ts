import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { demoData } from '../../demo/demo-data.ts';
import { verifyAuditChain } from '../../src/app/audit.ts';
import { createContext, sha256Hex, systemActor } from '../../src/app/context.ts';
import { accountBalances } from '../../src/app/ledger.ts';
import { loadDemo } from '../../src/app/load-demo.ts';
import { Money } from '../../src/core/money/money.ts';
import { connect, type DialectName } from '../../src/store/dialect/connect.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { dialects, freshDatabase, postgresAdminUrl, type TestDatabase } from '../support/databases.ts';
import { purl } from '../support/purl.ts';

/**
 * `purl backup` and `purl restore` round trip on both databases: the demo data set is backed up
 * while its database is open (as under a running server), restored into a fresh database, and
 * everything an auditor checks is identical afterwards.
 */

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
const scratch = mkdtempSync(join(tmpdir(), 'purl-backup-'));
const auditKeyFile = join(scratch, 'audit-signing-key.pem');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface EmptyDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new database with no table at all (what `createdb` or a new SQLite path gives). */
async function emptyDatabase(dialect: DialectName): Promise<EmptyDatabase> {
  const name = `purl_restore_${randomBytes(6).toString('hex')}`;
  if (dialect === 'sqlite') return { url: `sqlite:${join(scratch, `${name}.db`)}`, drop: async () => {} };
  const adminUrl = postgresAdminUrl();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Everything the round trip must keep: balances, the chain's verdict, and the signed checkpoints. */
async function auditorsView(url: string) {
  const connection = connect(url);
  const context = createContext(new Store(connection.db, connection.dialect, sha256Hex));
  try {
    const balances = (await accountBalances(context, systemActor)).map(
      (balance) => `${balance.account} ${Money.format(balance.balance)} ${balance.balance.currency}`,
    );
    const verdict = await verifyAuditChain(context, systemActor);
    const checkpoints = await context.store.db
      .selectFrom('audit_checkpoint')
      .selectAll()
      .orderBy('seq')
      .execute();
    const keys = await context.store.db
      .selectFrom('audit_signing_key')
      .selectAll()
      .orderBy('key_id')
      .execute();
    const events = await context.store.db
      .selectFrom('audit_event')
      .select(['seq', 'hash'])
      .orderBy('seq')
      .execute();
    return {
      balances: balances.sort(),
      verdict,
      checkpoints: checkpoints.map((row) =>
        JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
      ),
      keys: keys.map((row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))),
      events: events.map((row) => `${row.seq} ${row.hash}`),
    };
  } finally {
    await context.store.close();
  }
}

describe.each(dialects)('purl backup and purl restore on %s', (dialect) => {
  const unavailable = dialect === 'postgres' && !process.env.PURL_TEST_POSTGRES_URL;
  let source: TestDatabase;
  let target: EmptyDatabase;
  let other: EmptyDatabase;
  const backupFile = join(scratch, `${dialect}.backup`);
  const run = (args: readonly string[], databaseUrl: string) => purl(args, { databaseUrl, auditKeyFile });

  beforeAll(async () => {
    if (unavailable) return;
    source = await freshDatabase(dialect);
    await loadDemo(source.context, demoData, { onlyIfEmpty: false });
    target = await emptyDatabase(dialect);
    other = await emptyDatabase(dialect);
  });
  afterAll(async () => {
    await source?.dispose();
    await target?.drop();
    await other?.drop();
  });

  test.skipIf(unavailable)('backs up while the database is open, reporting progress on stderr', async () => {
    // The source's own connection stays open all along, as a running server's would.
    const outcome = await run(['backup', backupFile], source.url);
    expect(outcome.stderr).toMatch(/backing up the \w+ database/);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(
      new RegExp(`^wrote .*${dialect}\\.backup \\(\\d+ bytes, ${dialect} backup\\)`),
    );
  });

  test.skipIf(unavailable)(
    'restores into a fresh database with identical balances, chain and checkpoints',
    async () => {
      const outcome = await run(['restore', backupFile, '--json'], target.url);
      expect(outcome.code, outcome.stderr).toBe(0);
      const report = JSON.parse(outcome.stdout);
      expect(report).toMatchObject({ ok: true, problems: [], pendingMigrations: [] });
      const before = await auditorsView(source.url);
      const after = await auditorsView(target.url);
      expect(before.verdict.ok).toBe(true);
      expect(before.balances.length).toBeGreaterThan(10);
      expect(before.checkpoints.length).toBeGreaterThan(10);
      expect(after.balances).toEqual(before.balances);
      expect(after.verdict).toEqual(before.verdict);
      expect(after.checkpoints).toEqual(before.checkpoints);
      expect(after.keys).toEqual(before.keys);
      expect(after.events).toEqual(before.events);
      expect(report.auditEvents).toBe(before.events.length);
      expect(report.checkpoints).toBe(before.checkpoints.length);
    },
  );

  test.skipIf(unavailable)(
    'refuses to restore over data without --force, naming DATABASE_NOT_EMPTY',
    async () => {
      const refused = await run(['restore', backupFile], target.url);
      expect(refused.code).toBe(7);
      expect(refused.stderr).toContain('error DATABASE_NOT_EMPTY');
      expect(refused.stderr).toMatch(/hint: .*--force/);
      const forced = await run(['restore', backupFile, '--force'], target.url);
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stdout).toMatch(/verified: \d+ audit events, \d+ signed checkpoints/);
      expect((await auditorsView(target.url)).events).toEqual((await auditorsView(source.url)).events);
    },
  );

  test.skipIf(unavailable)('never overwrites an existing backup file', async () => {
    const outcome = await run(['backup', backupFile], source.url);
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toContain('error VALIDATION_FAILED');
  });

  test.skipIf(unavailable)('refuses a file that is not a backup, naming BACKUP_INVALID', async () => {
    const junk = join(scratch, `${dialect}-junk.backup`);
    writeFileSync(junk, 'this is not a database\n'.repeat(100));
    const outcome = await run(['restore', junk], other.url);
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toContain('error BACKUP_INVALID');
  });
});

describe('purl restore on SQLite', () => {
  test('notices a tampered audit event in the backup and exits with BACKUP_INVALID', async () => {
    const source = await freshDatabase('sqlite');
    try {
      await loadDemo(source.context, demoData, { onlyIfEmpty: false });
      const file = join(scratch, 'tampered.db');
      expect((await purl(['backup', file], { databaseUrl: source.url, auditKeyFile })).code).toBe(0);
      const copy = connect(`sqlite:${file}`);
      // One event's action is rewritten in the backup: its hash no longer follows from its content.
      await copy.db
        .updateTable('audit_event')
        .set({ action: 'tampered' })
        .where('seq', '=', 3n as never)
        .execute();
      await copy.db.destroy();
      expect(readFileSync(file).length).toBeGreaterThan(0);
      const outcome = await purl(['restore', file], {
        databaseUrl: `sqlite:${join(scratch, 'restored-tampered.db')}`,
        auditKeyFile,
      });
      expect(outcome.code).toBe(3);
      expect(outcome.stderr).toMatch(
        /error BACKUP_INVALID: The restored database does not verify: audit chain/,
      );
    } finally {
      await source.dispose();
    }
  });
});
