import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Selectable, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { sha256Hex } from '../../src/app/context.ts';
import { AuditChain } from '../../src/core/audit/audit-event.ts';
import { AuditRepository } from '../../src/store/audit.repository.ts';
import type { AuditEventTable } from '../../src/store/database.ts';
import { type Credential, logInOver, send } from '../support/access.ts';
import { newRequirement, startApi, type TestApi, testAccounts, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * The audit chain against someone with write access to the database: after real writes through the
 * API, the chain verifies; then each kind of tampering is done directly in the database, and both
 * GET /api/v1/audit/verify and `purl audit verify` must notice it and name the first bad sequence.
 * Each tampering is undone before the next, and the chain verifies again (so each case stands alone).
 */

vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'purl-audit-'));

type Row = Selectable<AuditEventTable>;

/** Runs `purl audit verify --json` against the database, as an operator would. */
function purlVerify(databaseUrl: string): Promise<{ code: number | null; verdict: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'purl.js'), 'audit', 'verify', '--json'], {
      cwd: root,
      env: {
        ...process.env,
        PURL_DATABASE_URL: databaseUrl,
        PURL_AUDIT_KEY_FILE: join(scratch, 'audit-signing-key.pem'),
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
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ code, verdict: JSON.parse(line) });
      } catch {
        reject(new Error(`purl audit verify printed no JSON (exit ${code}): ${stdout} ${stderr}`));
      }
    });
  });
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('the audit repository offers no way to change or remove an event', () => {
  const methods = Object.getOwnPropertyNames(AuditRepository.prototype);
  expect(methods).toContain('append');
  expect(methods.filter((name) => /update|delete|remove|edit|set|truncate|replace/i.test(name))).toEqual([]);
});

describe.each(dialects)('the audit chain on %s', (dialect) => {
  let api: TestApi;
  let auditor: Credential;
  let length: number;
  const db = () => api.database.context.store.db;

  async function verify() {
    const response = await send(api.app, 'GET', '/api/v1/audit/verify', auditor);
    expect(response.statusCode).toBe(200);
    return response.json() as {
      ok: boolean;
      length: number;
      firstBadSeq?: number;
      firstBadCheckpoint?: number;
      reason?: string;
    };
  }

  const row = (seq: number) =>
    db().selectFrom('audit_event').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();

  /** Every column of an event row but its sequence number. */
  const contents = ({ seq: _seq, ...rest }: Row) => rest;

  beforeAll(async () => {
    api = await startApi(dialect);
    const recipient = await logInOver(api.app, testAccounts.recipient.email);
    const coordinator = await logInOver(api.app, testAccounts.coordinator.email);
    const donor = await logInOver(api.app, testAccounts.donor.email);
    auditor = await logInOver(api.app, testAccounts.auditor.email);
    for (const title of ['Interceptors', 'Shells', 'Radars']) {
      const created = await send(api.app, 'POST', '/api/v1/requirements', recipient, {
        body: newRequirement({ title }),
      });
      expect(created.statusCode).toBe(201);
      const submitted = await send(
        api.app,
        'POST',
        `/api/v1/requirements/${created.json().id}/transitions`,
        recipient,
        {
          body: { to: 'submitted' },
        },
      );
      expect(submitted.statusCode).toBe(200);
    }
    const pledge = await send(api.app, 'POST', '/api/v1/pledges', donor, {
      body: { donor: 'GBR', amount: usd('200000000.00'), announcedOn: '2026-02-12' },
    });
    expect(pledge.statusCode).toBe(201);
    const moved = await send(api.app, 'POST', `/api/v1/pledges/${pledge.json().id}/transitions`, donor, {
      body: { to: 'committed', on: '2026-02-20' },
    });
    expect(moved.statusCode).toBe(200);
    expect(
      (await send(api.app, 'POST', '/api/v1/priority-list/approve', coordinator, { body: {} })).statusCode,
    ).toBe(200);
    length = (await api.database.context.store.read.audit.head()).seq;
  });
  afterAll(async () => api?.close());

  test('after a series of writes the chain verifies, one event per row, every event signed', async () => {
    const events = await db()
      .selectFrom('audit_event')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const checkpoints = await db()
      .selectFrom('audit_checkpoint')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: true, length });
    expect(verdict.firstBadSeq).toBeUndefined();
    expect(String(events.n)).toBe(String(length));
    expect(String(checkpoints.n)).toBe(String(length));
    expect(length).toBeGreaterThan(10);
  });

  /** Tampers, checks the verdict of the API and of `purl`, undoes, and checks the chain is whole again. */
  async function whileTampered(
    tamper: () => Promise<void>,
    undo: () => Promise<void>,
    check: (verdict: Awaited<ReturnType<typeof verify>>) => void,
  ) {
    await tamper();
    try {
      const verdict = await verify();
      expect(verdict.ok).toBe(false);
      check(verdict);
      const cli = await purlVerify(api.database.url);
      expect(cli.code).toBe(9);
      expect(cli.verdict).toMatchObject({ ok: false, firstBadSeq: verdict.firstBadSeq });
    } finally {
      await undo();
    }
    expect(await verify()).toMatchObject({ ok: true, length });
  }

  test('purl audit verify agrees that the untouched chain is whole (exit 0)', async () => {
    const cli = await purlVerify(api.database.url);
    expect(cli.code).toBe(0);
    expect(cli.verdict).toMatchObject({ ok: true, length });
  });

  test('an edited row is named by its sequence number', async () => {
    const seq = Math.floor(length / 2);
    const original = await row(seq);
    await whileTampered(
      () =>
        db()
          .updateTable('audit_event')
          .set({ action: 'requirement.validate' })
          .where('seq', '=', seq)
          .execute()
          .then(),
      () =>
        db()
          .updateTable('audit_event')
          .set({ action: original.action })
          .where('seq', '=', seq)
          .execute()
          .then(),
      (verdict) => expect(verdict).toMatchObject({ firstBadSeq: seq, reason: expect.stringMatching(/hash/) }),
    );
  });

  test('an edited row whose own hash was recomputed is still caught: the next link and the signature break', async () => {
    const seq = Math.floor(length / 2);
    const original = await row(seq);
    const event = (
      await api.database.context.store.read.audit.list({}, { limit: length, cursor: null })
    ).items.find((candidate) => candidate.seq === seq);
    if (!event) throw new Error(`no event ${seq}`);
    const { hash: _hash, ...unhashed } = event;
    const forged = AuditChain.link({ ...unhashed, actorOrganization: 'NATO' }, sha256Hex);
    await whileTampered(
      () =>
        db()
          .updateTable('audit_event')
          .set({ actor_organization: 'NATO', hash: forged.hash })
          .where('seq', '=', seq)
          .execute()
          .then(),
      () =>
        db()
          .updateTable('audit_event')
          .set({ actor_organization: original.actor_organization, hash: original.hash })
          .where('seq', '=', seq)
          .execute()
          .then(),
      (verdict) => {
        expect(verdict.firstBadCheckpoint).toBe(seq);
        expect([seq, seq + 1]).toContain(verdict.firstBadSeq);
      },
    );
  });

  test('a deleted row in the middle is named by its sequence number', async () => {
    const seq = Math.floor(length / 3);
    const original = await row(seq);
    await whileTampered(
      () => db().deleteFrom('audit_event').where('seq', '=', seq).execute().then(),
      () => db().insertInto('audit_event').values(original).execute().then(),
      (verdict) => expect(verdict.firstBadSeq).toBe(seq),
    );
  });

  test('a reordered pair of rows is named by the first of the two', async () => {
    const seq = Math.floor(length / 2);
    const first = await row(seq);
    const second = await row(seq + 1);
    // The hash column is unique: park one row's hash while the two trade places.
    const place = async (a: Row, b: Row) => {
      await db().updateTable('audit_event').set({ hash: 'parked' }).where('seq', '=', seq).execute();
      await db()
        .updateTable('audit_event')
        .set(contents(a))
        .where('seq', '=', seq + 1)
        .execute();
      await db().updateTable('audit_event').set(contents(b)).where('seq', '=', seq).execute();
    };
    await whileTampered(
      () => place(first, second),
      () => place(second, first),
      (verdict) => expect(verdict.firstBadSeq).toBe(seq),
    );
  });

  test('a deleted last row is caught although the head row was left as it was', async () => {
    const original = await row(length);
    const head = await api.database.context.store.read.audit.head();
    await whileTampered(
      () => db().deleteFrom('audit_event').where('seq', '=', length).execute().then(),
      () => db().insertInto('audit_event').values(original).execute().then(),
      (verdict) => {
        expect(verdict.firstBadSeq).toBe(length);
        expect(verdict.length).toBe(length - 1);
      },
    );
    expect(await api.database.context.store.read.audit.head()).toEqual(head);
  });

  test('a deleted last row is caught even when the head row is moved back to match', async () => {
    const original = await row(length);
    const head = await api.database.context.store.read.audit.head();
    await whileTampered(
      async () => {
        await db().deleteFrom('audit_event').where('seq', '=', length).execute();
        await db()
          .updateTable('audit_head')
          .set({ seq: length - 1, hash: original.prev_hash })
          .where('id', '=', 1)
          .execute();
      },
      async () => {
        await db().insertInto('audit_event').values(original).execute();
        await db()
          .updateTable('audit_head')
          .set({ seq: head.seq, hash: head.hash })
          .where('id', '=', 1)
          .execute();
      },
      // The chain itself is consistent now; the signed checkpoint of the removed event is not.
      (verdict) => {
        expect(verdict.firstBadCheckpoint).toBe(length);
        expect(verdict.firstBadSeq).toBe(length);
      },
    );
  });

  test('an edited checkpoint signature is caught and named', async () => {
    const seq = Math.floor(length / 2);
    const checkpoint = await db()
      .selectFrom('audit_checkpoint')
      .selectAll()
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    const other = await db()
      .selectFrom('audit_checkpoint')
      .select('signature')
      .where('seq', '=', seq + 1)
      .executeTakeFirstOrThrow();
    await whileTampered(
      () =>
        db()
          .updateTable('audit_checkpoint')
          .set({ signature: other.signature })
          .where('seq', '=', seq)
          .execute()
          .then(),
      () =>
        db()
          .updateTable('audit_checkpoint')
          .set({ signature: checkpoint.signature })
          .where('seq', '=', seq)
          .execute()
          .then(),
      (verdict) => expect(verdict).toMatchObject({ firstBadCheckpoint: seq, firstBadSeq: seq }),
    );
  });
});
