import { Failure } from '../errors.ts';

export interface RankedLine {
  readonly id: string;
  readonly rank: number;
}

export const PriorityList = {
  /**
   * Checks that `order` names every active line exactly once and nothing else, and returns the
   * ranks it gives (1..N). Anything else is `RANK_NOT_PERMUTATION`, with the offending ids.
   */
  reorder(activeIds: readonly string[], order: readonly string[]): RankedLine[] {
    const active = new Set(activeIds);
    const seen = new Set<string>();
    const duplicates: string[] = [];
    const unknown: string[] = [];
    for (const id of order) {
      if (seen.has(id)) duplicates.push(id);
      else if (!active.has(id)) unknown.push(id);
      seen.add(id);
    }
    const missing = activeIds.filter((id) => !seen.has(id));
    if (duplicates.length || unknown.length || missing.length) {
      const errors = [
        ...duplicates.map((id) => ({ path: '/order', message: `'${id}' appears more than once` })),
        ...unknown.map((id) => ({ path: '/order', message: `'${id}' is not an active line` })),
        ...missing.map((id) => ({ path: '/order', message: `'${id}' is missing` })),
      ];
      throw new Failure(
        'RANK_NOT_PERMUTATION',
        `The order must list each of the ${activeIds.length} active lines exactly once.`,
        errors.slice(0, 50),
      );
    }
    return order.map((id, index) => ({ id, rank: index + 1 }));
  },

  /** Ranks after a line leaves the list: the others close the gap, keeping their order. */
  closeGaps(lines: readonly RankedLine[]): RankedLine[] {
    return [...lines]
      .sort((a, b) => a.rank - b.rank)
      .map((line, index) => ({ id: line.id, rank: index + 1 }));
  },
} as const;
