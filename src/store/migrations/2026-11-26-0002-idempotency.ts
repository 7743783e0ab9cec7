import type { Kysely } from 'kysely';

/** Frozen in time. Idempotency keys: the first response of a money write, replayed on retry. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_key')
    .addColumn('actor_user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('request_digest', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_key_pk', ['actor_user_id', 'key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('PURL Desk migrations are forward-only; restore a backup instead.');
}
