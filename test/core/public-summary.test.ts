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

  test('refuses a JS number where a pledge list belongs', () => {
    expect(() => PublicSummaries.compute(42 as never)).toThrow(TypeError);
  });
});
