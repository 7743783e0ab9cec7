import { describe, expect, it } from 'vitest';
import { increasedLines, linesByPackage } from '../../src/web/features/allocation/plan-figures.ts';

const usd = (amount: string) => ({ amount, currency: 'USD' as const });

function line(lineId: string, packageId: string, allocatedBefore: string, planned: string) {
  return {
    lineId,
    packageId,
    packageRef: packageId.toUpperCase(),
    lineNo: 1,
    requirementRef: `REQ-${lineId}`,
    category: 'air-defence',
    price: usd('100.00'),
    allocatedBefore: usd(allocatedBefore),
    planned: usd(planned),
    missing: usd('0.00'),
  };
}

function plan(lines: ReturnType<typeof line>[]) {
  return {
    planId: '0'.repeat(64),
    asOf: '2026-02-12T00:00:00Z',
    allocations: [],
    lines,
    shortfalls: [],
    pledges: [],
    otherDonors: null,
  };
}

describe('the what-if comparison', () => {
  it('lists only the lines the hypothetical pledge funds more, with the increase to the cent', () => {
    const base = plan([line('a', 'p1', '10.00', '20.00'), line('b', 'p1', '0.00', '0.00')]);
    const preview = plan([line('a', 'p1', '10.00', '20.00'), line('b', 'p1', '0.00', '45.50')]);
    const changes = increasedLines(base, preview);
    expect(changes.map((change) => change.line.lineId)).toEqual(['b']);
    expect(changes[0]?.increase).toEqual(usd('45.50'));
    expect(changes[0]?.before).toEqual(usd('0.00'));
  });

  it('groups lines by package in the order of the plan', () => {
    const groups = linesByPackage([
      line('a', 'p1', '0.00', '0.00'),
      line('b', 'p2', '0.00', '0.00'),
      line('c', 'p2', '0.00', '0.00'),
    ]);
    expect(groups.map((group) => [group.packageId, group.lines.map((each) => each.lineId)])).toEqual([
      ['p1', ['a']],
      ['p2', ['b', 'c']],
    ]);
  });
});
