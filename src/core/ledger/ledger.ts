import { IsoDate } from '../calendar/iso-date.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import { Account, type AccountName } from './account.ts';
import { JournalEntry, type Posting } from './journal-entry.ts';

/** A posting with the date of its entry: the row a balance is computed from. */
export interface DatedPosting {
  readonly date: IsoDate;
  readonly account: AccountName;
  readonly amount: Money;
}

/** The balance of one account in one currency. */
export interface AccountBalance {
  readonly account: AccountName;
  readonly balance: Money;
}

/** An entry as stored: its id and its postings. */
export interface StoredEntry {
  readonly id: string;
  readonly postings: readonly Posting[];
}

export const Ledger = {
  /** The postings of `entries`, each with its entry's date. */
  postingsOf(entries: Iterable<JournalEntry>): DatedPosting[] {
    const result: DatedPosting[] = [];
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.postings)) {
        throw new TypeError('Ledger.postingsOf takes journal entries');
      }
      for (const posting of entry.postings) {
        result.push({ date: entry.date, account: posting.account, amount: posting.amount });
      }
    }
    return result;
  },

  /**
   * The balance of every account in every currency it has seen, summed exactly on bigints from the
   * postings dated on or before `asOf` (all of them without it). Sorted by account, then currency.
   * An account whose postings cancel out keeps its zero balance, as `hledger bal -E` shows it.
   */
  balances(postings: Iterable<DatedPosting>, asOf?: IsoDate): AccountBalance[] {
    if (asOf !== undefined) IsoDate.parse(asOf);
    const sums = new Map<AccountName, Map<CurrencyCode, bigint>>();
    for (const posting of postings) {
      const amount = posting.amount;
      if (typeof amount !== 'object' || amount === null || typeof amount.minor !== 'bigint') {
        throw new TypeError('Ledger.balances takes postings with Money amounts, never a JS number');
      }
      if (asOf !== undefined && posting.date > asOf) continue;
      let byCurrency = sums.get(posting.account);
      if (!byCurrency) {
        byCurrency = new Map();
        sums.set(posting.account, byCurrency);
      }
      byCurrency.set(amount.currency, (byCurrency.get(amount.currency) ?? 0n) + amount.minor);
    }
    const result: AccountBalance[] = [];
    for (const account of [...sums.keys()].sort()) {
      const byCurrency = sums.get(account) ?? new Map<CurrencyCode, bigint>();
      for (const currency of [...byCurrency.keys()].sort()) {
        result.push({ account, balance: Money.of(byCurrency.get(currency) ?? 0n, currency) });
      }
    }
    return result;
  },

  /**
   * The per-currency total of `account` and all its sub-accounts (what hledger prints on a parent
   * line): `subtotal(balances, 'pledges')` is all the money announced and not reversed.
   */
  subtotal(balances: readonly AccountBalance[], account: AccountName): Money[] {
    const sums = new Map<CurrencyCode, bigint>();
    if (typeof account !== 'string') throw new TypeError('Ledger.subtotal takes an account name');
    for (const { account: name, balance } of balances) {
      if (typeof balance !== 'object' || balance === null || typeof balance.minor !== 'bigint') {
        throw new TypeError('Ledger.subtotal takes balances of Money, never a JS number');
      }
      if (!Account.isWithin(name, account)) continue;
      sums.set(balance.currency, (sums.get(balance.currency) ?? 0n) + balance.minor);
    }
    return [...sums.keys()].sort().map((currency) => Money.of(sums.get(currency) ?? 0n, currency));
  },

  /** The entries that do not balance per currency, with their imbalance: empty for a sound ledger. */
  unbalancedEntries(entries: Iterable<StoredEntry>): { readonly id: string; readonly imbalance: Money[] }[] {
    const result: { id: string; imbalance: Money[] }[] = [];
    for (const entry of entries) {
      const imbalance = JournalEntry.check(entry.postings);
      if (imbalance.length > 0) result.push({ id: entry.id, imbalance });
    }
    return result;
  },
} as const;
