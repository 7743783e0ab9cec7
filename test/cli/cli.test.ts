import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { demoData } from '../../demo/demo-data.ts';
import { createContext, sha256Hex } from '../../src/app/context.ts';
import { logIn } from '../../src/app/sessions.ts';
import { roles } from '../../src/core/access/roles.ts';
import { connect, type DialectName } from '../../src/store/dialect/connect.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { dialects, postgresAdminUrl } from '../support/databases.ts';

// These tests run the real `purl` binary as a child process, as an operator would. Each start costs
// one to three seconds (tsx compiles the sources), hence the generous timeout.
const root = fileURLToPath(new URL('../..', import.meta.url));
const purlBin = join(root, 'bin', 'purl.js');
const scratch = mkdtempSync(join(tmpdir(), 'purl-cli-'));
const auditKeyFile = join(scratch, 'audit-signing-key.pem');
vi.setConfig({ testTimeout: 60_000 });

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function purl(args: readonly string[], options: { databaseUrl: string; input?: string }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [purlBin, ...args], {
      cwd: root,
      env: {
        ...process.env,
        PURL_DATABASE_URL: options.databaseUrl,
        PURL_AUDIT_KEY_FILE: auditKeyFile,
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
    child.stdin.end(options.input ?? '');
  });
}

function sqliteUrl(name: string): string {
  return `sqlite:${join(scratch, `${name}.db`)}`;
}

interface EmptyDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** An empty database (not migrated: `purl migrate` is under test). */
async function emptyDatabase(dialect: DialectName): Promise<EmptyDatabase> {
  const name = `purl_cli_${randomBytes(6).toString('hex')}`;
  if (dialect === 'sqlite') return { url: sqliteUrl(name), drop: async () => {} };
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

/** Opens a database the binary wrote to, to check what it left there. */
function openStore(url: string): Store {
  const connection = connect(url);
  return new Store(connection.db, connection.dialect, sha256Hex);
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('purl --help', () => {
  const commands = ['serve', 'migrate', 'org add', 'user add', 'demo load'];

  test.for(commands)('prints the usage of purl %s with an example', async (command, { expect }) => {
    const outcome = await purl([...command.split(' '), '--help'], { databaseUrl: sqliteUrl('help') });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`Usage: purl ${command} [options]`);
    expect(outcome.stdout).toMatch(/Examples?:\n {2}\$ .*purl /);
  });

  test('lists every command in the top-level usage', async ({ expect }) => {
    const outcome = await purl(['--help'], { databaseUrl: sqliteUrl('help') });
    expect(outcome.code).toBe(0);
    for (const command of ['serve', 'migrate', 'org', 'user', 'demo']) {
      expect(outcome.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    }
  });
});

describe.each(dialects)('purl against %s', (dialect) => {
  const unavailable = dialect === 'postgres' && !process.env.PURL_TEST_POSTGRES_URL;
  let database: EmptyDatabase;
  beforeAll(async () => {
    if (!unavailable) database = await emptyDatabase(dialect);
  });
  afterAll(async () => database?.drop());

  // The tests of this block share one database and run in order: migrate, then the directory.
  test.skipIf(unavailable)('migrates an empty database, then finds it up to date', async () => {
    const first = await purl(['migrate'], { databaseUrl: database.url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^applied: .*2026-11-26-0001-initial/);
    const second = await purl(['migrate'], { databaseUrl: database.url });
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe('the database is up to date');
  });

  test.skipIf(unavailable)('adds a user whose password is piped to standard input', async () => {
    const org = await purl(['org', 'add', '--code', 'GBR', '--name', 'United Kingdom', '--kind', 'donor'], {
      databaseUrl: database.url,
    });
    expect(org.code).toBe(0);
    const password = 'a long and piped password';
    const added = await purl(
      ['user', 'add', '--email', 'Donor@GBR.example', '--org', 'GBR', '--role', 'donor', '--password-stdin'],
      { databaseUrl: database.url, input: `${password}\n` },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added user donor@gbr\.example \(donor of GBR\)/);
    const store = openStore(database.url);
    try {
      const grant = await logIn(createContext(store), 'donor@gbr.example', password);
      expect(grant.actor).toMatchObject({ role: 'donor', organizationCode: 'GBR' });
    } finally {
      await store.close();
    }
  });
});

describe('purl on SQLite', () => {
  test('refuses a second organisation with the same code, naming ORGANIZATION_EXISTS', async () => {
    const databaseUrl = sqliteUrl('duplicate');
    const args = ['org', 'add', '--code', 'NLD', '--name', 'Netherlands', '--kind', 'donor'];
    const first = await purl(args, { databaseUrl });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^added organisation NLD \(donor\)/);
    const second = await purl(args, { databaseUrl });
    expect(second.code).toBe(7);
    expect(second.stderr).toContain('error ORGANIZATION_EXISTS');
  });

  test('refuses to add a user without a password on standard input', async () => {
    const outcome = await purl(['user', 'add', '--email', 'a@b.example', '--org', 'GBR', '--role', 'donor'], {
      databaseUrl: sqliteUrl('no-password'),
    });
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toContain('error VALIDATION_FAILED');
  });

  test('exits 2 with the usage hint when a required option is missing', async () => {
    const outcome = await purl(['org', 'add', '--code', 'NLD', '--kind', 'donor'], {
      databaseUrl: sqliteUrl('usage'),
    });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("required option '--name <NAME>' not specified");
    expect(outcome.stderr).toContain('--help');
  });

  test('loads the demo data set and prints one account per role', async () => {
    const databaseUrl = sqliteUrl('demo');
    const outcome = await purl(['demo', 'load'], { databaseUrl });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const accounts = outcome.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length === 3 && (roles as readonly string[]).includes(fields[0] ?? ''));
    expect(accounts.map(([role]) => role).sort()).toEqual([...roles].sort());
    for (const [, email, password] of accounts) {
      expect(email).toMatch(/@[a-z.-]+\.example$/);
      expect(password?.length).toBeGreaterThanOrEqual(12);
    }
    const store = openStore(databaseUrl);
    try {
      const lines = await store.db
        .selectFrom('requirement')
        .select(['status', 'rank'])
        .orderBy('rank')
        .execute();
      // The illustrative list, then the lines of the four 2025 packages, funded (demo/packages.json).
      const historical = demoData.packages.flatMap((pkg) => pkg.lines.map(() => 'funded'));
      expect(lines).toHaveLength(demoData.requirements.length + historical.length);
      expect(lines.map((line) => Number(line.rank))).toEqual(lines.map((_, index) => index + 1));
      expect(lines.map((line) => line.status)).toEqual([
        ...demoData.requirements.map((line) => line.status),
        ...historical,
      ]);
    } finally {
      await store.close();
    }
  });

  test('names a public source for every government in the demo data', () => {
    const governments = demoData.organizations.filter((organization) =>
      ['recipient', 'coordinator', 'supplier', 'donor'].includes(organization.kind),
    );
    expect(governments.length).toBeGreaterThanOrEqual(28);
    for (const government of governments) expect(government.source).toMatch(/^https:\/\//);
  });
});
