import type { Kysely } from 'kysely';
import { readInteger } from './columns.ts';
import type { Database } from './database.ts';

export interface StoredResponse {
  readonly route: string;
  readonly requestDigest: string;
  readonly status: number;
  readonly body: string;
}

/** First responses of money writes by (actor, Idempotency-Key); written in the write's own transaction. */
export class IdempotencyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(actorUserId: string, key: string): Promise<StoredResponse | undefined> {
    const row = await this.db
      .selectFrom('idempotency_key')
      .selectAll()
      .where('actor_user_id', '=', actorUserId)
      .where('key', '=', key)
      .executeTakeFirst();
    return (
      row && {
        route: row.route,
        requestDigest: row.request_digest,
        status: readInteger(row.response_status),
        body: row.response_body,
      }
    );
  }

  async insert(actorUserId: string, key: string, response: StoredResponse, createdAt: string): Promise<void> {
    await this.db
      .insertInto('idempotency_key')
      .values({
        actor_user_id: actorUserId,
        key,
        route: response.route,
        request_digest: response.requestDigest,
        response_status: response.status,
        response_body: response.body,
        created_at: createdAt,
      })
      .execute();
  }
}
