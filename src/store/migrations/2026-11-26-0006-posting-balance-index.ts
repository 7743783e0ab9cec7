import type { Kysely } from 'kysely';

/** Frozen in time. A covering index: balances are summed from the index without reading the table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('posting_balance')
    .on('posting')
    .columns(['account', 'currency', 'entry_date', 'amount_minor'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('PURL Desk migrations are forward-only; restore a backup instead.');
}
