import type { Kysely, Selectable } from 'kysely';
import { AuditChain, type AuditEvent, type Sha256Hex } from '../core/audit/audit-event.ts';
import { readInteger } from './columns.ts';
import type { AuditEventTable, Database } from './database.ts';
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

/**
 * The audit chain: append and read, never update or delete. The head row is updated first in the
 * writer's transaction, which takes its row lock: concurrent writers (several processes on one
 * PostgreSQL) queue there, so the chain stays one line with no fork and no gap.
 */
export class AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
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

  /** Every event in order, one at a time. */
  async *all(batchSize = 1000): AsyncGenerator<AuditEvent> {
    for await (const batch of this.batches(batchSize)) yield* batch;
  }

  /**
   * Every event in order, a batch at a time (keyset pagination on the sequence, so each batch is one
   * index range scan whatever its position): what verification walks, without an await per event.
   */
  async *batches(batchSize = 2000): AsyncGenerator<AuditEvent[]> {
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_event')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length) yield rows.map(toEvent);
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      after = readInteger(last.seq);
    }
  }
}
