import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoData } from '../../demo/demo-data.ts';
import fxRatesFile from '../../demo/fx-rates.json' with { type: 'json' };
import pledgesFile from '../../demo/pledges.json' with { type: 'json' };
import { loadDemo } from '../../src/app/load-demo.ts';
import { publicSummary } from '../../src/app/public-summary.ts';
import type { PublicSummary } from '../../src/core/reports/public-summary.ts';
import type { StoredPledge } from '../../src/store/pledge.repository.ts';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * The oracle of this file reads the demo's JSON files and computes every expected figure with its
 * own bigint arithmetic: nothing of src/core's money, rates or pledges is used to build it.
 */
interface JsonPledge {
  key: string;
  donor: string;
  amount: { amount: string; currency: string } | null;
  announcedOn: string;
  forum: string;
  source: string;
  earmark: { categories?: string[] };
  stage: string;
  committedOn?: string;
  paidOn?: string;
  visibility: string;
  duplicateOfKey?: string;
  notes: string;
}
interface JsonRate {
  currency: string;
  date: string;
  perUsd: string;
  source: string;
}
const jsonPledges = pledgesFile as JsonPledge[];
const jsonRates = fxRatesFile as JsonRate[];

/** Minor units of a two-decimal amount (every currency of the demo has two). */
function minorOf(amount: string): bigint {
  const match = /^(\d+)\.(\d{2})$/.exec(amount);
  if (!match) throw new Error(`not a two-decimal amount: ${amount}`);
  return BigInt(`${match[1]}${match[2]}`);
}

/** numerator / denominator, rounded to an integer, half to even. */
function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    return quotient + 1n;
  }
  return quotient;
}

function daysBetween(earlier: string, later: string): number {
  return (Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / 86_400_000;
}

/** The latest rate of the currency on or before the date, at most 10 days old (docs/fx.md). */
function rateOn(currency: string, date: string): JsonRate {
  const candidates = jsonRates
    .filter((rate) => rate.currency === currency && rate.date <= date)
    .sort((a, b) => (a.date < b.date ? 1 : -1));
  const rate = candidates[0];
  if (!rate || daysBetween(rate.date, date) > 10) throw new Error(`no ${currency} rate for ${date}`);
  return rate;
}

/** The USD cents of a pledge: amount / perUsd on the date of its latest stage, half-even. */
function usdCentsOf(pledge: JsonPledge): bigint {
  if (!pledge.amount) throw new Error(`${pledge.key} has no amount`);
  const minor = minorOf(pledge.amount.amount);
  if (pledge.amount.currency === 'USD') return minor;
  const rate = rateOn(pledge.amount.currency, pledge.paidOn ?? pledge.committedOn ?? pledge.announcedOn);
  const [whole = '', fraction = ''] = rate.perUsd.split('.');
  // perUsd = whole.fraction = digits / 10^places; amount / perUsd = amount × 10^places / digits.
  return divideHalfEven(minor * 10n ** BigInt(fraction.length), BigInt(`${whole}${fraction}`));
}

const counted = jsonPledges.filter(
  (pledge) => pledge.amount !== null && pledge.duplicateOfKey === undefined && pledge.visibility === 'public',
);
const oracle = {
  announced: counted.reduce((sum, pledge) => sum + usdCentsOf(pledge), 0n),
  committed: counted
    .filter((pledge) => pledge.stage === 'committed' || pledge.stage === 'paid')
    .reduce((sum, pledge) => sum + usdCentsOf(pledge), 0n),
  paid: counted
    .filter((pledge) => pledge.stage === 'paid')
    .reduce((sum, pledge) => sum + usdCentsOf(pledge), 0n),
  pledgesCounted: counted.length,
  reAnnouncements: jsonPledges.filter((pledge) => pledge.duplicateOfKey !== undefined).length,
  undisclosed: jsonPledges.filter((pledge) => pledge.amount === null && pledge.duplicateOfKey === undefined)
    .length,
};

describe('the demo pledges file', () => {
  test('gives every pledge a unique key and links re-announcements to an earlier key of the same donor', () => {
    const byKey = new Map(jsonPledges.map((pledge) => [pledge.key, pledge]));
    expect(byKey.size).toBe(jsonPledges.length);
    for (const pledge of jsonPledges) {
      if (pledge.duplicateOfKey === undefined) continue;
      expect(byKey.get(pledge.duplicateOfKey)?.donor, pledge.key).toBe(pledge.donor);
      expect(byKey.get(pledge.duplicateOfKey)?.duplicateOfKey, pledge.key).toBeUndefined();
    }
  });

  test('cites a source URL for every pledge and every rate, and labels each rate implied or illustrative', () => {
    for (const pledge of jsonPledges) expect(pledge.source, pledge.key).toMatch(/^https:\/\//);
    for (const rate of jsonRates) {
      expect(rate.source).toMatch(
        /^(implied by https:\/\/\S+'s reported USD figure|illustrative, no rate in the public record)/,
      );
    }
  });

  test('records an undisclosed amount as null, never as a guess', () => {
    for (const pledge of jsonPledges) {
      expect(pledge.amount === null, pledge.key).toBe(pledge.visibility === 'amount-undisclosed');
    }
  });
});

describe.each(dialects)('the demo pledges loaded on %s', (dialect) => {
  let database: TestDatabase;
  let stored: StoredPledge[];
  let summary: PublicSummary;
  const idOfKey = new Map<string, string>();

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await loadDemo(database.context, demoData, { onlyIfEmpty: false, password: 'demo password for tests' });
    stored = await database.context.store.read.pledges.all();
    for (const pledge of jsonPledges) {
      const match = stored.find(
        (candidate) => candidate.donor === pledge.donor && candidate.announcedOn === pledge.announcedOn,
      );
      if (match) idOfKey.set(pledge.key, match.id);
    }
    summary = await publicSummary(database.context, 'public');
  }, 120_000);
  afterAll(async () => database?.dispose());

  test('records every pledge of the file with its currency and amount exactly', () => {
    expect(stored).toHaveLength(jsonPledges.length);
    for (const pledge of jsonPledges) {
      const recorded = stored.find((candidate) => candidate.id === idOfKey.get(pledge.key));
      expect(recorded, pledge.key).toBeDefined();
      if (!recorded) continue;
      if (pledge.amount === null) {
        expect(recorded.amount, pledge.key).toBeNull();
      } else {
        expect(recorded.amount?.currency, pledge.key).toBe(pledge.amount.currency);
        expect(recorded.amount?.minor, pledge.key).toBe(minorOf(pledge.amount.amount));
      }
      expect(recorded.forum, pledge.key).toBe(pledge.forum);
      expect(recorded.source, pledge.key).toBe(pledge.source);
      expect(recorded.stage, pledge.key).toBe(pledge.stage);
      expect(recorded.committedOn, pledge.key).toBe(pledge.committedOn ?? null);
      expect(recorded.paidOn, pledge.key).toBe(pledge.paidOn ?? null);
      expect(recorded.visibility, pledge.key).toBe(pledge.visibility);
      expect(recorded.duplicateOf, pledge.key).toBe(
        pledge.duplicateOfKey === undefined ? null : idOfKey.get(pledge.duplicateOfKey),
      );
      const categories = pledge.earmark.categories ?? [];
      expect(
        recorded.earmark.kind === 'categories' ? [...recorded.earmark.categories] : [],
        pledge.key,
      ).toEqual([...categories].sort());
    }
  });

  test('values each pledge in USD at the rate of its latest stage date, as the oracle does', () => {
    for (const pledge of jsonPledges) {
      const recorded = stored.find((candidate) => candidate.id === idOfKey.get(pledge.key));
      if (pledge.amount === null) expect(recorded?.usd, pledge.key).toBeNull();
      else expect(recorded?.usd?.amount.minor, pledge.key).toBe(usdCentsOf(pledge));
    }
  });

  test('puts no money of a re-announcement in the ledger', async () => {
    const expected = new Map<string, bigint>();
    for (const pledge of jsonPledges) {
      if (pledge.amount === null || pledge.duplicateOfKey !== undefined) continue;
      const currency = pledge.amount.currency;
      expected.set(currency, (expected.get(currency) ?? 0n) + minorOf(pledge.amount.amount));
    }
    const pledgesBalances = new Map<string, bigint>();
    const donorsBalances = new Map<string, bigint>();
    for (const { account, balance } of await database.context.store.read.ledger.balances()) {
      const sums = account.startsWith('pledges:')
        ? pledgesBalances
        : account.startsWith('donors:')
          ? donorsBalances
          : undefined;
      sums?.set(balance.currency, (sums.get(balance.currency) ?? 0n) + balance.minor);
    }
    expect(pledgesBalances).toEqual(expected);
    expect(donorsBalances).toEqual(new Map([...expected].map(([currency, minor]) => [currency, -minor])));

    const reAnnouncementIds = new Set(
      jsonPledges
        .filter((pledge) => pledge.duplicateOfKey !== undefined)
        .map((pledge) => idOfKey.get(pledge.key)),
    );
    expect(reAnnouncementIds.size).toBe(oracle.reAnnouncements);
    const taggedPledges = new Set<string>();
    for await (const entry of database.context.store.read.ledger.all()) {
      if (entry.tags.pledge) taggedPledges.add(entry.tags.pledge);
    }
    for (const id of reAnnouncementIds) expect(taggedPledges.has(id ?? '')).toBe(false);
    expect(taggedPledges.size).toBe(oracle.pledgesCounted);
  });

  test('shows totals by stage that equal the sums computed from the files', () => {
    const total = (stage: string) => summary.totals.find((line) => line.stage === stage);
    expect(total('announced')?.amount).toEqual({ minor: oracle.announced, currency: 'USD' });
    expect(total('committed')?.amount).toEqual({ minor: oracle.committed, currency: 'USD' });
    expect(total('paid')?.amount).toEqual({ minor: oracle.paid, currency: 'USD' });
    expect(total('announced')?.counts).toEqual(['announced', 'committed', 'paid']);
    expect(total('committed')?.counts).toEqual(['committed', 'paid']);
    expect(total('paid')?.counts).toEqual(['paid']);
    // The money committed in 2025 is exactly what funded the first four packages (demo/packages.json).
    expect(total('allocated')?.amount).toEqual({ minor: oracle.committed, currency: 'USD' });
    expect(total('delivered')?.amount).toEqual({ minor: 0n, currency: 'USD' });
    expect(summary.pledgesCounted).toBe(oracle.pledgesCounted);
    expect(summary.reAnnouncementsExcluded).toBe(oracle.reAnnouncements);
    expect(summary.undisclosedPledges).toBe(oracle.undisclosed);
  });

  test('adds up every table to the same totals', () => {
    for (const table of [summary.byDonor, summary.byCategory, summary.byMonth, summary.byForum]) {
      expect(table.reduce((sum, line) => sum + line.announced.minor, 0n)).toBe(oracle.announced);
      expect(table.reduce((sum, line) => sum + line.committed.minor, 0n)).toBe(oracle.committed);
      expect(table.reduce((sum, line) => sum + line.paid.minor, 0n)).toBe(oracle.paid);
      expect(table.reduce((sum, line) => sum + line.pledges, 0)).toBe(oracle.pledgesCounted);
      expect(table.reduce((sum, line) => sum + line.undisclosedPledges, 0)).toBe(oracle.undisclosed);
    }
  });

  test('shows a donor whose amounts are all classified by a count, with no money', () => {
    const slovenia = summary.byDonor.find((donor) => donor.code === 'SVN');
    expect(slovenia).toMatchObject({ name: 'Slovenia', pledges: 0, undisclosedPledges: 1 });
    expect(slovenia?.announced.minor).toBe(0n);
  });
});
