import type { Kysely } from 'kysely';
import type { IsoDate } from '../core/calendar/iso-date.ts';
import type { FxRateRecord } from '../core/fx/fx-table.ts';
import type { Database } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

const insertBatchSize = 400;

/** Per-USD rates by currency and date, each with its source; an import replaces a day's rate. */
export class FxRateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(records: readonly FxRateRecord[], recordedAt: string): Promise<void> {
    for (let start = 0; start < records.length; start += insertBatchSize) {
      await this.db
        .insertInto('fx_rate')
        .values(
          records.slice(start, start + insertBatchSize).map((record) => ({
            currency: record.currency,
            date: record.date,
            per_usd: record.perUsd,
            source: record.source,
            recorded_at: recordedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['currency', 'date']).doUpdateSet((eb) => ({
            per_usd: eb.ref('excluded.per_usd'),
            source: eb.ref('excluded.source'),
            recorded_at: eb.ref('excluded.recorded_at'),
          })),
        )
        .execute();
    }
  }

  /** The latest rate of the currency on or before the date, if any. */
  async latestOnOrBefore(currency: string, date: IsoDate): Promise<FxRateRecord | undefined> {
    const row = await this.db
      .selectFrom('fx_rate')
      .select(['currency', 'date', 'per_usd', 'source'])
      .where('currency', '=', currency)
      .where('date', '<=', date)
      .orderBy('date', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { currency: row.currency, date: row.date, perUsd: row.per_usd, source: row.source };
  }

  async list(filter: { currency?: string }, page: PageRequest): Promise<Page<FxRateRecord>> {
    let query = this.db
      .selectFrom('fx_rate')
      .select(['currency', 'date', 'per_usd', 'source'])
      .orderBy('currency')
      .orderBy('date', 'desc')
      .limit(page.limit + 1);
    if (filter.currency) query = query.where('currency', '=', filter.currency);
    if (page.cursor) {
      const [currency = '', date = ''] = Cursor.decode(page.cursor);
      query = query.where((eb) =>
        eb.or([
          eb('currency', '>', currency),
          eb.and([eb('currency', '=', currency), eb('date', '<', date)]),
        ]),
      );
    }
    const rows = await query.execute();
    return Cursor.page(
      rows.map((row) => ({
        currency: row.currency,
        date: row.date,
        perUsd: row.per_usd,
        source: row.source,
      })),
      page.limit,
      (record) => [record.currency, record.date],
    );
  }
}
