import type { Kysely } from 'kysely';

/** Frozen in time. Signed checkpoints of the audit chain, and the public keys that sign them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_signing_key')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_checkpoint')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().references('audit_signing_key.key_id'))
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('PURL Desk migrations are forward-only; restore a backup instead.');
}
