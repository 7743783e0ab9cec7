import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvariantViolation } from '../../src/core/errors.ts';
import { Account } from '../../src/core/ledger/account.ts';
import { JournalEntry, type Posting } from '../../src/core/ledger/journal-entry.ts';
import { type DatedPosting, Ledger } from '../../src/core/ledger/ledger.ts';
import { Currency, type CurrencyCode } from '../../src/core/money/currency.ts';
import { Fraction } from '../../src/core/money/fraction.ts';
import { Money } from '../../src/core/money/money.ts';
import { Rate } from '../../src/core/money/rate.ts';

const seed = 42;
const usd = Currency.parse('USD');
const eur = Currency.parse('EUR');
const gbp = Currency.parse('GBP');
const jpy = Currency.parse('JPY');

const accountNames = fc.constantFrom(
  Account.donor('GBR'),
  Account.donor('DEU'),
  Account.pledges('announced', 'GBR'),
  Account.pledges('committed', 'GBR'),
  Account.pledges('paid', 'DEU'),
  Account.pool,
  Account.contributions('GBR'),
  Account.conversion(eur, usd, eur),
);
const currencies = fc.constantFrom(usd, eur, gbp, jpy);
const dates = fc.constantFrom('2026-01-15', '2026-02-12', '2026-03-01', '2026-03-31', '2026-06-30');

/** A balanced entry: random postings per currency, each currency closed by one last posting. */
const balancedEntries = fc
  .tuple(
    dates,
    fc.array(fc.tuple(accountNames, currencies, fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n })), {
      minLength: 1,
      maxLength: 8,
    }),
    accountNames,
  )
  .map(([date, lines, closing]) => {
    const postings: Posting[] = lines.map(([account, currency, minor]) => ({
      account,
      amount: Money.of(minor, currency),
    }));
    const sums = new Map<CurrencyCode, bigint>();
    for (const { amount } of postings)
      sums.set(amount.currency, (sums.get(amount.currency) ?? 0n) + amount.minor);
    for (const [currency, sum] of sums) postings.push({ account: closing, amount: Money.of(-sum, currency) });
    return JournalEntry.create({ date, description: 'generated', postings });
  });

function posting(account: string, amount: string, currency: string): Posting {
  return { account, amount: Money.parse(amount, currency) };
}

describe('accounts', () => {
  test('names accounts the way hledger reads them', () => {
    expect(Account.donor('GBR')).toBe('donors:GBR');
    expect(Account.pledges('committed', 'GBR')).toBe('pledges:committed:GBR');
    expect(Account.contributions('NLD')).toBe('income:contributions:NLD');
    expect(Account.conversion(eur, usd, usd)).toBe('equity:conversion:EUR-USD:USD');
    expect(Account.isValid('pledges:committed:GBR')).toBe(true);
    for (const bad of [
      '',
      'pledges::GBR',
      'pledges:Committed',
      'cash:GBR',
      'assets:my pool',
      'assets:pool;x',
    ]) {
      expect(Account.isValid(bad), bad).toBe(false);
    }
    expect(() => Account.donor('gbr')).toThrow(InvariantViolation);
  });

  test('knows the account tree', () => {
    expect(Account.isWithin('pledges:paid:GBR', 'pledges')).toBe(true);
    expect(Account.isWithin('pledges', 'pledges')).toBe(true);
    expect(Account.isWithin('pledgesx:GBR', 'pledges')).toBe(false);
  });
});

describe('journal entries', () => {
  test('builds an entry that balances per currency', () => {
    const entry = JournalEntry.create({
      date: '2026-02-12',
      description: 'GBR pledge P-1 announced',
      postings: [
        posting('pledges:announced:GBR', '150000000.00', 'GBP'),
        posting('donors:GBR', '-150000000.00', 'GBP'),
      ],
      tags: { pledge: 'p1', stage: 'announced' },
    });
    expect(JournalEntry.check(entry.postings)).toEqual([]);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(entry.reverses).toBeNull();
  });

  test('refuses to build an entry that does not balance in each currency, even if it does in total', () => {
    const postings = [posting('assets:pool', '100.00', 'EUR'), posting('donors:DEU', '-100.00', 'USD')];
    expect(JournalEntry.check(postings)).toEqual([
      Money.parse('100.00', 'EUR'),
      Money.parse('-100.00', 'USD'),
    ]);
    expect(() => JournalEntry.create({ date: '2026-02-12', description: 'x', postings })).toThrow(
      InvariantViolation,
    );
  });

  test('refuses a malformed entry as a programming error', () => {
    const balanced = [posting('assets:pool', '1.00', 'EUR'), posting('donors:DEU', '-1.00', 'EUR')];
    const bad = [
      { date: '2026-02-30', description: 'x', postings: balanced },
      { date: '2026-02-12', description: 'a ; comment', postings: balanced },
      { date: '2026-02-12', description: 'line\nbreak', postings: balanced },
      { date: '2026-02-12', description: 'one posting', postings: [posting('assets:pool', '0.00', 'EUR')] },
      {
        date: '2026-02-12',
        description: 'x',
        postings: [posting('cash', '1.00', 'EUR'), posting('donors:DEU', '-1.00', 'EUR')],
      },
      { date: '2026-02-12', description: 'x', postings: balanced, tags: { Pledge: 'p1' } },
      { date: '2026-02-12', description: 'x', postings: balanced, tags: { source: 'a, b' } },
    ];
    for (const input of bad)
      expect(() => JournalEntry.create(input), input.description).toThrow(InvariantViolation);
  });

  test('every generated entry balances per currency', () => {
    fc.assert(
      fc.property(balancedEntries, (entry) => {
        expect(JournalEntry.isBalanced(entry.postings)).toBe(true);
        const reversal = JournalEntry.reverse(entry, 'e1', { date: '2026-07-01' });
        expect(JournalEntry.isBalanced(reversal.postings)).toBe(true);
      }),
      { seed, numRuns: 500 },
    );
  });

  test('a conversion goes through the exchange accounts and records rate, date, source and residue', () => {
    const rate = Rate.parse('1.0834', { base: eur, quote: usd, date: '2026-11-26', source: 'ECB' });
    const entry = JournalEntry.conversion({
      date: '2026-11-27',
      description: 'Convert DEU contribution to USD',
      from: { account: 'assets:pool', amount: Money.parse('300000000.05', 'EUR') },
      to: { account: 'assets:pool', currency: usd },
      rate,
      rounding: 'half-even',
      tags: { pledge: 'p2' },
    });
    expect(entry.postings.map((p) => [p.account, Money.format(p.amount), p.amount.currency])).toEqual([
      ['assets:pool', '-300000000.05', 'EUR'],
      ['equity:conversion:EUR-USD:EUR', '300000000.05', 'EUR'],
      ['equity:conversion:EUR-USD:USD', '-325020000.05', 'USD'],
      ['assets:pool', '325020000.05', 'USD'],
    ]);
    // 300000000.05 × 1.0834 = 325020000.05417: 0.00417 USD dropped by rounding.
    expect(entry.conversion).toEqual({
      from: Money.parse('300000000.05', 'EUR'),
      to: Money.parse('325020000.05', 'USD'),
      rate: '1.0834',
      rateBase: 'EUR',
      rateQuote: 'USD',
      rateDate: '2026-11-26',
      rateSource: 'ECB',
      rounding: 'half-even',
      residue: '0.00417',
    });
    expect(JournalEntry.isBalanced(entry.postings)).toBe(true);
  });

  test('a conversion from the quote currency divides by the rate', () => {
    const rate = Rate.parse('0.7677219863', {
      base: usd,
      quote: gbp,
      date: '2026-11-26',
      source: 'ECB (USD cross)',
    });
    const entry = JournalEntry.conversion({
      date: '2026-11-26',
      description: 'GBP to USD',
      from: { account: 'assets:pool', amount: Money.parse('100.00', 'GBP') },
      to: { account: 'assets:pool', currency: usd },
      rate,
      rounding: 'half-even',
    });
    expect(Money.format(entry.conversion!.to)).toBe('130.26');
    expect(Fraction.parse(entry.conversion!.residue)).toBeDefined();
  });

  test('a reversal negates every posting and links to the reversed entry', () => {
    const original = JournalEntry.create({
      date: '2026-02-12',
      description: 'DEU pledge P-2 committed',
      postings: [
        posting('pledges:committed:DEU', '5.00', 'EUR'),
        posting('pledges:announced:DEU', '-5.00', 'EUR'),
      ],
      tags: { pledge: 'p2' },
    });
    const reversal = JournalEntry.reverse(original, 'entry-7', { date: '2026-03-01' });
    expect(reversal).toMatchObject({
      date: '2026-03-01',
      description: 'Reversal of DEU pledge P-2 committed',
      reverses: 'entry-7',
      tags: { pledge: 'p2' },
    });
    expect(reversal.postings.map((p) => p.amount.minor)).toEqual([-500n, 500n]);
    const balances = Ledger.balances(Ledger.postingsOf([original, reversal]));
    expect(balances.every(({ balance }) => balance.minor === 0n)).toBe(true);
  });
});

describe('balances', () => {
  test('balances equal the sums of the postings, per account and currency, as of any date', () => {
    fc.assert(
      fc.property(
        fc.array(balancedEntries, { maxLength: 20 }),
        fc.option(dates, { nil: undefined }),
        (entries, asOf) => {
          const postings = Ledger.postingsOf(entries);
          const balances = Ledger.balances(postings, asOf);
          const counted = postings.filter((p) => asOf === undefined || p.date <= asOf);
          const expected = new Map<string, bigint>();
          for (const p of counted) {
            const key = `${p.account} ${p.amount.currency}`;
            expected.set(key, (expected.get(key) ?? 0n) + p.amount.minor);
          }
          expect(
            new Map(balances.map((b) => [`${b.account} ${b.balance.currency}`, b.balance.minor])),
          ).toEqual(expected);
          // Balanced entries make a ledger whose balances sum to zero in every currency.
          for (const currency of [usd, eur, gbp, jpy]) {
            expect(
              balances
                .filter((b) => b.balance.currency === currency)
                .reduce((s, b) => s + b.balance.minor, 0n),
            ).toBe(0n);
          }
          const keys = balances.map((b) => [b.account, b.balance.currency].join(' '));
          expect(keys).toEqual([...keys].sort());
        },
      ),
      { seed, numRuns: 500 },
    );
  });

  test('subtotals roll sub-accounts up like hledger', () => {
    const postings: DatedPosting[] = [
      { date: '2026-01-01', ...posting('pledges:announced:GBR', '10.00', 'GBP') },
      { date: '2026-01-01', ...posting('pledges:paid:GBR', '5.00', 'GBP') },
      { date: '2026-01-01', ...posting('pledges:paid:DEU', '7.00', 'EUR') },
      { date: '2026-01-01', ...posting('donors:GBR', '-15.00', 'GBP') },
      { date: '2026-01-01', ...posting('donors:DEU', '-7.00', 'EUR') },
    ];
    const balances = Ledger.balances(postings);
    expect(Ledger.subtotal(balances, 'pledges')).toEqual([
      Money.parse('7.00', 'EUR'),
      Money.parse('15.00', 'GBP'),
    ]);
    expect(Ledger.subtotal(balances, 'pledges:paid')).toEqual([
      Money.parse('7.00', 'EUR'),
      Money.parse('5.00', 'GBP'),
    ]);
    expect(Ledger.subtotal(balances, 'assets')).toEqual([]);
  });

  test('verification finds the stored entries that do not balance', () => {
    const good = [posting('assets:pool', '1.00', 'EUR'), posting('donors:DEU', '-1.00', 'EUR')];
    const tampered = [posting('assets:pool', '1.00', 'EUR'), posting('donors:DEU', '-0.99', 'EUR')];
    expect(
      Ledger.unbalancedEntries([
        { id: 'a', postings: good },
        { id: 'b', postings: tampered },
      ]),
    ).toEqual([{ id: 'b', imbalance: [Money.parse('0.01', 'EUR')] }]);
  });
});
