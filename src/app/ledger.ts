import type { IsoDate } from '../core/calendar/iso-date.ts';
import type { Actor } from '../core/directory/organization.ts';
import { assert } from '../core/errors.ts';
import type { AccountName } from '../core/ledger/account.ts';
import { JournalEntry } from '../core/ledger/journal-entry.ts';
import type { AccountBalance } from '../core/ledger/ledger.ts';
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

export function accountBalances(
  context: AppContext,
  actor: Actor,
  asOf?: IsoDate,
): Promise<AccountBalance[]> {
  authorize(actor, 'ledger.read');
  return context.store.read.ledger.balances(asOf);
}

export function listEntries(
  context: AppContext,
  actor: Actor,
  filter: { account?: AccountName },
  page: PageRequest,
): Promise<Page<RecordedEntry>> {
  authorize(actor, 'ledger.read');
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
