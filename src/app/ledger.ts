import { IsoDate } from '../core/calendar/iso-date.ts';
import type { Actor } from '../core/directory/organization.ts';
import { assert, Failure } from '../core/errors.ts';
import type { AccountName } from '../core/ledger/account.ts';
import { BeancountJournal } from '../core/ledger/beancount-journal.ts';
import { HledgerJournal, type IdentifiedEntry } from '../core/ledger/hledger-journal.ts';
import { JournalEntry } from '../core/ledger/journal-entry.ts';
import type { AccountBalance } from '../core/ledger/ledger.ts';
import type { CurrencyCode } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import type { RecordedEntry } from '../store/ledger.repository.ts';
import type { Page, PageRequest } from '../store/page.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, authorize, timestamp } from './context.ts';

/**
 * Writes journal entries inside the caller's transaction. Each entry is checked again here, just
 * before it is stored (the core built it balanced; "invariants twice"), and gets the next journal
 * sequence number.
 */
export async function writeEntries(
  context: AppContext,
  repositories: Repositories,
  entries: readonly JournalEntry[],
): Promise<RecordedEntry[]> {
  const recorded: RecordedEntry[] = [];
  for (const entry of entries) {
    assert(JournalEntry.isBalanced(entry.postings), `journal entry '${entry.description}' balances`);
    const seq = await repositories.sequences.next('journal_entry');
    recorded.push(await repositories.ledger.insert(entry, context.newId(), seq, timestamp(context)));
  }
  return recorded;
}

/** A real calendar date (the schema checks the shape only: 2026-02-30 has it), or VALIDATION_FAILED. */
function checkedAsOf(asOf: string | undefined): IsoDate | undefined {
  if (asOf === undefined || IsoDate.isValid(asOf)) return asOf;
  throw new Failure('VALIDATION_FAILED', `'${asOf.slice(0, 20)}' is not a date (YYYY-MM-DD).`, [
    { path: 'querystring:/asOf', message: 'must be a date YYYY-MM-DD' },
  ]);
}

export function accountBalances(
  context: AppContext,
  actor: Actor,
  asOf?: IsoDate,
): Promise<AccountBalance[]> {
  authorize(actor, 'ledger.read');
  return context.store.read.ledger.balances(checkedAsOf(asOf));
}

export function listEntries(
  context: AppContext,
  actor: Actor,
  filter: { account?: AccountName; asOf?: IsoDate },
  page: PageRequest,
): Promise<Page<RecordedEntry>> {
  authorize(actor, 'ledger.read');
  checkedAsOf(filter.asOf);
  return context.store.read.ledger.list(filter, page);
}

export interface LedgerVerdict {
  readonly ok: boolean;
  readonly entries: number;
  readonly postings: number;
  readonly unbalancedEntries: readonly string[];
  /** Accounts whose recomputed balance differs from the database's own sum. */
  readonly mismatchedBalances: readonly string[];
}

/**
 * The auditor's check: every stored entry balances per currency, and every balance recomputed in
 * this process from the postings equals the balance the database sums.
 */
export async function verifyLedger(context: AppContext, actor: Actor): Promise<LedgerVerdict> {
  authorize(actor, 'ledger.read');
  const unbalanced: string[] = [];
  let entries = 0;
  let postings = 0;
  for await (const entry of context.store.read.ledger.all()) {
    entries += 1;
    postings += entry.postings.length;
    if (!JournalEntry.isBalanced(entry.postings)) unbalanced.push(entry.id);
  }
  // Summed here, posting by posting, independently of the database's own SUM.
  const sums = new Map<string, { account: AccountName; minor: bigint; currency: Money['currency'] }>();
  for await (const posting of context.store.read.ledger.postings()) {
    const sumKey = `${posting.account} ${posting.amount.currency}`;
    const sum = sums.get(sumKey) ?? {
      account: posting.account,
      minor: 0n,
      currency: posting.amount.currency,
    };
    sum.minor += posting.amount.minor;
    sums.set(sumKey, sum);
  }
  const recomputed: AccountBalance[] = [...sums.values()].map((sum) => ({
    account: sum.account,
    balance: Money.of(sum.minor, sum.currency),
  }));
  const stored = await context.store.read.ledger.balances();
  const key = (balance: AccountBalance) => `${balance.account} ${balance.balance.currency}`;
  const storedByKey = new Map(stored.map((balance) => [key(balance), balance.balance]));
  const mismatched = recomputed
    .filter((balance) => {
      const other = storedByKey.get(key(balance));
      return !other || !Money.equals(other, balance.balance);
    })
    .map(key);
  if (stored.length !== recomputed.length) mismatched.push('(account count differs)');
  return {
    ok: unbalanced.length === 0 && mismatched.length === 0,
    entries,
    postings,
    unbalancedEntries: unbalanced,
    mismatchedBalances: mismatched,
  };
}

/** The journal formats the ledger exports to; a new one is one more entry in `exportWriters`. */
export const ledgerExportFormats = ['hledger', 'beancount'] as const;
export type LedgerExportFormat = (typeof ledgerExportFormats)[number];

interface ExportWriter {
  readonly fileExtension: string;
  readonly mediaType: string;
  write(
    entries: AsyncIterable<IdentifiedEntry>,
    facts: {
      readonly currencies: readonly CurrencyCode[];
      readonly accounts: readonly AccountName[];
      readonly exportedAt: string;
    },
  ): AsyncIterable<string>;
}

const exportWriters: Readonly<Record<LedgerExportFormat, ExportWriter>> = {
  hledger: {
    fileExtension: HledgerJournal.fileExtension,
    mediaType: 'text/plain; charset=utf-8',
    write: (entries, facts) => HledgerJournal.write(entries, facts),
  },
  beancount: {
    fileExtension: BeancountJournal.fileExtension,
    mediaType: 'text/plain; charset=utf-8',
    write: (entries, facts) => BeancountJournal.write(entries, facts),
  },
};

function isExportFormat(format: string): format is LedgerExportFormat {
  return (ledgerExportFormats as readonly string[]).includes(format);
}

/** A ledger export: the text chunks of the file, with the name and media type to serve it under. */
export interface LedgerExport extends AsyncIterable<string> {
  readonly format: LedgerExportFormat;
  /** `purl-ledger-YYYY-MM-DD.journal` (or `.beancount`), dated on the day of the export. */
  readonly fileName: string;
  readonly mediaType: string;
}

/**
 * The whole journal in a plain-text accounting format, for an auditor to recompute every balance
 * with an independent tool (docs/ledger.md). Access and the format are checked at once; the text is
 * then produced lazily, entry batch by entry batch, as the reader takes the chunks, so an export of
 * a million postings is never held in memory. The reads are not one snapshot: entries recorded
 * while the export runs may or may not be in it, but every entry in it is whole.
 */
export function exportLedger(context: AppContext, actor: Actor, format: string): LedgerExport {
  authorize(actor, 'ledger.export');
  if (typeof format !== 'string' || !isExportFormat(format)) {
    throw new Failure(
      'VALIDATION_FAILED',
      `'${String(format).slice(0, 20)}' is not a ledger export format; use one of: ${ledgerExportFormats.join(', ')}.`,
      [{ path: '/format', message: `one of: ${ledgerExportFormats.join(', ')}` }],
    );
  }
  const writer = exportWriters[format];
  const exportedAt = timestamp(context);
  const ledger = context.store.read.ledger;
  async function* chunks(): AsyncGenerator<string> {
    // The currencies (and accounts) come first: the journal declares each before any entry uses it.
    const balances = await ledger.balances();
    const currencies = [...new Set(balances.map((balance) => balance.balance.currency))].sort();
    const accounts = [...new Set(balances.map((balance) => balance.account))].sort();
    yield* writer.write(ledger.all(), { currencies, accounts, exportedAt });
  }
  return {
    format,
    fileName: `purl-ledger-${exportedAt.slice(0, 10)}.${writer.fileExtension}`,
    mediaType: writer.mediaType,
    [Symbol.asyncIterator]: chunks,
  };
}
