import { type CompiledQuery, type Kysely, type Selectable, sql } from 'kysely';
import { AuditChain, type AuditEvent, type Sha256Hex } from '../core/audit/audit-event.ts';
import type { PackedEvents } from '../core/audit/chain-verifier.ts';
import { assert } from '../core/errors.ts';
import { readInteger } from './columns.ts';
import type { AuditEventTable, Database } from './database.ts';
import type { DialectName } from './dialect/connect.ts';
import { SqliteStatementThread } from './dialect/sqlite-statement-thread.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

export type NewAuditEvent = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

/** Which events to list; every criterion given must hold. */
export interface AuditFilter {
  readonly objectType?: string;
  readonly objectId?: string;
  /** An object type (`pledge`) or an object id: the events of all such objects, or of that one. */
  readonly object?: string;
  /** The actor, by user ids or by organisation code: an event of either matches. */
  readonly actor?: { readonly userIds: readonly string[]; readonly organization: string | null };
  /** UTC days, inclusive. */
  readonly from?: string;
  readonly to?: string;
}

function toEvent(row: Selectable<AuditEventTable>): AuditEvent {
  return {
    seq: readInteger(row.seq),
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorOrganization: row.actor_organization,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    beforeDigest: row.before_digest,
    afterDigest: row.after_digest,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

// One compiled head query per database handle (see AuditRepository.headSeq).
const compiledHeadSeqQueries = new WeakMap<
  Kysely<Database>,
  CompiledQuery<{ seq: number | bigint | string }>
>();

/** The payload's fields in AuditChain.payload's (sorted) order, with their columns. */
const payloadColumns = [
  ['action', 'action', 'text'],
  ['actorOrganization', 'actor_organization', 'nullable'],
  ['actorUserId', 'actor_user_id', 'nullable'],
  ['afterDigest', 'after_digest', 'nullable'],
  ['beforeDigest', 'before_digest', 'nullable'],
  ['objectId', 'object_id', 'text'],
  ['objectType', 'object_type', 'text'],
  ['occurredAt', 'occurred_at', 'text'],
  ['prevHash', 'prev_hash', 'text'],
] as const;

/**
 * The SQL that writes each event's payload and stored hash, as PackedEvents promises. On SQLite,
 * json_object writes each value as what it is: text as a JSON string, escaped as JSON escapes it,
 * NULL as null, a number as a number; it refuses a blob (the query fails, and packedBatches says the
 * batch cannot be packed). A stored hash that is not text becomes a lone backslash.
 */
const packedSelect = {
  sqlite: () => {
    const payload = `json_object(${payloadColumns.map(([key, column]) => `'${key}', ${column}`).join(', ')}, 'seq', seq)`;
    // One pass over the rows in the order of the sequence's index, so the lists are aligned; any other
    // order would only break the links and send the batch to the rows.
    return `count(*) as count, min(seq) as first_seq, max(seq) as last_seq,
      cast(group_concat(${payload}, char(10)) as blob) as payloads,
      group_concat(iif(typeof(hash) = 'text', hash, '\\'), '') as hashes`;
  },
  postgres: () => {
    const payloadFormat = `{${[...payloadColumns.map(([key]) => `"${key}":%s`), '"seq":%s'].join(',')}}`;
    const value = (column: string, kind: string) =>
      kind === 'text' ? `to_json(${column})::text` : `coalesce(to_json(${column})::text, 'null')`;
    const payload = `format('${payloadFormat}', ${payloadColumns.map(([, column, kind]) => value(column, kind)).join(', ')}, seq)`;
    return `count(*) as count, min(seq) as first_seq, max(seq) as last_seq,
      convert_to(string_agg(${payload}, E'\\n' order by seq), 'UTF8') as payloads,
      string_agg(hash, '' order by seq) as hashes`;
  },
};

interface PackedRow {
  count: number | bigint | string;
  first_seq: number | bigint | string | null;
  last_seq: number | bigint | string | null;
  payloads: Uint8Array | null;
  hashes: string | null;
}

/**
 * The audit chain: append and read, never update or delete. The head row is updated first in the
 * writer's transaction, which takes its row lock: concurrent writers (several processes on one
 * PostgreSQL) queue there, so the chain stays one line with no fork and no gap.
 */
export class AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly sha256: Sha256Hex,
  ) {}

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const head = await this.db
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const linked = AuditChain.link(
      { ...event, seq: readInteger(head.seq), prevHash: head.hash },
      this.sha256,
    );
    await this.db
      .insertInto('audit_event')
      .values({
        seq: linked.seq,
        occurred_at: linked.occurredAt,
        actor_user_id: linked.actorUserId,
        actor_organization: linked.actorOrganization,
        action: linked.action,
        object_type: linked.objectType,
        object_id: linked.objectId,
        before_digest: linked.beforeDigest,
        after_digest: linked.afterDigest,
        prev_hash: linked.prevHash,
        hash: linked.hash,
      })
      .execute();
    await this.db.updateTable('audit_head').set({ hash: linked.hash }).where('id', '=', 1).execute();
    return linked;
  }

  /**
   * The head's sequence alone, by a query compiled once per database (the read path's cache check
   * runs it on every request, so it skips the query builder). It goes through Kysely's driver, so
   * on SQLite it waits for a transaction this process has open and never reads a head that may yet
   * be rolled back.
   */
  async headSeq(): Promise<number> {
    let query = compiledHeadSeqQueries.get(this.db);
    if (!query) {
      query = this.db.selectFrom('audit_head').select('seq').where('id', '=', 1).compile();
      compiledHeadSeqQueries.set(this.db, query);
    }
    const row = (await this.db.executeQuery(query)).rows[0];
    assert(row !== undefined, 'the audit chain has no head row');
    return readInteger(row.seq);
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const row = await this.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: readInteger(row.seq), hash: row.hash };
  }

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEvent>> {
    let query = this.db
      .selectFrom('audit_event')
      .selectAll()
      .orderBy('seq')
      .limit(page.limit + 1);
    if (filter.objectType) query = query.where('object_type', '=', filter.objectType);
    if (filter.objectId) query = query.where('object_id', '=', filter.objectId);
    const { object, actor, from, to } = filter;
    if (object)
      query = query.where((eb) => eb.or([eb('object_type', '=', object), eb('object_id', '=', object)]));
    if (actor) {
      // An actor that matches no one gives no event (an empty OR is false), never every event.
      query = query.where((eb) =>
        eb.or([
          ...(actor.userIds.length ? [eb('actor_user_id', 'in', actor.userIds)] : []),
          ...(actor.organization ? [eb('actor_organization', '=', actor.organization)] : []),
        ]),
      );
    }
    // Timestamps are ISO strings in UTC with milliseconds, so the day's bounds compare as text.
    if (from) query = query.where('occurred_at', '>=', `${from}T00:00:00.000Z`);
    if (to) query = query.where('occurred_at', '<=', `${to}T23:59:59.999Z`);
    if (page.cursor) {
      const [seq = '0'] = Cursor.decode(page.cursor);
      query = query.where('seq', '>', Number.parseInt(seq, 10));
    }
    const rows = await query.execute();
    return Cursor.page(rows.map(toEvent), page.limit, (e) => [String(e.seq)]);
  }

  /** The events from `from` to `to`, both included, in order: a receipt's event and its links. */
  async range(from: number, to: number): Promise<AuditEvent[]> {
    const rows = await this.db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>=', from)
      .where('seq', '<=', to)
      .orderBy('seq')
      .execute();
    return rows.map(toEvent);
  }

  /**
   * Every event in order, packed for verification (see PackedEvents): one query per batch that
   * returns one row, the payloads written by the database itself, so that a million events cost no
   * million row objects. Batches are ranges of sequence numbers, each an index range scan with
   * nothing to sort or limit; a range that a gap left empty is skipped to the next event there is.
   *
   * The next batch is read while the caller works on this one: on PostgreSQL the server builds it;
   * on an SQLite file a thread of its own with its own connection does (SqliteStatementThread), so
   * that reading and hashing share the machine's cores. An in-memory SQLite database is read here.
   */
  async *packedBatches(batchSize = 2_000): AsyncGenerator<PackedEvents> {
    const select = `select ${packedSelect[this.dialect]()} from audit_event`;
    const file = this.dialect === 'sqlite' ? await this.sqliteFile() : undefined;
    const thread = file
      ? new SqliteStatementThread<PackedRow>(file, `${select} where seq > ? and seq <= ?`)
      : undefined;
    const read = async (after: number): Promise<PackedRow | 'unpackable' | undefined> => {
      try {
        if (thread) return await thread.get(after, after + batchSize);
        const { rows } = await sql<PackedRow>`${sql.raw(select)}
          where seq > ${after} and seq <= ${after + batchSize}`.execute(this.db);
        return rows[0];
      } catch (error) {
        // SQLite's json_object refuses a blob, which a text column of SQLite takes: running the
        // statement fails with SQLITE_ERROR, and the batch is read as rows. Any other failure (opening
        // the file, preparing, the thread, the connection) is not the batch's.
        const { code, during } = error as { code?: unknown; during?: unknown };
        if (this.dialect === 'sqlite' && code === 'SQLITE_ERROR' && during !== 'open') return 'unpackable';
        throw error;
      }
    };
    /** Starts reading the batch after `after`; a batch read ahead and never used fails silently. */
    const readAhead = (after: number) => {
      const pending = read(after);
      pending.catch(() => undefined);
      return pending;
    };
    try {
      let after = 0;
      let pending = readAhead(after);
      for (;;) {
        const row = await pending;
        if (row === 'unpackable') {
          // Only a row can fail the statement, so there is one; checked all the same, so that the
          // walk ends with the chain whatever the failure.
          if ((await this.nextSeqAfter(after)) === undefined) return;
          pending = readAhead(after + batchSize);
          yield {
            count: 0,
            firstSeq: after + 1,
            lastSeq: after + batchSize,
            payloads: new Uint8Array(),
            hashes: '',
          };
          after += batchSize;
          continue;
        }
        const count = row ? readInteger(row.count) : 0;
        if (!row || count === 0 || row.first_seq === null || row.last_seq === null) {
          const next = await this.nextSeqAfter(after);
          if (next === undefined) return;
          after = next - 1;
          pending = readAhead(after);
          continue;
        }
        pending = readAhead(after + batchSize);
        yield {
          count,
          firstSeq: readInteger(row.first_seq),
          lastSeq: readInteger(row.last_seq),
          // A view as a Buffer (no copy), whose indexOf is the C library's byte search.
          payloads: row.payloads
            ? Buffer.from(row.payloads.buffer, row.payloads.byteOffset, row.payloads.byteLength)
            : new Uint8Array(),
          hashes: row.hashes ?? '',
        };
        after += batchSize;
      }
    } finally {
      await thread?.close();
    }
  }

  /** The first sequence number after `after`, or undefined at the end of the chain. */
  private async nextSeqAfter(after: number): Promise<number | undefined> {
    const next = await this.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('seq', '>', after)
      .executeTakeFirst();
    return next?.seq === null || next?.seq === undefined ? undefined : readInteger(next.seq);
  }

  /** The main database's file, or undefined for an in-memory database. */
  private async sqliteFile(): Promise<string | undefined> {
    const { rows } = await sql<{ file: string | null }>`select file from pragma_database_list
      where name = 'main'`.execute(this.db);
    const file = rows[0]?.file;
    return file ? file : undefined;
  }
}
