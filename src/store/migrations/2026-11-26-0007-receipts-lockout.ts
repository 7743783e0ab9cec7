import type { Kysely } from 'kysely';

/**
 * Frozen in time. The exact content an audit event's after-digest covers, for the writes that give
 * a receipt (pledges): a receipt then proves the content, not only that some content was hashed.
 * And the consecutive failed logins of each account, kept in the database so that every server
 * process counts them together.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_document')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().references('audit_event.seq'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_document_object')
    .on('audit_document')
    .columns(['object_type', 'object_id', 'seq'])
    .execute();
  await db.schema
    .createTable('login_failure')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('PURL Desk migrations are forward-only; restore a backup instead.');
}
