import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { fileSigner } from '../../src/app/audit-signer.ts';
import { createCategory } from '../../src/app/categories.ts';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import { testAccounts, testPassword } from '../support/api.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';
import { killAllServers, type ServerProcess, startServer, stopServer } from '../support/server-process.ts';

/**
 * Two real `purl serve` processes on one PostgreSQL database, written to at the same time: the
 * audit chain must stay one line. Appends are serialised by the row lock of the chain's head
 * (AuditRepository.append updates it first, in the write's transaction), so whichever process
 * writes, each event links to the one before: no fork (two events on one predecessor), no gap, no
 * lost event. PostgreSQL only: SQLite is one file for one process.
 */

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const writesPerServer = 40;

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
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    // Killed even when the test runner itself is torn down before afterAll runs.
    process.once('exit', killAllServers);
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
    // Two at once: each must start while the other runs its start-up against the same database.
    servers.push(
      ...(await Promise.all(
        [0, 1].map(() => startServer({ databaseUrl: database.url, auditKeyFile: keyFile })),
      )),
    );
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    process.removeListener('exit', killAllServers);
    await database?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test(`${2 * writesPerServer} concurrent writes through both servers leave one unbroken chain`, async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const donor = await logIn(first.baseUrl, testAccounts.donor.email);
    const recipient = await logIn(second.baseUrl, testAccounts.recipient.email);
    const auditor = await logIn(first.baseUrl, testAccounts.auditor.email);
    // Requirements both servers will edit at once, from the version read here: most edits lose.
    const requirements: { id: string; version: number }[] = [];
    for (const title of ['Interceptors', 'Radars']) {
      const created = await call(first.baseUrl, recipient, 'POST', '/api/v1/requirements', {
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

    const write = (server: ServerProcess, index: number) => {
      if (index % 4 === 3) {
        const requirement = requirements[index % requirements.length] as { id: string; version: number };
        return call(
          server.baseUrl,
          recipient,
          'PATCH',
          `/api/v1/requirements/${requirement.id}`,
          { title: `Edited ${index}` },
          { 'if-match': `"${requirement.version}"` },
        );
      }
      return call(server.baseUrl, donor, 'POST', '/api/v1/pledges', {
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

    const verdict = await call(first.baseUrl, auditor, 'GET', '/api/v1/audit/verify');
    expect(verdict.status).toBe(200);
    expect(verdict.json).toMatchObject({ ok: true, length: setupEvents + successes });
    const otherVerdict = await call(second.baseUrl, auditor, 'GET', '/api/v1/audit/verify');
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
