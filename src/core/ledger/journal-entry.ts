import { IsoDate } from '../calendar/iso-date.ts';
import { assert } from '../errors.ts';
import { Limits } from '../limits.ts';
import { Currency, type CurrencyCode } from '../money/currency.ts';
import { Fraction } from '../money/fraction.ts';
import { Money } from '../money/money.ts';
import { Rate } from '../money/rate.ts';
import type { RoundingMode } from '../money/rounding-mode.ts';
import { Account, type AccountName } from './account.ts';

/** One line of a journal entry: an amount debited (positive) or credited (negative) to an account. */
export interface Posting {
  readonly account: AccountName;
  readonly amount: Money;
}

/**
 * What a conversion entry records beside its postings, enough to recompute it by hand: the exact
 * rate with its pair, date and source, the named rounding, and the residue that rounding dropped
 * (exact − converted), in major units of the target currency, written exactly ("0.0034", "1/300").
 */
export interface ConversionRecord {
  readonly from: Money;
  readonly to: Money;
  readonly rate: string;
  readonly rateBase: CurrencyCode;
  readonly rateQuote: CurrencyCode;
  readonly rateDate: IsoDate;
  readonly rateSource: string;
  readonly rounding: RoundingMode;
  readonly residue: string;
}

/**
 * A balanced set of postings on one date. Immutable: a correction is a reversing entry
 * (`JournalEntry.reverse`). Entries carry no id: the store assigns one, and a reversal names the
 * id of the entry it reverses in `reverses`.
 */
export interface JournalEntry {
  readonly date: IsoDate;
  readonly description: string;
  readonly postings: readonly Posting[];
  /** hledger tags (`pledge:…`, `stage:…`): lower-case names, values without commas or newlines. */
  readonly tags: Readonly<Record<string, string>>;
  readonly reverses: string | null;
  readonly conversion: ConversionRecord | null;
}

export interface JournalEntryInput {
  readonly date: IsoDate;
  readonly description: string;
  readonly postings: readonly Posting[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly reverses?: string | null;
  readonly conversion?: ConversionRecord | null;
}

export interface ConversionEntryInput {
  readonly date: IsoDate;
  readonly description: string;
  /** The account the money leaves, and the amount that leaves it (positive, in the source currency). */
  readonly from: { readonly account: AccountName; readonly amount: Money };
  /** The account the converted money enters. */
  readonly to: { readonly account: AccountName; readonly currency: CurrencyCode };
  readonly rate: Rate;
  readonly rounding: RoundingMode;
  readonly tags?: Readonly<Record<string, string>>;
}

const tagNamePattern = /^[a-z][a-z0-9-]*$/;
// hledger ends a description at ';' (a comment) and a tag value at ',' or the end of the line.
const descriptionForbidden = /[;\p{Cc}]/u;
const tagValueForbidden = /[,;\p{Cc}]/u;

function requireMoney(value: unknown, where: string): asserts value is Money {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Money).minor !== 'bigint' ||
    typeof (value as Money).currency !== 'string'
  ) {
    throw new TypeError(`${where} takes Money, never a JS number`);
  }
}

function requirePostings(postings: unknown, where: string): asserts postings is readonly Posting[] {
  if (!Array.isArray(postings)) throw new TypeError(`${where} takes an array of postings`);
  for (const posting of postings) {
    if (typeof posting !== 'object' || posting === null) throw new TypeError(`${where} takes postings`);
    requireMoney((posting as Posting).amount, where);
  }
}

export const JournalEntry = {
  /**
   * The per-currency sums of `postings` that are not zero: empty when the postings balance. This is
   * the check an auditor reruns on every stored entry.
   */
  check(postings: readonly Posting[]): Money[] {
    requirePostings(postings, 'JournalEntry.check');
    const sums = new Map<CurrencyCode, bigint>();
    for (const posting of postings) {
      sums.set(posting.amount.currency, (sums.get(posting.amount.currency) ?? 0n) + posting.amount.minor);
    }
    return [...sums]
      .filter(([, minor]) => minor !== 0n)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, minor]) => Object.freeze({ minor, currency }));
  },

  isBalanced(postings: readonly Posting[]): boolean {
    return JournalEntry.check(postings).length === 0;
  },

  /**
   * Builds an entry. Every caller builds entries from amounts it has already checked, so an entry
   * that does not balance per currency, has fewer than two postings, a malformed account, date,
   * description or tag is a programming error: an assertion, never a Failure. Money given as a JS
   * number is a TypeError.
   */
  create(input: JournalEntryInput): JournalEntry {
    if (typeof input !== 'object' || input === null)
      throw new TypeError('JournalEntry.create takes an object');
    requirePostings(input.postings, 'JournalEntry.create');
    if (typeof input.date !== 'string' || typeof input.description !== 'string') {
      throw new TypeError('JournalEntry.create takes a date and a description as strings');
    }
    assert(IsoDate.isValid(input.date), `an entry has a valid date, not '${input.date.slice(0, 20)}'`);
    assert(
      input.description.trim().length > 0 &&
        input.description.length <= Limits.journalDescriptionLengthMax &&
        !descriptionForbidden.test(input.description),
      'an entry description is one line of text without ";"',
    );
    assert(
      input.postings.length >= 2 && input.postings.length <= Limits.postingsPerEntryMax,
      `an entry has 2 to ${Limits.postingsPerEntryMax} postings`,
    );
    for (const posting of input.postings) {
      assert(
        Account.isValid(posting.account),
        `'${String(posting.account).slice(0, 60)}' is an account name`,
      );
      assert(Currency.isKnown(posting.amount.currency), `'${posting.amount.currency}' is a currency`);
    }
    const imbalance = JournalEntry.check(input.postings);
    assert(
      imbalance.length === 0,
      `an entry balances per currency; off by ${imbalance.map((money) => `${Money.format(money)} ${money.currency}`).join(', ')}`,
    );
    const tags = { ...(input.tags ?? {}) };
    for (const [name, value] of Object.entries(tags)) {
      assert(tagNamePattern.test(name), `'${name}' is a tag name`);
      assert(
        typeof value === 'string' && value.length <= Limits.nameLengthMax && !tagValueForbidden.test(value),
        `tag '${name}' has a value without commas`,
      );
    }
    const reverses = input.reverses ?? null;
    assert(
      reverses === null || (typeof reverses === 'string' && reverses.length > 0),
      'reverses is an entry id',
    );
    return Object.freeze({
      date: input.date,
      description: input.description,
      postings: Object.freeze(
        input.postings.map((posting) => Object.freeze({ account: posting.account, amount: posting.amount })),
      ),
      tags: Object.freeze(tags),
      reverses,
      conversion: input.conversion ?? null,
    });
  },

  /**
   * A conversion: money leaves `from.account` in its currency and enters `to.account` in the target
   * currency, through the two exchange accounts of the pair (hledger's `equity:conversion:A-B:A`
   * and `…:B`), so that each currency balances on its own:
   *
   *     from.account                    -100.00 EUR
   *     equity:conversion:EUR-USD:EUR    100.00 EUR
   *     equity:conversion:EUR-USD:USD   -108.34 USD
   *     to.account                       108.34 USD
   *
   * The amount is converted with `Money.convert` (exact product, rounded once with `rounding`);
   * the entry's `conversion` records the rate, its date and source, the rounding and the residue.
   */
  conversion(input: ConversionEntryInput): JournalEntry {
    if (typeof input !== 'object' || input === null)
      throw new TypeError('JournalEntry.conversion takes an object');
    requireMoney(input.from?.amount, 'JournalEntry.conversion');
    const source = input.from.amount;
    const target = input.to.currency;
    assert(source.minor > 0n, 'a conversion moves a positive amount');
    assert(source.currency !== target, 'a conversion changes the currency');
    const converted = Money.convert(source, input.rate, target, input.rounding);
    const residue = Fraction.divide(
      converted.residueMinor,
      Fraction.of(10n ** BigInt(Currency.scale(target))),
    );
    return JournalEntry.create({
      date: input.date,
      description: input.description,
      postings: [
        { account: input.from.account, amount: Money.negate(source) },
        { account: Account.conversion(source.currency, target, source.currency), amount: source },
        { account: Account.conversion(source.currency, target, target), amount: Money.negate(converted.to) },
        { account: input.to.account, amount: converted.to },
      ],
      tags: input.tags ?? {},
      conversion: Object.freeze({
        from: source,
        to: converted.to,
        rate: Rate.format(input.rate),
        rateBase: input.rate.base,
        rateQuote: input.rate.quote,
        rateDate: input.rate.date,
        rateSource: input.rate.source,
        rounding: input.rounding,
        residue: Fraction.format(residue),
      }),
    });
  },

  /**
   * The entry that undoes `entry`: the same accounts with every amount negated, linked to it by
   * `reverses: entryId`, dated `date` (the day of the correction, never rewritten into the past).
   */
  reverse(
    entry: JournalEntry,
    entryId: string,
    correction: { readonly date: IsoDate; readonly description?: string },
  ): JournalEntry {
    if (typeof entry !== 'object' || entry === null)
      throw new TypeError('JournalEntry.reverse takes an entry');
    requirePostings(entry.postings, 'JournalEntry.reverse');
    if (typeof entryId !== 'string')
      throw new TypeError('JournalEntry.reverse takes the entry id as a string');
    const description = correction.description ?? `Reversal of ${entry.description}`;
    return JournalEntry.create({
      date: correction.date,
      description: description.slice(0, Limits.journalDescriptionLengthMax),
      postings: entry.postings.map((posting) => ({
        account: posting.account,
        amount: Money.negate(posting.amount),
      })),
      tags: entry.tags,
      reverses: entryId,
    });
  },
} as const;
