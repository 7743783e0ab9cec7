import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Failure } from '../../src/core/errors.ts';
import { PriorityList } from '../../src/core/requirements/priority-list.ts';

/** The Failure that `run` throws; fails the test when it throws something else or nothing. */
function failureOf(run: () => unknown): Failure {
  try {
    run();
  } catch (error) {
    if (error instanceof Failure) return error;
    throw error;
  }
  throw new Error('expected a Failure, but nothing was thrown');
}

const active = ['a', 'b', 'c', 'd'];

describe('PriorityList.reorder', () => {
  test('ranks a permutation of the active lines 1..N in the order given', () => {
    expect(PriorityList.reorder(active, ['c', 'a', 'd', 'b'])).toEqual([
      { id: 'c', rank: 1 },
      { id: 'a', rank: 2 },
      { id: 'd', rank: 3 },
      { id: 'b', rank: 4 },
    ]);
  });

  test('accepts the empty order of an empty list', () => {
    expect(PriorityList.reorder([], [])).toEqual([]);
  });

  test('refuses an id that appears twice, and names it', () => {
    const failure = failureOf(() => PriorityList.reorder(active, ['a', 'b', 'c', 'd', 'a']));
    expect(failure.code).toBe('RANK_NOT_PERMUTATION');
    expect(failure.errors).toEqual([{ path: '/order', message: "'a' appears more than once" }]);
  });

  test('refuses a duplicate that stands in for a missing line', () => {
    const failure = failureOf(() => PriorityList.reorder(active, ['a', 'b', 'c', 'c']));
    expect(failure.code).toBe('RANK_NOT_PERMUTATION');
    expect(failure.errors.map((error) => error.message)).toEqual([
      "'c' appears more than once",
      "'d' is missing",
    ]);
  });

  test('refuses an id that is not an active line, and names it', () => {
    const failure = failureOf(() => PriorityList.reorder(active, ['a', 'b', 'c', 'd', 'zz']));
    expect(failure.code).toBe('RANK_NOT_PERMUTATION');
    expect(failure.errors).toEqual([{ path: '/order', message: "'zz' is not an active line" }]);
  });

  test('refuses an order that leaves a line out, and names it', () => {
    const failure = failureOf(() => PriorityList.reorder(active, ['d', 'c', 'a']));
    expect(failure.code).toBe('RANK_NOT_PERMUTATION');
    expect(failure.errors).toEqual([{ path: '/order', message: "'b' is missing" }]);
    expect(failure.detail).toMatch(/each of the 4 active lines exactly once/);
  });

  test('lists at most 50 offending ids', () => {
    const many = Array.from({ length: 200 }, (_, index) => `line-${index}`);
    const failure = failureOf(() => PriorityList.reorder(many, []));
    expect(failure.errors).toHaveLength(50);
  });

  test('accepts every permutation and refuses every order with one line dropped or doubled', () => {
    const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        ids.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        fc.nat(),
        ([list, permutation], pick) => {
          const ranked = PriorityList.reorder(list, permutation);
          expect(ranked.map((line) => line.id)).toEqual(permutation);
          expect(ranked.map((line) => line.rank)).toEqual(list.map((_, index) => index + 1));
          const victim = pick % permutation.length;
          const dropped = permutation.filter((_, index) => index !== victim);
          expect(failureOf(() => PriorityList.reorder(list, dropped)).code).toBe('RANK_NOT_PERMUTATION');
          const doubled = [...permutation, permutation[victim] as string];
          expect(failureOf(() => PriorityList.reorder(list, doubled)).code).toBe('RANK_NOT_PERMUTATION');
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('PriorityList.closeGaps', () => {
  test('closes the gaps a departed line leaves, keeping the order', () => {
    expect(
      PriorityList.closeGaps([
        { id: 'a', rank: 1 },
        { id: 'c', rank: 3 },
        { id: 'g', rank: 7 },
      ]),
    ).toEqual([
      { id: 'a', rank: 1 },
      { id: 'c', rank: 2 },
      { id: 'g', rank: 3 },
    ]);
  });

  test('orders by rank whatever order the lines arrive in, and does not change its input', () => {
    const lines = [
      { id: 'late', rank: 9 },
      { id: 'first', rank: 2 },
      { id: 'middle', rank: 5 },
    ];
    expect(PriorityList.closeGaps(lines)).toEqual([
      { id: 'first', rank: 1 },
      { id: 'middle', rank: 2 },
      { id: 'late', rank: 3 },
    ]);
    expect(lines[0]).toEqual({ id: 'late', rank: 9 });
  });

  test('always gives ranks 1..N in the original relative order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 50 }), (ranks) => {
        const lines = ranks.map((rank) => ({ id: `id-${rank}`, rank }));
        const closed = PriorityList.closeGaps(lines);
        expect(closed.map((line) => line.rank)).toEqual(lines.map((_, index) => index + 1));
        expect(closed.map((line) => line.id)).toEqual(
          [...ranks].sort((a, b) => a - b).map((rank) => `id-${rank}`),
        );
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
