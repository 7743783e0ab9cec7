import { describe, expect, test } from 'vitest';
import { Money } from '../../src/core/money/money.ts';
import { Earmark } from '../../src/core/pledges/earmark.ts';
import type { Pledge } from '../../src/core/pledges/pledge.ts';
import { PublicSummaries } from '../../src/core/reports/public-summary.ts';

const usd = (amount: string) => Money.parse(amount, 'USD');

let sequence = 0;
function pledge(overrides: Partial<Pledge> & { usdAmount?: string }): Pledge {
  sequence += 1;
  const { usdAmount = '100.00', ...fields } = overrides;
  const amount = fields.amount === undefined ? usd(usdAmount) : fields.amount;
  return {
    id: `p${sequence}`,
    ref: `P-${sequence}`,
    donor: 'GBR',
    amount,
    announcedOn: '2026-02-12',
    forum: 'UDCG',
    source: 'https://example.org',
    stage: 'announced',
    committedOn: null,
    paidOn: null,
    earmark: Earmark.none,
    visibility: 'public',
    duplicateOf: null,
    usd: amount && {
      amount: usd(usdAmount),
      perUsd: '1',
      rateDate: '2026-02-12',
      rateSource: 'test',
    },
    ...fields,
  };
}

const categories = [
  { code: 'air-defence', name: 'Air defence' },
  { code: 'anti-tank', name: 'Anti-tank' },
];

describe('the public summary', () => {
  test('counts a pledge earmarked to several categories once, under their combined label', () => {
    const summary = PublicSummaries.compute({
      asOf: '2026-03-01T00:00:00.000Z',
      donors: [],
      categories,
      pledges: [
        pledge({
          earmark: Earmark.fromJson({ categories: ['anti-tank', 'air-defence'] }),
          usdAmount: '300.00',
        }),
        pledge({ earmark: Earmark.fromJson({ categories: ['air-defence'] }), usdAmount: '200.00' }),
        pledge({ usdAmount: '50.00' }),
        pledge({ earmark: Earmark.fromJson({ categories: ['medical'] }), usdAmount: '7.00' }),
      ],
    });
    expect(
      summary.byCategory.map(({ key, label, announced, pledges }) => ({
        key,
        label,
        announced: Money.format(announced),
        pledges,
      })),
    ).toEqual([
      { key: 'air-defence+anti-tank', label: 'Air defence + Anti-tank', announced: '300.00', pledges: 1 },
      { key: 'air-defence', label: 'Air defence', announced: '200.00', pledges: 1 },
      { key: 'unearmarked', label: 'Unearmarked', announced: '50.00', pledges: 1 },
      { key: 'medical', label: 'medical', announced: '7.00', pledges: 1 },
    ]);
  });

  test('counts committed and paid money in the stages each reached, and never a re-announcement', () => {
    const original = pledge({
      stage: 'paid',
      committedOn: '2026-02-13',
      paidOn: '2026-02-14',
      usdAmount: '10.00',
    });
    const summary = PublicSummaries.compute({
      asOf: '2026-03-01T00:00:00.000Z',
      donors: [{ code: 'GBR', name: 'United Kingdom' }],
      categories,
      pledges: [
        original,
        pledge({ stage: 'committed', committedOn: '2026-02-20', usdAmount: '20.00' }),
        pledge({ usdAmount: '40.00' }),
        pledge({ duplicateOf: original.id, usdAmount: '10.00' }),
        pledge({ visibility: 'amount-undisclosed', usdAmount: '5000.00' }),
        pledge({ visibility: 'restricted', usdAmount: '9000.00' }),
      ],
    });
    expect(summary.totals.map((total) => [total.stage, Money.format(total.amount), total.pledges])).toEqual([
      ['announced', '70.00', 3],
      ['committed', '30.00', 2],
      ['paid', '10.00', 1],
      ['allocated', '0.00', 0],
      ['delivered', '0.00', 0],
    ]);
    expect(summary.byDonor).toEqual([
      expect.objectContaining({ code: 'GBR', name: 'United Kingdom', pledges: 3, undisclosedPledges: 1 }),
    ]);
    expect([summary.pledgesCounted, summary.reAnnouncementsExcluded, summary.undisclosedPledges]).toEqual([
      3, 1, 1,
    ]);
  });

  test('names the disclosed donors funding each package, never an undisclosed or restricted one', () => {
    const britain = pledge({ stage: 'committed', committedOn: '2026-02-13', usdAmount: '300.00' });
    const britainAgain = pledge({ stage: 'committed', committedOn: '2026-02-13', usdAmount: '50.00' });
    const germany = pledge({
      donor: 'DEU',
      stage: 'committed',
      committedOn: '2026-02-13',
      usdAmount: '200.00',
    });
    const poland = pledge({
      donor: 'POL',
      stage: 'committed',
      committedOn: '2026-02-13',
      usdAmount: '200.00',
    });
    const hidden = pledge({ donor: 'DEU', visibility: 'amount-undisclosed', usdAmount: '7000.00' });
    const restricted = pledge({ donor: 'RST', visibility: 'restricted', usdAmount: '9000.00' });
    const allocation = (from: Pledge, packageId: string, amount: string) => ({
      pledgeId: from.id,
      packageId,
      usd: usd(amount),
    });
    const summary = PublicSummaries.compute({
      asOf: '2026-03-01T00:00:00.000Z',
      donors: [
        { code: 'GBR', name: 'United Kingdom' },
        { code: 'DEU', name: 'Germany' },
      ],
      categories,
      pledges: [britain, britainAgain, germany, poland, hidden, restricted],
      packages: [
        { id: 'k1', ref: 'PKG-1', rank: 1, status: 'funded', price: usd('1000.00') },
        { id: 'k2', ref: 'PKG-2', rank: 2, status: 'open', price: usd('20000.00') },
        { id: 'k3', ref: 'PKG-3', rank: 3, status: 'draft', price: null },
      ],
      allocations: [
        allocation(britain, 'k1', '300.00'),
        allocation(britainAgain, 'k1', '50.00'),
        allocation(germany, 'k1', '200.00'),
        allocation(poland, 'k1', '200.00'),
        allocation(hidden, 'k1', '250.00'),
        allocation(hidden, 'k2', '6750.00'),
        allocation(restricted, 'k2', '9000.00'),
        allocation(britain, 'k3', '1.00'),
      ],
    });
    const donors = summary.packages.map((pkg) => ({
      ref: pkg.ref,
      funded: Money.format(pkg.funded),
      donors: pkg.donors.map((donor) => [donor.code, donor.name, Money.format(donor.allocated)]),
    }));
    expect(donors).toEqual([
      {
        ref: 'PKG-1',
        funded: '750.00',
        donors: [
          ['GBR', 'United Kingdom', '350.00'],
          ['DEU', 'Germany', '200.00'],
          ['POL', 'POL', '200.00'],
        ],
      },
      { ref: 'PKG-2', funded: '0.00', donors: [] },
    ]);
    expect(JSON.stringify(donors)).not.toMatch(/RST|7000|6750|9000|250\.00/);
  });

  test('refuses a JS number where a pledge list belongs', () => {
    expect(() => PublicSummaries.compute(42 as never)).toThrow(TypeError);
  });
});
