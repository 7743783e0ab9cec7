import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FxTable } from '../../src/core/fx/fx-table.ts';
import { JournalEntry } from '../../src/core/ledger/journal-entry.ts';
import { Ledger } from '../../src/core/ledger/ledger.ts';
import { Currency, type CurrencyCode } from '../../src/core/money/currency.ts';
import { Money } from '../../src/core/money/money.ts';
import type { Rate } from '../../src/core/money/rate.ts';
import { Earmark } from '../../src/core/pledges/earmark.ts';
import {
  type NewPledge,
  type Pledge,
  type PledgeStage,
  Pledges,
  pledgeStages,
} from '../../src/core/pledges/pledge.ts';
import { PledgeLedger } from '../../src/core/pledges/pledge-ledger.ts';

const seed = 42;
const usd = Currency.parse('USD');
const gbp = Currency.parse('GBP');
const eur = Currency.parse('EUR');

const rates: Rate[] = [
  FxTable.perUsd(gbp, '0.75', '2026-02-12', 'test'),
  FxTable.perUsd(gbp, '0.80', '2026-03-02', 'test'),
  FxTable.perUsd(gbp, '0.78', '2026-04-01', 'test'),
  FxTable.perUsd(eur, '0.90', '2026-02-12', 'test'),
  FxTable.perUsd(eur, '0.95', '2026-03-02', 'test'),
  FxTable.perUsd(eur, '0.92', '2026-04-01', 'test'),
];
const rateFor = (currency: CurrencyCode, on: string) =>
  FxTable.rateOn(rates, currency, on, { ageDaysMax: 60 });

function newPledge(overrides: Partial<NewPledge> = {}): NewPledge {
  return {
    id: 'p1',
    ref: Pledges.ref(1),
    donor: 'GBR',
    amount: Money.parse('150000000.00', 'GBP'),
    announcedOn: '2026-02-12',
    forum: 'UDCG, Brussels, 2026-02-12',
    source: 'https://www.gov.uk/example',
    earmark: Earmark.fromJson({ categories: ['air-defence'] }),
    visibility: 'public',
    ...overrides,
  };
}

/** As a use case does it: check first, then look up the rate, then record. */
function record(input: NewPledge): Pledge {
  Pledges.check(input);
  const amount = input.amount;
  return Pledges.create(input, amount ? rateFor(amount.currency, Pledges.valuationDate(input)) : null);
}

function move(pledge: Pledge, to: PledgeStage, on: string): Pledge {
  Pledges.checkTransition(pledge, { to, on });
  return Pledges.transition(pledge, { to, on }, pledge.amount ? rateFor(pledge.amount.currency, on) : null);
}

function journal(entries: readonly JournalEntry[]) {
  return entries.map((entry) => ({
    date: entry.date,
    description: entry.description,
    postings: entry.postings.map((p) => `${p.account} ${Money.format(p.amount)} ${p.amount.currency}`),
  }));
}

describe('recording a pledge', () => {
  test('records an announced pledge valued in USD with the rate of its announcement', () => {
    const pledge = record(newPledge());
    expect(pledge).toMatchObject({ stage: 'announced', committedOn: null, paidOn: null, duplicateOf: null });
    expect(pledge.usd).toEqual({
      amount: Money.parse('200000000.00', 'USD'),
      perUsd: '0.75',
      rateDate: '2026-02-12',
      rateSource: 'test',
    });
    expect(journal(PledgeLedger.creationEntries(pledge))).toEqual([
      {
        date: '2026-02-12',
        description: 'GBR pledge P-1 announced',
        postings: ['pledges:announced:GBR 150000000.00 GBP', 'donors:GBR -150000000.00 GBP'],
      },
    ]);
  });

  test('rejects a zero or negative pledge', () => {
    for (const amount of ['0.00', '-5.00']) {
      expect(() => record(newPledge({ amount: Money.parse(amount, 'GBP') }))).toThrow(
        expect.objectContaining({ code: 'MONEY_OUT_OF_RANGE' }),
      );
    }
  });

  test('accepts an unknown amount only when it is undisclosed, and writes no ledger money for it', () => {
    expect(() => record(newPledge({ amount: null }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    const classified = record(newPledge({ amount: null, visibility: 'amount-undisclosed' }));
    expect(classified.usd).toBeNull();
    expect(PledgeLedger.creationEntries(classified)).toEqual([]);
    const committed = move(classified, 'committed', '2026-03-02');
    expect(PledgeLedger.transitionEntry(classified, committed)).toBeNull();
  });

  test('a pledge recorded at a later stage writes the entries of each stage on its own date', () => {
    const direct = record(newPledge({ stage: 'paid', committedOn: '2026-03-02', paidOn: '2026-04-01' }));
    const stepwise = move(move(record(newPledge()), 'committed', '2026-03-02'), 'paid', '2026-04-01');
    expect(direct).toEqual(stepwise);
    const entries = PledgeLedger.creationEntries(direct);
    expect(entries.map((entry) => [entry.date, entry.tags.stage])).toEqual([
      ['2026-02-12', 'announced'],
      ['2026-03-02', 'committed'],
      ['2026-04-01', 'paid'],
    ]);
  });

  test('rejects stage dates that do not fit the stage or come before the announcement', () => {
    expect(() => record(newPledge({ stage: 'committed' }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => record(newPledge({ committedOn: '2026-03-02' }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => record(newPledge({ stage: 'committed', committedOn: '2026-02-01' }))).toThrow(
      expect.objectContaining({ code: 'PLEDGE_DATE_OUT_OF_ORDER' }),
    );
    expect(() => record(newPledge({ announcedOn: '2026-02-30' }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});

describe('stage transitions', () => {
  const announced = record(newPledge());

  test('moves announced → committed → paid, relocking the USD value on each date', () => {
    const committed = move(announced, 'committed', '2026-03-02');
    expect(committed).toMatchObject({ stage: 'committed', committedOn: '2026-03-02' });
    expect(committed.usd?.amount).toEqual(Money.parse('187500000.00', 'USD'));
    expect(committed.usd?.rateDate).toBe('2026-03-02');
    const paid = move(committed, 'paid', '2026-04-03');
    expect(paid.usd?.rateDate).toBe('2026-04-01');
    expect(
      journal([
        PledgeLedger.transitionEntry(announced, committed)!,
        PledgeLedger.transitionEntry(committed, paid)!,
      ]),
    ).toEqual([
      {
        date: '2026-03-02',
        description: 'GBR pledge P-1 committed',
        postings: ['pledges:committed:GBR 150000000.00 GBP', 'pledges:announced:GBR -150000000.00 GBP'],
      },
      {
        date: '2026-04-03',
        description: 'GBR pledge P-1 paid',
        postings: [
          'pledges:paid:GBR 150000000.00 GBP',
          'pledges:committed:GBR -150000000.00 GBP',
          'assets:pool 150000000.00 GBP',
          'income:contributions:GBR -150000000.00 GBP',
        ],
      },
    ]);
  });

  test('may be paid straight from announced', () => {
    const paid = move(announced, 'paid', '2026-03-02');
    expect(PledgeLedger.transitionEntry(announced, paid)?.postings[1]?.account).toBe('pledges:announced:GBR');
  });

  test('refuses a backwards or repeated transition', () => {
    const committed = move(announced, 'committed', '2026-03-02');
    for (const [pledge, to] of [
      [committed, 'committed'],
      [committed, 'announced'],
      [announced, 'announced'],
      [move(committed, 'paid', '2026-04-01'), 'committed'],
    ] as const) {
      expect(() => Pledges.checkTransition(pledge, { to, on: '2026-05-01' })).toThrow(
        expect.objectContaining({ code: 'INVALID_TRANSITION' }),
      );
    }
  });

  test('refuses a transition dated before the announcement or the previous stage', () => {
    expect(() => move(announced, 'committed', '2026-02-11')).toThrow(
      expect.objectContaining({
        code: 'PLEDGE_DATE_OUT_OF_ORDER',
        detail: expect.stringContaining('announcement'),
      }),
    );
    const committed = move(announced, 'committed', '2026-03-02');
    expect(() => Pledges.checkTransition(committed, { to: 'paid', on: '2026-03-01' })).toThrow(
      expect.objectContaining({ code: 'PLEDGE_DATE_OUT_OF_ORDER' }),
    );
    expect(move(announced, 'committed', '2026-02-12').committedOn).toBe('2026-02-12');
  });

  test('a missing rate on the transition date is FX_RATE_MISSING, never a guess', () => {
    expect(() => rateFor(gbp, '2026-02-01')).toThrow(expect.objectContaining({ code: 'FX_RATE_MISSING' }));
  });
});

describe('re-announcements', () => {
  test('a re-announcement writes no ledger money and cannot move', () => {
    const original = record(newPledge());
    const again = record(newPledge({ id: 'p2', ref: 'P-2', announcedOn: '2026-03-02', duplicateOf: 'p1' }));
    expect(PledgeLedger.creationEntries(again)).toEqual([]);
    expect(() => Pledges.checkTransition(again, { to: 'committed', on: '2026-03-05' })).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    const balances = Ledger.balances(
      Ledger.postingsOf([...PledgeLedger.creationEntries(original), ...PledgeLedger.creationEntries(again)]),
    );
    expect(Ledger.subtotal(balances, 'pledges')).toEqual([Money.parse('150000000.00', 'GBP')]);
  });

  test('a re-announcement points at another pledge and stays announced', () => {
    expect(() => record(newPledge({ duplicateOf: 'p1' }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() =>
      record(newPledge({ id: 'p2', duplicateOf: 'p1', stage: 'committed', committedOn: '2026-03-02' })),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('earmarks', () => {
  test('reads and writes the contract form and says what money may fund', () => {
    expect(Earmark.fromJson(undefined)).toEqual({ kind: 'none' });
    expect(Earmark.fromJson({ categories: ['artillery', 'air-defence'] })).toEqual({
      kind: 'categories',
      categories: ['air-defence', 'artillery'],
    });
    expect(Earmark.toJson(Earmark.fromJson({ packageId: 'pkg-9' }))).toEqual({ packageId: 'pkg-9' });
    expect(
      Earmark.allows(Earmark.fromJson({ packageId: 'pkg-9' }), { packageId: 'pkg-8', category: 'x' }),
    ).toBe(false);
    expect(
      Earmark.allows(Earmark.fromJson({ categories: ['x'] }), { packageId: 'pkg-8', category: 'x' }),
    ).toBe(true);
    expect(Earmark.allows(Earmark.none, { packageId: 'pkg-8', category: 'y' })).toBe(true);
  });

  test('rejects an earmark naming both categories and a package, or none or a repeated category', () => {
    for (const json of [
      { categories: ['x'], packageId: 'p' },
      { categories: [] },
      { categories: ['x', 'x'] },
    ]) {
      expect(() => Earmark.fromJson(json)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});

describe('the ledger of many pledges', () => {
  const plans = fc.array(
    fc.record({
      donor: fc.constantFrom('GBR', 'DEU', 'NLD'),
      currency: fc.constantFrom(gbp, eur, usd),
      minor: fc.bigInt({ min: 1n, max: 10n ** 14n }),
      stages: fc.subarray(['committed', 'paid'] as const),
      duplicate: fc.boolean(),
    }),
    { maxLength: 25 },
  );

  test('every entry balances, stage accounts hold the money at each stage, and duplicates count nothing', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const entries: JournalEntry[] = [];
        const pledges: Pledge[] = [];
        plan.forEach((step, index) => {
          const duplicateOf = step.duplicate && index > 0 ? 'p0' : null;
          let pledge = record(
            newPledge({
              id: `p${index}`,
              ref: `P-${index}`,
              donor: step.donor,
              amount: Money.of(step.minor, step.currency),
              duplicateOf,
            }),
          );
          entries.push(...PledgeLedger.creationEntries(pledge));
          if (duplicateOf === null) {
            for (const stage of step.stages) {
              const next = move(pledge, stage, stage === 'committed' ? '2026-03-02' : '2026-04-01');
              const entry = PledgeLedger.transitionEntry(pledge, next);
              if (entry) entries.push(entry);
              pledge = next;
            }
          }
          pledges.push(pledge);
        });
        for (const entry of entries) expect(JournalEntry.isBalanced(entry.postings)).toBe(true);
        const balances = Ledger.balances(Ledger.postingsOf(entries));
        const counted = pledges.filter(Pledges.carriesMoney);
        const sumOf = (selected: readonly Pledge[]) => {
          const sums = new Map<string, bigint>();
          for (const p of selected)
            sums.set(p.amount!.currency, (sums.get(p.amount!.currency) ?? 0n) + p.amount!.minor);
          return [...sums]
            .filter(([, minor]) => minor !== 0n)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([currency, minor]) => Money.of(minor, currency as CurrencyCode));
        };
        const nonZero = (amounts: Money[]) => amounts.filter((amount) => amount.minor !== 0n);
        expect(nonZero(Ledger.subtotal(balances, 'pledges'))).toEqual(sumOf(counted));
        expect(nonZero(Ledger.subtotal(balances, 'donors')).map(Money.negate)).toEqual(sumOf(counted));
        for (const stage of pledgeStages) {
          expect(nonZero(Ledger.subtotal(balances, `pledges:${stage}`))).toEqual(
            sumOf(counted.filter((p) => p.stage === stage)),
          );
        }
        expect(nonZero(Ledger.subtotal(balances, 'assets:pool'))).toEqual(
          sumOf(counted.filter((p) => p.stage === 'paid')),
        );
      }),
      { seed, numRuns: 500 },
    );
  });
});
