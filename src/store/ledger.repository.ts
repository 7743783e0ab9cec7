import type { Kysely } from 'kysely';
import type { IsoDate } from '../core/calendar/iso-date.ts';
import type { AccountName } from '../core/ledger/account.ts';
import type { ConversionRecord, JournalEntry, Posting } from '../core/ledger/journal-entry.ts';
import type { AccountBalance, DatedPosting } from '../core/ledger/ledger.ts';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import { readInteger, readMinorUnits } from './columns.ts';
import type { Database } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

/** An entry as stored: the core's entry with the id and order the store gave it. */
export interface RecordedEntry extends JournalEntry {
  readonly id: string;
  readonly seq: number;
  readonly recordedAt: string;
}

const insertBatchSize = 500;

/**
 * The journal: entries and their postings, append-only (a correction is a reversing entry). The
 * entry sequence number comes from the `sequence` table inside the writer's transaction, so the
 * journal has one total order on both dialects.
 */
export class LedgerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(entry: JournalEntry, id: string, seq: number, recordedAt: string): Promise<RecordedEntry> {
    await this.db
      .insertInto('journal_entry')
      .values({
        id,
        seq,
        entry_date: entry.date,
        description: entry.description,
        tags: JSON.stringify(entry.tags),
        reverses: entry.reverses,
        conversion: entry.conversion === null ? null : JSON.stringify(conversionToJson(entry.conversion)),
        recorded_at: recordedAt,
      })
      .execute();
    const rows = entry.postings.map((posting, line) => ({
      entry_id: id,
      line: line + 1,
      account: posting.account,
      amount_minor: posting.amount.minor,
      currency: posting.amount.currency,
      entry_date: entry.date,
    }));
    for (let start = 0; start < rows.length; start += insertBatchSize) {
      await this.db
        .insertInto('posting')
        .values(rows.slice(start, start + insertBatchSize))
        .execute();
    }
    return { ...entry, id, seq, recordedAt };
  }

  /** One entry with its postings, by id. */
  async findById(id: string): Promise<RecordedEntry | undefined> {
    const rows = await this.db.selectFrom('journal_entry').selectAll().where('id', '=', id).execute();
    const [entry] = await this.withPostings(rows);
    return entry;
  }

  /** Balances per account and currency, summed by the database, as of a date (inclusive). */
  async balances(asOf?: IsoDate): Promise<AccountBalance[]> {
    let query = this.db
      .selectFrom('posting')
      .select(['account', 'currency'])
      .select((eb) => eb.fn.sum<bigint | string>('amount_minor').as('total'))
      .groupBy(['account', 'currency'])
      .orderBy('account')
      .orderBy('currency');
    if (asOf) query = query.where('entry_date', '<=', asOf);
    const rows = await query.execute();
    return rows.map((row) => ({
      account: row.account,
      balance: Money.of(readMinorUnits(row.total), Currency.parse(row.currency)),
    }));
  }

  /** Every posting in journal order, in batches: what an auditor's recomputation reads. */
  async *postings(batchSize = 5000): AsyncGenerator<DatedPosting> {
    let after: [number, number] = [0, 0];
    for (;;) {
      const [seq, line] = after;
      const rows = await this.db
        .selectFrom('posting')
        .innerJoin('journal_entry', 'journal_entry.id', 'posting.entry_id')
        .select([
          'journal_entry.seq',
          'posting.line',
          'posting.account',
          'posting.amount_minor',
          'posting.currency',
          'posting.entry_date',
        ])
        // The plain range first lets SQLite seek the index; the OR alone made every batch rescan.
        .where('journal_entry.seq', '>=', seq)
        .where((eb) =>
          eb.or([
            eb('journal_entry.seq', '>', seq),
            eb.and([eb('journal_entry.seq', '=', seq), eb('posting.line', '>', line)]),
          ]),
        )
        .orderBy('journal_entry.seq')
        .orderBy('posting.line')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        yield {
          date: row.entry_date,
          account: row.account,
          amount: Money.of(readMinorUnits(row.amount_minor), Currency.parse(row.currency)),
        };
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      after = [readInteger(last.seq), readInteger(last.line)];
    }
  }

  /**
   * Entries with their postings, in journal order; optionally only those touching an account (or
   * below it), or those dated on or before `asOf` (the entries behind the balances as of that day).
   */
  async list(
    filter: { account?: AccountName; tag?: [string, string]; asOf?: IsoDate },
    page: PageRequest,
  ): Promise<Page<RecordedEntry>> {
    let query = this.db
      .selectFrom('journal_entry')
      .selectAll()
      .orderBy('seq')
      .limit(page.limit + 1);
    if (filter.asOf) query = query.where('entry_date', '<=', filter.asOf);
    if (page.cursor) {
      const [seq = '0'] = Cursor.decode(page.cursor);
      query = query.where('seq', '>', Number.parseInt(seq, 10));
    }
    if (filter.account) {
      const account = filter.account;
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('posting')
          .select('entry_id')
          .where((inner) =>
            inner.or([inner('account', '=', account), inner('account', 'like', `${account}:%`)]),
          ),
      );
    }
    const rows = await query.execute();
    const entries = await this.withPostings(rows);
    return Cursor.page(entries, page.limit, (entry) => [String(entry.seq)]);
  }

  async *all(batchSize = 1000): AsyncGenerator<RecordedEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('journal_entry')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const entry of await this.withPostings(rows)) yield entry;
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      after = readInteger(last.seq);
    }
  }

  private async withPostings(
    rows: readonly {
      id: string;
      seq: number | bigint;
      entry_date: string;
      description: string;
      tags: string;
      reverses: string | null;
      conversion: string | null;
      recorded_at: string;
    }[],
  ): Promise<RecordedEntry[]> {
    if (!rows.length) return [];
    const postingRows = await this.db
      .selectFrom('posting')
      .selectAll()
      .where(
        'entry_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('entry_id')
      .orderBy('line')
      .execute();
    const byEntry = new Map<string, Posting[]>();
    for (const row of postingRows) {
      const list = byEntry.get(row.entry_id) ?? [];
      list.push({
        account: row.account,
        amount: Money.of(readMinorUnits(row.amount_minor), Currency.parse(row.currency)),
      });
      byEntry.set(row.entry_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      seq: readInteger(row.seq),
      recordedAt: row.recorded_at,
      date: row.entry_date,
      description: row.description,
      postings: byEntry.get(row.id) ?? [],
      tags: JSON.parse(row.tags) as Record<string, string>,
      reverses: row.reverses,
      conversion: row.conversion === null ? null : conversionFromJson(JSON.parse(row.conversion)),
    }));
  }
}

interface ConversionJson {
  from: { amount: string; currency: string };
  to: { amount: string; currency: string };
  rate: string;
  rateBase: string;
  rateQuote: string;
  rateDate: string;
  rateSource: string;
  rounding: string;
  residue: string;
}

function conversionToJson(record: ConversionRecord): ConversionJson {
  return { ...record, from: Money.toJson(record.from), to: Money.toJson(record.to) };
}

function conversionFromJson(json: ConversionJson): ConversionRecord {
  return {
    ...json,
    from: Money.parse(json.from.amount, json.from.currency),
    to: Money.parse(json.to.amount, json.to.currency),
    rateBase: Currency.parse(json.rateBase),
    rateQuote: Currency.parse(json.rateQuote),
    rounding: json.rounding as ConversionRecord['rounding'],
  };
}
