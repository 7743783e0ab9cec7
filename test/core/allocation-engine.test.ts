import fc from 'fast-check';
import highsLoader from 'highs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  AllocationEngine,
  type EngineLine,
  type EnginePlan,
  type EnginePledge,
} from '../../src/core/allocation/index.ts';
import { Earmark } from '../../src/core/pledges/earmark.ts';

type Highs = Awaited<ReturnType<typeof highsLoader>>;

const line = (
  id: string,
  category: string,
  need: bigint,
  packageId = 'PKG-1',
  packageRank = 1,
  lineRank?: number,
): EngineLine => ({
  id,
  packageId,
  packageRank,
  lineRank: lineRank ?? Number.parseInt(id.replace(/\D/g, '') || '0', 10),
  category,
  need,
});
const pledge = (id: string, available: bigint, earmark: Earmark = Earmark.none): EnginePledge => ({
  id,
  available,
  earmark,
  order: id,
});
const categories = (...codes: string[]) => Earmark.fromJson({ categories: codes });
const fundedOf = (plan: EnginePlan) => Object.fromEntries(plan.lines.map((l) => [l.lineId, l.funded]));

/** Greedy matching: lines in priority order, each takes pledges in pledge order. Wrong, as shown below. */
function greedy(lines: EngineLine[], pledges: EnginePledge[]): Record<string, bigint> {
  const left = new Map(pledges.map((p) => [p.id, p.available]));
  const result: Record<string, bigint> = {};
  for (const l of lines) {
    let need = l.need;
    for (const p of pledges) {
      if (!Earmark.allows(p.earmark, { packageId: l.packageId, category: l.category })) continue;
      const take = (left.get(p.id) ?? 0n) < need ? (left.get(p.id) ?? 0n) : need;
      left.set(p.id, (left.get(p.id) ?? 0n) - take);
      need -= take;
    }
    result[l.id] = l.need - need;
  }
  return result;
}

describe('the cases that show greedy matching is wrong', () => {
  test('flexible money spent on the first line starves a later line that only it could fund', () => {
    // Greedy gives L1 the unearmarked 100 first; then the air-defence 100 cannot fund L2 (artillery).
    const lines = [line('L1', 'air-defence', 100n), line('L2', 'artillery', 100n)];
    const pledges = [pledge('P-any', 100n), pledge('P-ad', 100n, categories('air-defence'))];
    expect(greedy(lines, pledges)).toEqual({ L1: 100n, L2: 0n });
    const plan = AllocationEngine.plan(lines, pledges);
    expect(fundedOf(plan)).toEqual({ L1: 100n, L2: 100n });
    expect(plan.allocations).toContainEqual({
      pledgeId: 'P-ad',
      lineId: 'L1',
      packageId: 'PKG-1',
      amount: 100n,
    });
    expect(plan.allocations).toContainEqual({
      pledgeId: 'P-any',
      lineId: 'L2',
      packageId: 'PKG-1',
      amount: 100n,
    });
  });

  test('money already given to an earlier line is swapped out when other money can replace it', () => {
    // Whatever pledge L1 takes first, L3 (c0) can only be funded by the c0/c1 pledge: if L1 holds it,
    // the engine moves L1 onto the c1/c2 pledge (an augmenting path), which greedy never does.
    const lines = [line('L1', 'c1', 100n), line('L2', 'c2', 100n), line('L3', 'c0', 100n)];
    const pledges = [
      pledge('P-c0c1', 100n, categories('c0', 'c1')),
      pledge('P-c1c2', 100n, categories('c1', 'c2')),
      pledge('P-c2', 100n, categories('c2')),
    ];
    expect(greedy(lines, pledges)).toEqual({ L1: 100n, L2: 100n, L3: 0n });
    expect(fundedOf(AllocationEngine.plan(lines, pledges))).toEqual({ L1: 100n, L2: 100n, L3: 100n });
  });

  test('a chain of two swaps funds the last line', () => {
    // L3 needs unearmarked money; it sits on L2 (artillery), which air-defence-or-artillery money can
    // take over, which sits on L1, which air-defence money can take over.
    const lines = [
      line('L1', 'air-defence', 100n),
      line('L2', 'artillery', 100n),
      line('L3', 'drones', 100n),
    ];
    const pledges = [
      pledge('P-1-any', 100n),
      pledge('P-2-ad-art', 100n, categories('air-defence', 'artillery')),
      pledge('P-3-ad', 100n, categories('air-defence')),
    ];
    expect(greedy(lines, pledges)).toEqual({ L1: 100n, L2: 100n, L3: 0n });
    expect(fundedOf(AllocationEngine.plan(lines, pledges))).toEqual({ L1: 100n, L2: 100n, L3: 100n });
  });

  test('package-earmarked money goes to its package only, even when another package ranks first', () => {
    const plan = AllocationEngine.plan(
      [line('A1', 'air-defence', 100n, 'PKG-A', 1), line('B1', 'air-defence', 100n, 'PKG-B', 2)],
      [pledge('P-b', 100n, Earmark.fromJson({ packageId: 'PKG-B' })), pledge('P-any', 60n)],
    );
    expect(fundedOf(plan)).toEqual({ A1: 60n, B1: 100n });
    expect(plan.shortfalls).toHaveLength(1);
    expect(plan.shortfalls[0]).toMatchObject({ lineId: 'A1', missing: 40n });
  });

  test('a short line is explained by the eligible money and the higher-priority lines that used it', () => {
    const plan = AllocationEngine.plan(
      [line('L1', 'air-defence', 100n), line('L2', 'air-defence', 100n)],
      [pledge('P-17', 150n, categories('air-defence'))],
    );
    expect(plan.shortfalls).toEqual([
      {
        lineId: 'L2',
        packageId: 'PKG-1',
        priority: 1,
        missing: 50n,
        eligible: {
          pledges: 1,
          total: 150n,
          listed: [
            {
              pledgeId: 'P-17',
              available: 150n,
              used: 150n,
              usedBy: [
                { lineId: 'L1', packageId: 'PKG-1', amount: 100n, priority: 0 },
                { lineId: 'L2', packageId: 'PKG-1', amount: 50n, priority: 1 },
              ],
            },
          ],
        },
        swappable: { pledges: 0, total: 0n, listed: [] },
      },
    ]);
  });
});

// ---- Oracle: a sequence of linear programs solved by HiGHS (maximise line 1; fix it; line 2; ...).

interface Instance {
  lines: EngineLine[];
  pledges: EnginePledge[];
}

const categoryCodes = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];

const instanceArbitrary: fc.Arbitrary<Instance> = fc
  .record({
    packages: fc.integer({ min: 1, max: 4 }),
    lines: fc.array(
      fc.record({
        pkg: fc.nat(3),
        category: fc.constantFrom(...categoryCodes),
        need: fc.bigInt({ min: 0n, max: 5_000_000n }),
      }),
      { minLength: 1, maxLength: 60 },
    ),
    pledges: fc.array(
      fc.record({
        available: fc.bigInt({ min: 0n, max: 8_000_000n }),
        earmark: fc.oneof(
          fc.constant({}),
          fc
            .uniqueArray(fc.constantFrom(...categoryCodes), { minLength: 1, maxLength: 4 })
            .map((c) => ({ categories: c })),
          fc.nat(3).map((p) => ({ packageId: `PKG-${p}` })),
        ),
      }),
      { minLength: 0, maxLength: 30 },
    ),
  })
  .map(({ packages, lines, pledges }) => ({
    lines: lines.map((l, i) =>
      line(`L${i}`, l.category, l.need, `PKG-${l.pkg % packages}`, l.pkg % packages, i),
    ),
    pledges: pledges.map((p, j) => pledge(`P${j}`, p.available, Earmark.fromJson(p.earmark))),
  }));

function sequentialLpOptimum(highs: Highs, instance: Instance): bigint[] {
  const lines = [...instance.lines].sort((a, b) => a.packageRank - b.packageRank || a.lineRank - b.lineRank);
  const variables: { pledge: number; line: number; name: string }[] = [];
  instance.pledges.forEach((p, j) => {
    lines.forEach((l, i) => {
      if (p.available > 0n && Earmark.allows(p.earmark, { packageId: l.packageId, category: l.category })) {
        variables.push({ pledge: j, line: i, name: `x_${j}_${i}` });
      }
    });
  });
  const fixed: bigint[] = [];
  const lineSum = (i: number) => variables.filter((v) => v.line === i).map((v) => v.name);
  for (let k = 0; k < lines.length; k += 1) {
    const terms = lineSum(k);
    if (terms.length === 0) {
      fixed.push(0n);
      continue;
    }
    const rows: string[] = [];
    instance.pledges.forEach((p, j) => {
      const vars = variables.filter((v) => v.pledge === j).map((v) => v.name);
      if (vars.length) rows.push(` p${j}: ${vars.join(' + ')} <= ${p.available}`);
    });
    lines.forEach((l, i) => {
      const vars = lineSum(i);
      if (vars.length) rows.push(` l${i}: ${vars.join(' + ')} <= ${l.need}`);
    });
    fixed.forEach((value, i) => {
      const vars = lineSum(i);
      if (vars.length) rows.push(` f${i}: ${vars.join(' + ')} >= ${value}`);
    });
    const model = `Maximize\n obj: ${terms.join(' + ')}\nSubject To\n${rows.join('\n')}\nEnd\n`;
    const solution = highs.solve(model);
    expect(solution.Status).toBe('Optimal');
    fixed.push(BigInt(Math.round(solution.ObjectiveValue)));
  }
  return fixed;
}

describe('the engine against the sequential-LP oracle', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await highsLoader();
  });

  test('funds every line exactly as the sequence of linear programs, on 500 random instances', () => {
    fc.assert(
      fc.property(instanceArbitrary, (instance) => {
        const plan = AllocationEngine.plan(instance.lines, instance.pledges);
        expect(plan.lines.map((l) => l.funded)).toEqual(sequentialLpOptimum(highs, instance));
      }),
      { seed: 20261126, numRuns: 500 },
    );
  }, 300_000);
});

describe('properties of every plan', () => {
  test('never breaks an earmark, over-funds a line or over-uses a pledge, and conserves money', () => {
    fc.assert(
      fc.property(instanceArbitrary, (instance) => {
        const plan = AllocationEngine.plan(instance.lines, instance.pledges);
        const lineById = new Map(instance.lines.map((l) => [l.id, l]));
        const pledgeById = new Map(instance.pledges.map((p) => [p.id, p]));
        const perLine = new Map<string, bigint>();
        const perPledge = new Map<string, bigint>();
        for (const allocation of plan.allocations) {
          const l = lineById.get(allocation.lineId)!;
          const p = pledgeById.get(allocation.pledgeId)!;
          expect(allocation.amount > 0n).toBe(true);
          expect(Earmark.allows(p.earmark, { packageId: l.packageId, category: l.category })).toBe(true);
          perLine.set(l.id, (perLine.get(l.id) ?? 0n) + allocation.amount);
          perPledge.set(p.id, (perPledge.get(p.id) ?? 0n) + allocation.amount);
        }
        for (const l of plan.lines) {
          expect(perLine.get(l.lineId) ?? 0n).toBe(l.funded);
          expect(l.funded <= l.need).toBe(true);
        }
        for (const p of instance.pledges) expect((perPledge.get(p.id) ?? 0n) <= p.available).toBe(true);
        const shortTotal = plan.shortfalls.reduce((sum, s) => sum + s.missing, 0n);
        const needTotal = instance.lines.reduce((sum, l) => sum + l.need, 0n);
        const fundedTotal = plan.lines.reduce((sum, l) => sum + l.funded, 0n);
        expect(fundedTotal + shortTotal).toBe(needTotal);
        // Every short line's eligible money is all used, and only by lines of higher priority.
        for (const shortfall of plan.shortfalls) {
          for (const money of [...shortfall.eligible.listed, ...shortfall.swappable.listed]) {
            expect(money.used).toBe(money.available);
          }
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  test('is deterministic whatever the order of its inputs', () => {
    fc.assert(
      fc.property(instanceArbitrary, fc.integer(), (instance, salt) => {
        const shuffle = <T>(items: T[]) =>
          items
            .map((item, i) => ({ item, key: (i * 2654435761 + salt) >>> 0 }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.item);
        const a = AllocationEngine.plan(instance.lines, instance.pledges);
        const b = AllocationEngine.plan(shuffle(instance.lines), shuffle(instance.pledges));
        expect(b).toEqual(a);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  test('adding money never reduces the funding of a line ahead of the first line that changes', () => {
    fc.assert(
      fc.property(
        instanceArbitrary,
        fc.record({
          available: fc.bigInt({ min: 1n, max: 8_000_000n }),
          earmark: fc.oneof(
            fc.constant({}),
            fc.constantFrom(...categoryCodes).map((c) => ({ categories: [c] })),
          ),
        }),
        (instance, extra) => {
          const before = AllocationEngine.plan(instance.lines, instance.pledges).lines;
          const after = AllocationEngine.plan(instance.lines, [
            ...instance.pledges,
            pledge('P-extra', extra.available, Earmark.fromJson(extra.earmark)),
          ]).lines;
          const firstChange = after.findIndex((l, i) => l.funded !== before[i]!.funded);
          if (firstChange >= 0) expect(after[firstChange]!.funded > before[firstChange]!.funded).toBe(true);
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });

  test('refuses amounts given as JS numbers', () => {
    expect(() =>
      AllocationEngine.plan([{ ...line('L1', 'c0', 1n), need: 5 as unknown as bigint }], []),
    ).toThrow(TypeError);
    expect(() =>
      AllocationEngine.plan([], [{ ...pledge('P', 1n), available: 5 as unknown as bigint }]),
    ).toThrow(TypeError);
  });
});
