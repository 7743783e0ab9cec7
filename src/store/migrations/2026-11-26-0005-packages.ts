import type { Kysely } from 'kysely';

/** Frozen in time. Packages with their lines, deliveries, and the allocations of pledge money to lines. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('package')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull().unique())
    .addColumn('target_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('package_status').on('package').column('status').execute();

  await db.schema
    .createTable('package_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('package_id', 'text', (c) => c.notNull().references('package.id'))
    .addColumn('requirement_id', 'text', (c) => c.notNull().references('requirement.id'))
    .addColumn('category', 'text', (c) => c.notNull().references('category.code'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint')
    .addColumn('delivered_quantity', 'integer', (c) => c.notNull())
    .addColumn('received_quantity', 'integer', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addUniqueConstraint('package_line_number', ['package_id', 'line_no'])
    .addUniqueConstraint('package_line_requirement', ['package_id', 'requirement_id'])
    .execute();
  await db.schema
    .createIndex('package_line_requirement_id')
    .on('package_line')
    .column('requirement_id')
    .execute();

  await db.schema
    .createTable('delivery')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('package_id', 'text', (c) => c.notNull().references('package.id'))
    .addColumn('line_id', 'text', (c) => c.notNull().references('package_line.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('shipped_on', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text')
    .addColumn('received_by', 'text')
    .execute();
  await db.schema.createIndex('delivery_package').on('delivery').column('package_id').execute();

  await db.schema
    .createTable('allocation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('pledge_id', 'text', (c) => c.notNull().references('pledge.id'))
    .addColumn('package_id', 'text', (c) => c.notNull().references('package.id'))
    .addColumn('line_id', 'text', (c) => c.notNull().references('package_line.id'))
    .addColumn('usd_minor', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entry.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .addColumn('release_entry_id', 'text', (c) => c.references('journal_entry.id'))
    .execute();
  await db.schema.createIndex('allocation_package').on('allocation').column('package_id').execute();
  await db.schema.createIndex('allocation_pledge').on('allocation').column('pledge_id').execute();
  await db.schema.createIndex('allocation_line').on('allocation').column('line_id').execute();
  await db.schema.createIndex('allocation_entry').on('allocation').column('entry_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('PURL Desk migrations are forward-only; restore a backup instead.');
}
