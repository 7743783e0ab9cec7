import { describe, expect, test } from 'vitest';
import { IsoDate } from '../../src/core/calendar/iso-date.ts';
import { EcbReferenceRates } from '../../src/core/fx/ecb-reference-rates.ts';
import { FxTable } from '../../src/core/fx/fx-table.ts';
import { Account } from '../../src/core/ledger/account.ts';
import { JournalEntry } from '../../src/core/ledger/journal-entry.ts';
import { Ledger } from '../../src/core/ledger/ledger.ts';
import { Currency } from '../../src/core/money/currency.ts';
import { Fraction } from '../../src/core/money/fraction.ts';
import { Money } from '../../src/core/money/money.ts';
import { Rate } from '../../src/core/money/rate.ts';
import { RoundingMode } from '../../src/core/money/rounding-mode.ts';
import { Earmark } from '../../src/core/pledges/earmark.ts';
import { Pledges } from '../../src/core/pledges/pledge.ts';
import { PledgeLedger } from '../../src/core/pledges/pledge-ledger.ts';

/**
 * Money is never a JS number (style.md, practice 2): every public function of the money, FX,
 * ledger and pledge core throws a TypeError when a number stands where money, a rate, a currency,
 * a date or a count of minor units belongs, instead of coercing it. `n` is typed `never` so that
 * each call compiles; the point is what happens at run time, when JSON or a careless caller
 * hands over a number.
 */
const n = 100 as never;
const usd = Currency.parse('USD');
const eur = Currency.parse('EUR');
const money = Money.of(100n, usd);
const fraction = Fraction.of(1n, 3n);
const rate = Rate.parse('1.0834', { base: eur, quote: usd, date: '2026-11-26', source: 'ECB' });
const perUsd = FxTable.perUsd(eur, '0.92', '2026-11-26', 'ECB');
const entry = JournalEntry.create({
  date: '2026-11-26',
  description: 'x',
  postings: [
    { account: 'assets:pool', amount: money },
    { account: 'donors:USA', amount: Money.negate(money) },
  ],
});
const pledge = Pledges.create(
  {
    id: 'p1',
    ref: 'P-1',
    donor: 'GBR',
    amount: money,
    announcedOn: '2026-11-26',
    forum: 'f',
    source: 's',
    earmark: Earmark.none,
    visibility: 'public',
  },
  null,
);
const facts = { base: eur, quote: usd, date: '2026-11-26', source: 'ECB' };

const calls: Record<string, () => unknown> = {
  'Money.of minor': () => Money.of(n, usd),
  'Money.of currency': () => Money.of(1n, n),
  'Money.zero': () => Money.zero(n),
  'Money.parse amount': () => Money.parse(n, 'USD'),
  'Money.parse currency': () => Money.parse('1.00', n),
  'Money.format': () => Money.format(n),
  'Money.add left': () => Money.add(n, money),
  'Money.add right': () => Money.add(money, n),
  'Money.subtract': () => Money.subtract(money, n),
  'Money.negate': () => Money.negate(n),
  'Money.sum currency': () => Money.sum(n, [money]),
  'Money.sum amounts': () => Money.sum(usd, [n]),
  'Money.times money': () => Money.times(n, 2n),
  'Money.times count': () => Money.times(money, n),
  'Money.multiply money': () => Money.multiply(n, fraction, 'half-even'),
  'Money.multiply factor': () => Money.multiply(money, n, 'half-even'),
  'Money.multiply rounding': () => Money.multiply(money, fraction, n),
  'Money.divide money': () => Money.divide(n, 3n, 'half-even'),
  'Money.divide divisor': () => Money.divide(money, n, 'half-even'),
  'Money.split money': () => Money.split(n, 3n),
  'Money.split parts': () => Money.split(money, n),
  'Money.allocate money': () => Money.allocate(n, [1n]),
  'Money.allocate ratios': () => Money.allocate(money, [1n, n]),
  'Money.allocate ratio list': () => Money.allocate(money, n),
  'Money.convert money': () => Money.convert(n, rate, usd, 'half-even'),
  'Money.convert rate': () => Money.convert(money, n, eur, 'half-even'),
  'Money.convert target': () => Money.convert(money, rate, n, 'half-even'),
  'Money.convert rounding': () => Money.convert(money, rate, eur, n),
  'Money.toMajorUnits': () => Money.toMajorUnits(n),
  'Money.compare': () => Money.compare(money, n),
  'Money.equals': () => Money.equals(n, money),
  'Money.isPositive': () => Money.isPositive(n),
  'Money.isZero': () => Money.isZero(n),
  'Money.toJson': () => Money.toJson(n),
  'Currency.parse': () => Currency.parse(n),
  'Currency.isKnown': () => Currency.isKnown(n),
  'Currency.scale': () => Currency.scale(n),
  'RoundingMode.divide': () => RoundingMode.divide(n, 2n, 'half-even'),
  'RoundingMode.isValid': () => RoundingMode.isValid(n),
  'Fraction.of numerator': () => Fraction.of(n),
  'Fraction.of denominator': () => Fraction.of(1n, n),
  'Fraction.parseDecimal': () => Fraction.parseDecimal(n),
  'Fraction.parse': () => Fraction.parse(n),
  'Fraction.add': () => Fraction.add(fraction, n),
  'Fraction.subtract': () => Fraction.subtract(n, fraction),
  'Fraction.multiply': () => Fraction.multiply(fraction, n),
  'Fraction.divide': () => Fraction.divide(fraction, n),
  'Fraction.inverse': () => Fraction.inverse(n),
  'Fraction.negate': () => Fraction.negate(n),
  'Fraction.compare': () => Fraction.compare(n, fraction),
  'Fraction.equals': () => Fraction.equals(fraction, n),
  'Fraction.sign': () => Fraction.sign(n),
  'Fraction.round': () => Fraction.round(n, 'half-even'),
  'Fraction.toFixed': () => Fraction.toFixed(n, 2, 'half-even'),
  'Fraction.isDecimal': () => Fraction.isDecimal(n),
  'Fraction.format': () => Fraction.format(n),
  'Rate.of value': () => Rate.of({ ...facts, value: n }),
  'Rate.of date': () => Rate.of({ ...facts, date: n, value: fraction }),
  'Rate.parse text': () => Rate.parse(n, facts),
  'Rate.parse facts': () => Rate.parse('1.1', n),
  'Rate.identity': () => Rate.identity(n, '2026-11-26'),
  'Rate.invert': () => Rate.invert(n),
  'Rate.format': () => Rate.format(n),
  'Rate.toFixed': () => Rate.toFixed(n, 4, 'half-even'),
  'Rate.equals': () => Rate.equals(rate, n),
  'IsoDate.isValid': () => IsoDate.isValid(n),
  'IsoDate.parse': () => IsoDate.parse(n),
  'IsoDate.fromLongEnglish': () => IsoDate.fromLongEnglish(n),
  'IsoDate.daysBetween': () => IsoDate.daysBetween(n, '2026-11-26'),
  'IsoDate.compare': () => IsoDate.compare('2026-11-26', n),
  'EcbReferenceRates.parse': () => EcbReferenceRates.parse(n),
  'FxTable.usdCrossRates': () => FxTable.usdCrossRates(n),
  'FxTable.usdCrossRates items': () => FxTable.usdCrossRates([n]),
  'FxTable.fromEcbCsv': () => FxTable.fromEcbCsv(n),
  'FxTable.perUsd currency': () => FxTable.perUsd(n, '0.9', '2026-11-26', 'x'),
  'FxTable.perUsd value': () => FxTable.perUsd(eur, n, '2026-11-26', 'x'),
  'FxTable.perUsd date': () => FxTable.perUsd(eur, '0.9', n, 'x'),
  'FxTable.toRecord': () => FxTable.toRecord(n),
  'FxTable.rateOn rates': () => FxTable.rateOn(n, eur, '2026-11-26'),
  'FxTable.rateOn currency': () => FxTable.rateOn([perUsd], n, '2026-11-26'),
  'FxTable.rateOn date': () => FxTable.rateOn([perUsd], eur, n),
  'FxTable.toUsd money': () => FxTable.toUsd(n, [perUsd], '2026-11-26'),
  'FxTable.toUsd date': () => FxTable.toUsd(money, [perUsd], n),
  'Account.isValid': () => Account.isValid(n),
  'Account.isWithin': () => Account.isWithin(n, 'assets'),
  'Account.donor': () => Account.donor(n),
  'Account.pledges': () => Account.pledges('paid', n),
  'Account.contributions': () => Account.contributions(n),
  'Account.conversion': () => Account.conversion(n, usd, n),
  'JournalEntry.check': () => JournalEntry.check([{ account: 'assets:pool', amount: n }]),
  'JournalEntry.isBalanced': () => JournalEntry.isBalanced(n),
  'JournalEntry.create amount': () =>
    JournalEntry.create({
      date: '2026-11-26',
      description: 'x',
      postings: [
        { account: 'assets:pool', amount: n },
        { account: 'donors:USA', amount: n },
      ],
    }),
  'JournalEntry.create date': () => JournalEntry.create({ ...entry, date: n }),
  'JournalEntry.conversion amount': () =>
    JournalEntry.conversion({
      date: '2026-11-26',
      description: 'x',
      from: { account: 'assets:pool', amount: n },
      to: { account: 'assets:pool', currency: usd },
      rate,
      rounding: 'half-even',
    }),
  'JournalEntry.conversion rate': () =>
    JournalEntry.conversion({
      date: '2026-11-26',
      description: 'x',
      from: { account: 'assets:pool', amount: Money.of(100n, eur) },
      to: { account: 'assets:pool', currency: usd },
      rate: n,
      rounding: 'half-even',
    }),
  'JournalEntry.reverse entry': () => JournalEntry.reverse(n, 'e1', { date: '2026-11-27' }),
  'JournalEntry.reverse id': () => JournalEntry.reverse(entry, n, { date: '2026-11-27' }),
  'JournalEntry.reverse date': () => JournalEntry.reverse(entry, 'e1', { date: n }),
  'Ledger.postingsOf': () => Ledger.postingsOf([n]),
  'Ledger.balances amount': () =>
    Ledger.balances([{ date: '2026-11-26', account: 'assets:pool', amount: n }]),
  'Ledger.balances asOf': () => Ledger.balances([], n),
  'Ledger.subtotal balance': () => Ledger.subtotal([{ account: 'assets:pool', balance: n }], 'assets'),
  'Ledger.subtotal account': () => Ledger.subtotal([], n),
  'Ledger.unbalancedEntries': () =>
    Ledger.unbalancedEntries([{ id: 'a', postings: [{ account: 'assets:pool', amount: n }] }]),
  'Pledges.check amount': () => Pledges.check({ ...pledge, amount: n }),
  'Pledges.create amount': () => Pledges.create({ ...pledge, amount: n }, null),
  'Pledges.create date': () => Pledges.create({ ...pledge, announcedOn: n }, null),
  'Pledges.transition date': () => Pledges.transition(pledge, { to: 'committed', on: n }, null),
  'Pledges.transition stage': () => Pledges.transition(pledge, { to: n, on: '2026-11-27' }, null),
  'Pledges.checkTransition pledge': () => Pledges.checkTransition(n, { to: 'paid', on: '2026-11-27' }),
  'Pledges.reached': () => Pledges.reached(n, 'paid'),
  'Pledges.valuationDate': () => Pledges.valuationDate(n),
  'Pledges.carriesMoney': () => Pledges.carriesMoney(n),
  'PledgeLedger.creationEntries': () => PledgeLedger.creationEntries(n),
  'PledgeLedger.transitionEntry': () => PledgeLedger.transitionEntry(pledge, n),
  'Earmark.fromJson': () => Earmark.fromJson(n),
  'Earmark.toJson': () => Earmark.toJson(n),
  'Earmark.allows': () => Earmark.allows(n, { packageId: 'p', category: 'c' }),
};

describe('no JS numbers', () => {
  test.each(Object.entries(calls))('%s throws a TypeError given a number', (_, call) => {
    expect(call).toThrow(TypeError);
  });

  test('the same calls succeed with the right types, so the TypeError is about the number', () => {
    expect(Money.add(money, money)).toEqual(Money.of(200n, usd));
    expect(Money.convert(money, rate, eur, 'half-even').to.currency).toBe('EUR');
    expect(FxTable.rateOn([perUsd], eur, '2026-11-26')).toBe(perUsd);
    expect(Ledger.balances(Ledger.postingsOf([entry]))).toHaveLength(2);
  });
});
