import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { fileSigner } from '../../src/app/audit-signer.ts';
import { createCategory } from '../../src/app/categories.ts';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import { testAccounts, testPassword } from '../support/api.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * Two real `purl serve` processes on one PostgreSQL database, written to at the same time: the
 * audit chain must stay one line. Appends are serialised by the row lock of the chain's head
 * (AuditRepository.append updates it first, in the write's transaction), so whichever process
 * writes, each event links to the one before: no fork (two events on one predecessor), no gap, no
 * lost event. PostgreSQL only: SQLite is one file for one process.
 */

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const writesPerServer = 40;

/** A port that was free a moment ago, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

interface Server {
  readonly base: string;
  readonly child: ChildProcess;
  output: string;
}

async function waitUntilHealthy(server: Server): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null)
      throw new Error(`server exited with ${server.child.exitCode}: ${server.output}`);
    try {
      const response = await fetch(`${server.base}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${server.base} did not start: ${server.output}`);
}

/** Stops a server: SIGTERM, then SIGKILL if it has not exited within five seconds. */
async function stop(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
}

async function logIn(base: string, email: string): Promise<Session> {
  const response = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: testPassword }),
  });
  if (!response.ok) throw new Error(`login of ${email}: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken };
}

async function call(
  base: string,
  session: Session,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe.skipIf(!process.env.PURL_TEST_POSTGRES_URL)('two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let scratch: string;
  const servers: Server[] = [];
  // Killed even when the test runner itself is torn down before afterAll runs.
  const killAll = () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  };

  beforeAll(async () => {
    process.once('exit', killAll);
    database = await freshDatabase('postgres');
    scratch = mkdtempSync(join(tmpdir(), 'purl-two-'));
    const keyFile = join(scratch, 'audit-signing-key.pem');
    // Both processes share one signing key, as docs/operations.md asks; made here so they do not race for it.
    fileSigner(keyFile);
    const { context } = database;
    for (const role of ['recipient', 'donor', 'auditor'] as const) {
      const account = testAccounts[role];
      await addOrganization(context, systemActor, {
        code: account.organization,
        name: account.organization,
        kind: account.kind,
      });
      await addUser(context, systemActor, {
        email: account.email,
        organizationCode: account.organization,
        role,
        password: testPassword,
      });
    }
    await createCategory(context, systemActor, { code: 'air-defence', name: 'Air defence' });
    for (let index = 0; index < 2; index += 1) {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [
          join(root, 'bin', 'purl.js'),
          'serve',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--log-level',
          'warn',
        ],
        {
          cwd: root,
          env: {
            ...process.env,
            PURL_DATABASE_URL: database.url,
            PURL_AUDIT_KEY_FILE: keyFile,
            NO_COLOR: '1',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const server: Server = { base: `http://127.0.0.1:${port}`, child, output: '' };
      const collect = (chunk: Buffer) => {
        server.output = `${server.output}${chunk.toString('utf8')}`.slice(-4_000);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      servers.push(server);
    }
    await Promise.all(servers.map(waitUntilHealthy));
  });

  afterAll(async () => {
    await Promise.all(servers.map(stop));
    process.removeListener('exit', killAll);
    await database?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test(`${2 * writesPerServer} concurrent writes through both servers leave one unbroken chain`, async () => {
    const [first, second] = servers as [Server, Server];
    const donor = await logIn(first.base, testAccounts.donor.email);
    const recipient = await logIn(second.base, testAccounts.recipient.email);
    const auditor = await logIn(first.base, testAccounts.auditor.email);
    // Requirements both servers will edit at once, from the version read here: most edits lose.
    const requirements: { id: string; version: number }[] = [];
    for (const title of ['Interceptors', 'Radars']) {
      const created = await call(first.base, recipient, 'POST', '/api/v1/requirements', {
        title,
        category: 'air-defence',
        quantity: 4,
        unit: 'each',
        unitCost: { amount: '1000000.00', currency: 'USD' },
      });
      expect(created.status).toBe(201);
      requirements.push({ id: String(created.json.id), version: Number(created.json.version) });
    }
    const setupEvents = (await database.context.store.read.audit.head()).seq;

    const write = (server: Server, index: number) => {
      if (index % 4 === 3) {
        const requirement = requirements[index % requirements.length] as { id: string; version: number };
        return call(
          server.base,
          recipient,
          'PATCH',
          `/api/v1/requirements/${requirement.id}`,
          { title: `Edited ${index}` },
          { 'if-match': `"${requirement.version}"` },
        );
      }
      return call(server.base, donor, 'POST', '/api/v1/pledges', {
        donor: 'GBR',
        amount: { amount: `${1000 + index}.00`, currency: 'USD' },
        announcedOn: '2026-02-12',
      });
    };
    const outcomes = await Promise.all(
      servers.flatMap((server) =>
        Array.from({ length: writesPerServer }, (_, index) => write(server, index)),
      ),
    );
    const statuses = outcomes.map((outcome) => outcome.status);
    // Every answer is a success or a lost optimistic race on a requirement, never an error.
    expect(statuses.filter((status) => ![200, 201, 412].includes(status))).toEqual([]);
    const successes = statuses.filter((status) => status === 200 || status === 201).length;
    expect(successes).toBeGreaterThan(2 * writesPerServer * 0.7);

    const verdict = await call(first.base, auditor, 'GET', '/api/v1/audit/verify');
    expect(verdict.status).toBe(200);
    expect(verdict.json).toMatchObject({ ok: true, length: setupEvents + successes });
    const otherVerdict = await call(second.base, auditor, 'GET', '/api/v1/audit/verify');
    expect(otherVerdict.json).toEqual(verdict.json);

    const db = database.context.store.db;
    const rows = await db
      .selectFrom('audit_event')
      .select(['seq', 'prev_hash', 'hash'])
      .orderBy('seq')
      .execute();
    const seqs = rows.map((row) => Number(row.seq));
    expect(seqs).toEqual(Array.from({ length: setupEvents + successes }, (_, index) => index + 1));
    // No fork: no two events link to the same predecessor; each links to the event just before it.
    expect(new Set(rows.map((row) => row.prev_hash)).size).toBe(rows.length);
    rows.slice(1).forEach((row, index) => {
      expect(row.prev_hash).toBe(rows[index]?.hash);
    });
    const checkpoints = await db
      .selectFrom('audit_checkpoint')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(checkpoints.n)).toBe(rows.length);
    const head = await database.context.store.read.audit.head();
    expect(head).toEqual({ seq: rows.length, hash: rows.at(-1)?.hash });
  });
});
