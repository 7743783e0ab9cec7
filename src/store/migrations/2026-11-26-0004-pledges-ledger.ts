import type { Kysely } from 'kysely';

/** Frozen in time. Exchange rates, pledges, and the double-entry journal. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fx_rate')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('per_usd', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fx_rate_pk', ['currency', 'date'])
    .execute();

  await db.schema
    .createTable('pledge')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('donor_code', 'text', (c) => c.notNull().references('organization.code'))
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('announced_on', 'text', (c) => c.notNull())
    .addColumn('forum', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('committed_on', 'text')
    .addColumn('paid_on', 'text')
    .addColumn('earmark', 'text', (c) => c.notNull())
    .addColumn('earmark_package_id', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('duplicate_of', 'text', (c) => c.references('pledge.id'))
    .addColumn('usd_minor', 'bigint')
    .addColumn('usd_per_usd', 'text')
    .addColumn('usd_rate_date', 'text')
    .addColumn('usd_rate_source', 'text')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pledge_donor').on('pledge').column('donor_code').execute();

  await db.schema
    .createTable('journal_entry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull().unique())
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('reverses', 'text', (c) => c.references('journal_entry.id'))
    .addColumn('conversion', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('posting')
    .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entry.id'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('posting_pk', ['entry_id', 'line'])
    .execute();
  await db.schema
    .createIndex('posting_account')
    .on('posting')
    .columns(['account', 'currency', 'entry_date'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('PURL Desk migrations are forward-only; restore a backup instead.');
}
