import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { renameSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAuditChain, verifyAuditChainLinks } from '../../src/app/audit.ts';
import { createContext, sha256Hex, systemActor } from '../../src/app/context.ts';
import { AuditChain, type AuditEvent } from '../../src/core/audit/audit-event.ts';
import { ChainVerifier } from '../../src/core/audit/chain-verifier.ts';
import type { NewAuditEvent } from '../../src/store/audit.repository.ts';
import { connect } from '../../src/store/dialect/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * Verification reads the chain packed: each event's payload written by the database and hashed as
 * bytes, a batch at a time, and falls back to the rows only where the packed form cannot vouch for a
 * batch. These tests hold the packed form to AuditChain.payload, and check that every tampering the
 * row-by-row verifier catches is still caught, on both dialects.
 */

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const bytes = { sha256: (data: Uint8Array) => createHash('sha256').update(data).digest('hex'), isUtf8 };

const plain: NewAuditEvent = {
  occurredAt: '2026-11-26T10:00:00.000Z',
  actorUserId: '6c1f2a4e-0d3b-4a8e-9f11-2b7c5d9e0a13',
  actorOrganization: 'GBR',
  action: 'pledge.record',
  objectType: 'pledge',
  objectId: '0b9d8f62-5a7e-4c3d-8e21-7f6a5b4c3d2e',
  beforeDigest: null,
  afterDigest: 'a'.repeat(64),
};

/** Events whose fields need JSON escaping, or are unusual, among ordinary ones. */
const unusual: Partial<NewAuditEvent>[] = [
  { objectId: 'quote " inside' },
  { objectId: 'back\\slash' },
  { objectId: 'new\nline' },
  { objectId: 'tab\tand\u0001control' },
  { objectId: 'Київ — ünïcödé ✓ 𝄞' },
  { actorUserId: null, actorOrganization: null },
  { objectId: '12.5' },
  { objectId: '' },
];

const columns = [
  'occurred_at',
  'actor_user_id',
  'actor_organization',
  'action',
  'object_type',
  'object_id',
  'before_digest',
  'after_digest',
  'prev_hash',
] as const;

describe.each(dialects)('packed audit verification on %s', (dialect) => {
  let database: TestDatabase;
  let events: AuditEvent[] = [];

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    const store = database.context.store;
    const written: AuditEvent[] = [];
    for (let index = 0; index < 30; index += 1) {
      const change = index % 3 === 1 ? (unusual[(index - 1) / 3] ?? {}) : {};
      const event = { ...plain, beforeDigest: index % 2 ? 'b'.repeat(64) : null, ...change };
      written.push(await store.transaction((repositories) => repositories.audit.append(event)));
    }
    events = written;
  });

  afterAll(async () => {
    await database.dispose();
  });

  /** The packed payloads of all events, batch size 7 so that batches meet mid-chain. */
  async function packedPayloads(): Promise<string[]> {
    const payloads: string[] = [];
    for await (const batch of database.context.store.read.audit.packedBatches(7)) {
      const text = Buffer.from(batch.payloads).toString('utf8').split('\n');
      expect(text).toHaveLength(batch.count);
      payloads.push(...text);
    }
    return payloads;
  }

  test('writes each payload as AuditChain.payload does, and marks with a backslash the ones that need escaping', async () => {
    const payloads = await packedPayloads();
    expect(payloads).toHaveLength(events.length);
    events.forEach((event, index) => {
      const { hash: _hash, ...content } = event;
      const expected = AuditChain.payload(content);
      if (expected.includes('\\')) expect(payloads[index]).toContain('\\');
      else expect(payloads[index]).toBe(expected);
    });
  });

  test('accepts the batches of ordinary events whole, and refuses without accepting anything the batches it cannot vouch for', async () => {
    const verifier = new ChainVerifier(sha256);
    const accepted: boolean[] = [];
    for await (const batch of database.context.store.read.audit.packedBatches(1)) {
      const hashes = verifier.acceptPacked(batch, bytes);
      const event = events[batch.firstSeq - 1];
      if (!event) throw new Error(`no event ${batch.firstSeq}`);
      accepted.push(hashes !== undefined);
      if (hashes) expect(hashes).toBe(event.hash);
      else verifier.accept(event);
    }
    const needsEscaping = events.map((event) => {
      const { hash: _hash, ...content } = event;
      return AuditChain.payload(content).includes('\\');
    });
    expect(accepted).toEqual(needsEscaping.map((escaped) => !escaped));
    expect(verifier.verdict({ seq: events.length, hash: events.at(-1)?.hash ?? '' }).ok).toBe(true);
  });

  test('verifies the untouched chain, unusual fields included', async () => {
    const links = await verifyAuditChainLinks(database.context, systemActor);
    expect(links).toMatchObject({ ok: true, length: events.length });
    const full = await verifyAuditChain(database.context, systemActor);
    expect(full).toMatchObject({ ok: true, length: events.length });
  });

  /** Runs `tamper` on event `seq`, verifies, and puts the row back. */
  async function verifyTampered(seq: number, tamper: (seq: number) => Promise<void>) {
    const db = database.context.store.db;
    const original = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    await tamper(seq);
    try {
      return await verifyAuditChainLinks(database.context, systemActor);
    } finally {
      await db.deleteFrom('audit_event').where('seq', '=', seq).execute();
      await db.insertInto('audit_event').values(original).execute();
    }
  }

  test.each(columns)('names the event whose %s was changed', async (column) => {
    for (const seq of [3, 4, 29]) {
      const verdict = await verifyTampered(seq, async (at) => {
        await sql`update audit_event set ${sql.ref(column)} = ${`x${String(at)}`} where seq = ${at}`.execute(
          database.context.store.db,
        );
      });
      expect(verdict).toMatchObject({ ok: false, firstBadSeq: seq });
    }
  });

  test('names the event whose stored hash was changed, and the one whose hash covers unescaped bytes', async () => {
    const db = database.context.store.db;
    const changedHash = await verifyTampered(10, async (at) => {
      await sql`update audit_event set hash = ${'f'.repeat(64)} where seq = ${at}`.execute(db);
    });
    expect(changedHash).toMatchObject({ ok: false, firstBadSeq: 10 });
    // A forger who hashes the fields unescaped (a quote left raw) and relinks the next event: the
    // packed form must not take those bytes for the canonical ones.
    const quoted = events[1];
    if (!quoted?.objectId.includes('"')) throw new Error('event 2 should hold a quote');
    const { hash: _hash, ...content } = quoted;
    const raw = AuditChain.payload(content).replace('quote \\" inside', 'quote " inside');
    const forged = sha256(raw);
    const verdict = await verifyTampered(2, async (at) => {
      await sql`update audit_event set hash = ${forged} where seq = ${at}`.execute(db);
      await sql`update audit_event set prev_hash = ${forged} where seq = ${at + 1}`.execute(db);
    });
    await sql`update audit_event set prev_hash = ${quoted.hash} where seq = 3`.execute(db);
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  /** Walks the chain one packed event at a time, each refused one read as a row: which were accepted. */
  async function packedOneByOne(): Promise<{ accepted: boolean[]; ok: boolean }> {
    const audit = database.context.store.read.audit;
    const verifier = new ChainVerifier(sha256);
    const accepted: boolean[] = [];
    for await (const batch of audit.packedBatches(1)) {
      const hashes = verifier.acceptPacked(batch, bytes);
      accepted.push(hashes !== undefined);
      if (!hashes)
        for (const event of await audit.range(batch.firstSeq, batch.lastSeq)) verifier.accept(event);
    }
    return { accepted, ok: verifier.verdict(await audit.head()).ok };
  }

  test('names the event whose previous hash a forger lengthened, rehashing it and moving the head', async () => {
    // The payload still ends with the previous event's hash; only the key before it shows that the
    // field is longer, so the packed form must refuse it and the rows name it.
    const db = database.context.store.db;
    const last = events.at(-1);
    if (!last) throw new Error('no events');
    const { hash: _hash, ...content } = last;
    const lengthened = { ...content, prevHash: `ab${content.prevHash}` };
    const forged = sha256(AuditChain.payload(lengthened));
    let packed: { accepted: boolean[]; ok: boolean } | undefined;
    const verdict = await verifyTampered(last.seq, async (at) => {
      await sql`update audit_event set prev_hash = ${lengthened.prevHash}, hash = ${forged} where seq = ${at}`.execute(
        db,
      );
      await sql`update audit_head set hash = ${forged} where id = 1`.execute(db);
      packed = await packedOneByOne();
    });
    await sql`update audit_head set hash = ${last.hash} where id = 1`.execute(db);
    expect(verdict).toMatchObject({
      ok: false,
      firstBadSeq: last.seq,
      reason: 'does not link to the previous event',
    });
    expect(packed).toMatchObject({ ok: false });
    expect(packed?.accepted.at(-1)).toBe(false);
    // Untouched, the same walk accepts the last event packed.
    expect((await packedOneByOne()).accepted.at(-1)).toBe(true);
    expect(await verifyAuditChainLinks(database.context, systemActor)).toMatchObject({ ok: true });
  });

  test('names a deleted event and a swapped pair of events', async () => {
    const db = database.context.store.db;
    const deleted = await verifyTampered(15, async (at) => {
      await db.deleteFrom('audit_event').where('seq', '=', at).execute();
    });
    expect(deleted).toMatchObject({ ok: false, firstBadSeq: 15 });
    const a = await db.selectFrom('audit_event').selectAll().where('seq', '=', 20).executeTakeFirstOrThrow();
    const b = await db.selectFrom('audit_event').selectAll().where('seq', '=', 21).executeTakeFirstOrThrow();
    await db.deleteFrom('audit_event').where('seq', 'in', [20, 21]).execute();
    await db
      .insertInto('audit_event')
      .values([
        { ...a, seq: 21 },
        { ...b, seq: 20 },
      ])
      .execute();
    const swapped = await verifyAuditChainLinks(database.context, systemActor);
    await db.deleteFrom('audit_event').where('seq', 'in', [20, 21]).execute();
    await db.insertInto('audit_event').values([a, b]).execute();
    expect(swapped).toMatchObject({ ok: false, firstBadSeq: 20 });
    expect(await verifyAuditChainLinks(database.context, systemActor)).toMatchObject({ ok: true });
  });

  // SQLite only: a PostgreSQL text column cannot hold a blob, so there is nothing to tamper with there.
  if (dialect === 'sqlite') {
    test('names the event whose field keeps its bytes but becomes a blob (a text column of SQLite takes blobs as they are)', async () => {
      const db = database.context.store.db;
      const twelve = events.findIndex((event) => event.objectId === '12.5') + 1;
      const asBlob = await verifyTampered(twelve, async (at) => {
        await sql`update audit_event set object_id = cast(object_id as blob) where seq = ${at}`.execute(db);
      });
      expect(asBlob).toMatchObject({ ok: false, firstBadSeq: twelve });
      const hashAsBlob = await verifyTampered(5, async (at) => {
        await sql`update audit_event set hash = cast(hash as blob) where seq = ${at}`.execute(db);
      });
      expect(hashAsBlob).toMatchObject({ ok: false, firstBadSeq: 5 });
      expect(await verifyAuditChainLinks(database.context, systemActor)).toMatchObject({ ok: true });
    });

    test('fails, rather than reading on without end, when its reader thread cannot open the file', async () => {
      // The connection the app holds stays open; the thread's own connection finds no file.
      const file = database.url.slice('sqlite:'.length);
      renameSync(file, `${file}.moved`);
      try {
        await expect(verifyAuditChainLinks(database.context, systemActor)).rejects.toThrow(/open/);
      } finally {
        renameSync(`${file}.moved`, file);
      }
      expect(await verifyAuditChainLinks(database.context, systemActor)).toMatchObject({ ok: true });
    });

    test('verifies an in-memory database in this thread, and names a field turned into a blob there too', async () => {
      const connection = connect('sqlite::memory:');
      await migrateToLatest(connection.db);
      const context = createContext(new Store(connection.db, connection.dialect, sha256Hex));
      try {
        for (let index = 0; index < 5; index += 1)
          await context.store.transaction((repositories) => repositories.audit.append(plain));
        expect(await verifyAuditChainLinks(context, systemActor)).toMatchObject({ ok: true, length: 5 });
        await sql`update audit_event set action = cast(action as blob) where seq = 4`.execute(connection.db);
        expect(await verifyAuditChainLinks(context, systemActor)).toMatchObject({
          ok: false,
          firstBadSeq: 4,
        });
      } finally {
        await context.store.close();
      }
    });
  }
});
