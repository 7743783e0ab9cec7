import { assert } from '../errors.ts';
import { Limits } from '../limits.ts';
import { Earmark } from '../pledges/earmark.ts';

/**
 * The allocation engine: funds open package lines in priority order from the unallocated money of
 * committed pledges, honouring every earmark, lexicographically optimally (the first line as fully
 * as any allocation could fund it, then the second given that, and so on). Amounts are USD minor
 * units (bigint). docs/allocation.md explains the algorithm and why it is correct.
 */

export interface EngineLine {
  readonly id: string;
  readonly packageId: string;
  readonly packageRank: number;
  readonly lineRank: number;
  readonly category: string;
  /** USD minor units the line still lacks (its price minus what is already allocated to it). */
  readonly need: bigint;
}

export interface EnginePledge {
  readonly id: string;
  readonly earmark: Earmark;
  /** Unallocated USD minor units of the committed pledge. */
  readonly available: bigint;
  /** Deterministic order within pledges of one earmark (e.g. commitment date, then reference). */
  readonly order: string;
}

export interface EngineAllocation {
  readonly pledgeId: string;
  readonly lineId: string;
  readonly packageId: string;
  readonly amount: bigint;
}

export interface LineUse {
  readonly lineId: string;
  readonly packageId: string;
  readonly amount: bigint;
  /** The line's place in priority order (0 first): compare with the short line's `priority`. */
  readonly priority: number;
}

export interface ShortfallMoney {
  readonly pledgeId: string;
  /** The pledge's money before this plan (USD minor units). */
  readonly available: bigint;
  /** How much of it this plan uses: all of it, or the line would not be short. */
  readonly used: bigint;
  /** The first lines it funds, in priority order (at most `Limits.explanationUsesMax`). */
  readonly usedBy: readonly LineUse[];
}

/** The money behind a short line: the pledges listed are the largest, at most `Limits.explanationPledgesMax`. */
export interface ShortfallMoneySummary {
  readonly pledges: number;
  readonly total: bigint;
  readonly listed: readonly ShortfallMoney[];
}

export interface Shortfall {
  readonly lineId: string;
  readonly packageId: string;
  /** The line's place in priority order (0 first). */
  readonly priority: number;
  readonly missing: bigint;
  /** Pledges whose earmark allows this line. */
  readonly eligible: ShortfallMoneySummary;
  /**
   * Pledges that cannot fund the line themselves but whose money could have been swapped in for an
   * eligible pledge elsewhere: they are fully used too (this is why the line stays short).
   */
  readonly swappable: ShortfallMoneySummary;
}

export interface PledgeUse {
  readonly pledgeId: string;
  readonly available: bigint;
  readonly allocated: bigint;
  readonly lines: readonly { lineId: string; packageId: string; amount: bigint }[];
}

export interface EnginePlan {
  readonly allocations: readonly EngineAllocation[];
  /** Per line, in priority order: what the plan adds and what the line still lacks after it. */
  readonly lines: readonly { lineId: string; packageId: string; need: bigint; funded: bigint }[];
  readonly shortfalls: readonly Shortfall[];
  readonly pledges: readonly PledgeUse[];
}

/** Money of pledges with one earmark: they are interchangeable, so the engine moves them as one. */
interface MoneyClass {
  readonly earmark: Earmark;
  readonly key: string;
  readonly pledges: EnginePledge[];
  total: bigint;
  spare: bigint;
  /** Signature index → minor units this class sends to lines of that signature. */
  readonly flow: Map<number, bigint>;
  eligibleSignatures: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPriority(a: EngineLine, b: EngineLine): number {
  return a.packageRank - b.packageRank || a.lineRank - b.lineRank || compareText(a.id, b.id);
}

/** The smaller of two amounts (Math.min takes no bigint). */
function smaller(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function requireBigint(value: unknown, what: string): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${what} is a bigint of minor units, never a JS number`);
}

function earmarkKey(earmark: Earmark): string {
  switch (earmark.kind) {
    case 'none':
      return 'none';
    case 'categories':
      return `categories:${[...earmark.categories].sort().join(',')}`;
    case 'package':
      return `package:${earmark.packageId}`;
  }
}

export const AllocationEngine = {
  /**
   * Plans the allocation. Deterministic: the same lines and pledges, in any input order, give the
   * same plan. Never breaks an earmark, never funds a line beyond its need or uses a pledge beyond
   * its available money.
   */
  plan(inputLines: readonly EngineLine[], inputPledges: readonly EnginePledge[]): EnginePlan {
    for (const line of inputLines) requireBigint(line.need, `line ${line.id} need`);
    for (const pledge of inputPledges) requireBigint(pledge.available, `pledge ${pledge.id} available`);
    const lines = [...inputLines].sort(byPriority);
    assert(new Set(lines.map((line) => line.id)).size === lines.length, 'line ids are unique');
    assert(new Set(inputPledges.map((p) => p.id)).size === inputPledges.length, 'pledge ids are unique');

    // 1. Money classes: pledges with equal earmarks, in a fixed order.
    const classByKey = new Map<string, MoneyClass>();
    for (const pledge of inputPledges) {
      assert(pledge.available >= 0n, `pledge ${pledge.id} has no negative money`);
      if (pledge.available === 0n) continue;
      const key = earmarkKey(pledge.earmark);
      let moneyClass = classByKey.get(key);
      if (!moneyClass) {
        moneyClass = {
          earmark: pledge.earmark,
          key,
          pledges: [],
          total: 0n,
          spare: 0n,
          flow: new Map(),
          eligibleSignatures: 0,
        };
        classByKey.set(key, moneyClass);
      }
      moneyClass.pledges.push(pledge);
      moneyClass.total += pledge.available;
      moneyClass.spare += pledge.available;
    }
    const classes = [...classByKey.values()].sort((a, b) => compareText(a.key, b.key));
    for (const moneyClass of classes) {
      moneyClass.pledges.sort((a, b) => compareText(a.order, b.order) || compareText(a.id, b.id));
    }

    // 2. Line signatures: lines that the same classes may fund are interchangeable for the flow.
    const signatureOf = new Map<string, number>();
    const signatureClasses: number[][] = [];
    const lineSignature = new Int32Array(lines.length);
    const kindOf = new Map<string, number>();
    for (let position = 0; position < lines.length; position += 1) {
      const line = lines[position] as EngineLine;
      assert(line.need >= 0n, `line ${line.id} needs no negative money`);
      const kind = `${line.packageId}\u0000${line.category}`;
      let signature = kindOf.get(kind);
      if (signature === undefined) {
        const eligible: number[] = [];
        const target = { packageId: line.packageId, category: line.category };
        classes.forEach((moneyClass, index) => {
          if (Earmark.allows(moneyClass.earmark, target)) eligible.push(index);
        });
        const key = eligible.join(',');
        signature = signatureOf.get(key);
        if (signature === undefined) {
          signature = signatureClasses.length;
          signatureOf.set(key, signature);
          signatureClasses.push(eligible);
          for (const index of eligible) (classes[index] as MoneyClass).eligibleSignatures += 1;
        }
        kindOf.set(kind, signature);
      }
      lineSignature[position] = signature;
    }
    // The fast path takes money from the most restricted class first: it leaves flexible money
    // for later lines and so needs fewer re-routings (any order would be optimal, see the docs).
    for (const eligible of signatureClasses) {
      eligible.sort(
        (a, b) =>
          (classes[a] as MoneyClass).eligibleSignatures - (classes[b] as MoneyClass).eligibleSignatures ||
          a - b,
      );
    }

    // 3. Lines in priority order, each funded as fully as possible: direct money first, then
    //    augmenting paths that re-route money between classes without changing earlier lines.
    const dead = new Set<number>();
    // A class is dead once a failed search has visited it: it has no spare money and every flow it
    // sends goes to signatures whose classes are dead too, so no augmenting path can pass through
    // it, now or later (docs/allocation.md, lemma 3). Searches skip dead classes.
    const deadClass = new Uint8Array(classes.length);
    const funded: bigint[] = new Array<bigint>(lines.length).fill(0n);
    const classVisit = new Int32Array(classes.length);
    const signatureVisit = new Int32Array(signatureClasses.length);
    const parentClass = new Int32Array(classes.length);
    const parentSignature = new Int32Array(classes.length);
    let stamp = 0;
    for (let position = 0; position < lines.length; position += 1) {
      const line = lines[position] as EngineLine;
      const signature = lineSignature[position] as number;
      const eligible = signatureClasses[signature] as number[];
      let need = line.need;
      for (const index of eligible) {
        if (need === 0n) break;
        const moneyClass = classes[index] as MoneyClass;
        if (moneyClass.spare === 0n) continue;
        const amount = smaller(moneyClass.spare, need);
        moneyClass.spare -= amount;
        moneyClass.flow.set(signature, (moneyClass.flow.get(signature) ?? 0n) + amount);
        need -= amount;
      }
      while (need > 0n && !dead.has(signature)) {
        // Breadth-first search backwards from the line: a class eligible for it may give up money
        // it sends to another signature if some class with spare money may fund that signature.
        stamp += 1;
        const queue: number[] = [];
        for (const index of eligible) {
          if (deadClass[index] === 1) continue;
          classVisit[index] = stamp;
          parentClass[index] = -1;
          queue.push(index);
        }
        signatureVisit[signature] = stamp;
        let found = -1;
        for (let head = 0; head < queue.length && found < 0; head += 1) {
          const current = queue[head] as number;
          for (const [other, amount] of (classes[current] as MoneyClass).flow) {
            if (amount === 0n || signatureVisit[other] === stamp) continue;
            signatureVisit[other] = stamp;
            for (const candidate of signatureClasses[other] as number[]) {
              if (classVisit[candidate] === stamp || deadClass[candidate] === 1) continue;
              classVisit[candidate] = stamp;
              parentClass[candidate] = current;
              parentSignature[candidate] = other;
              if ((classes[candidate] as MoneyClass).spare > 0n) {
                found = candidate;
                break;
              }
              queue.push(candidate);
            }
            if (found >= 0) break;
          }
        }
        if (found < 0) {
          // No money can reach this signature any more, now or later (docs/allocation.md, lemma 2),
          // nor pass through any class this search visited (lemma 3).
          dead.add(signature);
          for (const index of queue) deadClass[index] = 1;
          break;
        }
        let amount = smaller(need, (classes[found] as MoneyClass).spare);
        for (let at = found; parentClass[at] !== -1; at = parentClass[at] as number) {
          const giver = classes[parentClass[at] as number] as MoneyClass;
          const moved = giver.flow.get(parentSignature[at] as number) ?? 0n;
          amount = smaller(amount, moved);
        }
        assert(amount > 0n, 'an augmenting path carries money');
        (classes[found] as MoneyClass).spare -= amount;
        let at = found;
        while (parentClass[at] !== -1) {
          const via = parentSignature[at] as number;
          const taker = classes[at] as MoneyClass;
          const giverIndex = parentClass[at] as number;
          const giver = classes[giverIndex] as MoneyClass;
          taker.flow.set(via, (taker.flow.get(via) ?? 0n) + amount);
          giver.flow.set(via, (giver.flow.get(via) ?? 0n) - amount);
          at = giverIndex;
        }
        const last = classes[at] as MoneyClass;
        last.flow.set(signature, (last.flow.get(signature) ?? 0n) + amount);
        need -= amount;
      }
      // One subtraction rather than a running sum: fewer bigints for the collector on 100,000 lines.
      if (need !== line.need) funded[position] = line.need - need;
    }

    // 4. From class-to-signature flows to pledge-to-line allocations: lines of a signature take
    //    the classes' flows in order, then each class hands its share out pledge by pledge.
    const classLines = classes.map(() => [] as { position: number; amount: bigint }[]);
    const linesBySignature = new Map<number, number[]>();
    for (let position = 0; position < lines.length; position += 1) {
      if (funded[position] === 0n) continue;
      const signature = lineSignature[position] as number;
      const list = linesBySignature.get(signature);
      if (list) list.push(position);
      else linesBySignature.set(signature, [position]);
    }
    for (const [signature, signatureLines] of linesBySignature) {
      const sources = (signatureClasses[signature] as number[])
        .slice()
        .sort((a, b) => a - b)
        .map((index) => ({ index, left: (classes[index] as MoneyClass).flow.get(signature) ?? 0n }));
      let source = 0;
      for (const position of signatureLines) {
        let left = funded[position] as bigint;
        while (left > 0n) {
          const from = sources[source];
          assert(from !== undefined, 'the classes carry what the lines of a signature received');
          if (from.left === 0n) {
            source += 1;
            continue;
          }
          const amount = smaller(from.left, left);
          from.left -= amount;
          left -= amount;
          (classLines[from.index] as { position: number; amount: bigint }[]).push({ position, amount });
        }
      }
      assert(
        sources.every((from) => from.left === 0n),
        'every class flow reaches a line',
      );
    }
    const allocations: EngineAllocation[] = [];
    /** The priority (position) of each allocation's line, by allocation index. */
    const allocationPositions: number[] = [];
    classes.forEach((moneyClass, index) => {
      const shares = (classLines[index] as { position: number; amount: bigint }[]).sort(
        (a, b) => a.position - b.position,
      );
      let pledgeIndex = 0;
      let pledgeLeft = moneyClass.pledges[0]?.available ?? 0n;
      for (const share of shares) {
        const line = lines[share.position] as EngineLine;
        let left = share.amount;
        while (left > 0n) {
          const pledge = moneyClass.pledges[pledgeIndex];
          assert(pledge !== undefined, 'a class never gives more than its pledges hold');
          if (pledgeLeft === 0n) {
            pledgeIndex += 1;
            pledgeLeft = moneyClass.pledges[pledgeIndex]?.available ?? 0n;
            continue;
          }
          const amount = smaller(pledgeLeft, left);
          pledgeLeft -= amount;
          left -= amount;
          allocations.push({
            pledgeId: pledge.id,
            lineId: line.id,
            packageId: line.packageId,
            amount,
          });
          allocationPositions.push(share.position);
        }
      }
    });

    // 5. Where each pledge's money went, and why each short line stays short.
    // Each pledge's allocations, as indexes into `allocations`, in allocation order.
    const usesByPledge = new Map<string, number[]>();
    allocations.forEach((allocation, index) => {
      const list = usesByPledge.get(allocation.pledgeId);
      if (list) list.push(index);
      else usesByPledge.set(allocation.pledgeId, [index]);
    });
    const usedByPledge = new Map<string, bigint>();
    const pledges: PledgeUse[] = [...inputPledges]
      .sort((a, b) => compareText(a.id, b.id))
      .map((pledge) => {
        const uses = (usesByPledge.get(pledge.id) ?? []).map((index) => {
          const allocation = allocations[index] as EngineAllocation;
          return { lineId: allocation.lineId, packageId: allocation.packageId, amount: allocation.amount };
        });
        const allocated = uses.reduce((sum, use) => sum + use.amount, 0n);
        usedByPledge.set(pledge.id, allocated);
        return { pledgeId: pledge.id, available: pledge.available, allocated, lines: uses };
      });
    // The explanation names the largest pledges only: a line may be eligible for thousands. Every
    // pledge gets one global rank (largest first); each class keeps its best ranks; a set of classes
    // then needs only a merge of those, built once per set of classes and reused.
    const ranked = classes
      .flatMap((moneyClass) => moneyClass.pledges)
      .sort((a, b) =>
        a.available > b.available ? -1 : a.available < b.available ? 1 : compareText(a.id, b.id),
      );
    const rankOf = new Map(ranked.map((pledge, rank) => [pledge.id, rank]));
    const classTop = classes.map((moneyClass) =>
      moneyClass.pledges
        .map((pledge) => rankOf.get(pledge.id) as number)
        .sort((a, b) => a - b)
        .slice(0, Limits.explanationPledgesMax),
    );
    // Summaries depend on the set of classes only, so short lines of one signature share them.
    const summaries = new Map<string, ShortfallMoneySummary>();
    const summarize = (classIndexes: readonly number[]): ShortfallMoneySummary => {
      const key = classIndexes.join(',');
      const known = summaries.get(key);
      if (known) return known;
      // The best ranks of the set: each class's list is sorted, so a class stops contributing as
      // soon as its next rank is no better than the worst one kept.
      const best: number[] = [];
      for (const index of classIndexes) {
        for (const rank of classTop[index] as number[]) {
          if (best.length === Limits.explanationPledgesMax && rank > (best[best.length - 1] as number)) break;
          let at = best.length;
          while (at > 0 && (best[at - 1] as number) > rank) at -= 1;
          best.splice(at, 0, rank);
          if (best.length > Limits.explanationPledgesMax) best.pop();
        }
      }
      const summary: ShortfallMoneySummary = {
        pledges: classIndexes.reduce((sum, index) => sum + (classes[index] as MoneyClass).pledges.length, 0),
        total: classIndexes.reduce((sum, index) => sum + (classes[index] as MoneyClass).total, 0n),
        listed: best.map((rank) => {
          const pledge = ranked[rank] as EnginePledge;
          return {
            pledgeId: pledge.id,
            available: pledge.available,
            used: usedByPledge.get(pledge.id) ?? 0n,
            usedBy: (usesByPledge.get(pledge.id) ?? []).slice(0, Limits.explanationUsesMax).map((index) => {
              const allocation = allocations[index] as EngineAllocation;
              return {
                lineId: allocation.lineId,
                packageId: allocation.packageId,
                amount: allocation.amount,
                priority: allocationPositions[index] as number,
              };
            }),
          };
        }),
      };
      summaries.set(key, summary);
      return summary;
    };
    // The classes reachable backwards from a short line in the final flow (all without spare
    // money): class K reaches K' when K sends money to a signature K' may fund. The closure is
    // computed once per class; a signature reaches the union of its eligible classes' closures.
    const words = (classes.length + 31) >>> 5;
    const closure = classes.map(() => new Uint32Array(words));
    const neighbours = classes.map((moneyClass) => {
      const next = new Set<number>();
      for (const [other, amount] of moneyClass.flow) {
        if (amount === 0n) continue;
        for (const candidate of signatureClasses[other] as number[]) next.add(candidate);
      }
      return [...next];
    });
    classes.forEach((_, start) => {
      const seen = closure[start] as Uint32Array;
      const queue = [start];
      seen[start >>> 5] = (seen[start >>> 5] as number) | (1 << (start & 31));
      for (let head = 0; head < queue.length; head += 1) {
        for (const candidate of neighbours[queue[head] as number] as number[]) {
          const bit = 1 << (candidate & 31);
          if ((seen[candidate >>> 5] as number) & bit) continue;
          seen[candidate >>> 5] = (seen[candidate >>> 5] as number) | bit;
          queue.push(candidate);
        }
      }
    });
    const reachedBySignature = new Map<number, number[]>();
    const reachedFrom = (signature: number): number[] => {
      const known = reachedBySignature.get(signature);
      if (known) return known;
      const eligible = signatureClasses[signature] as number[];
      const union = new Uint32Array(words);
      for (const index of eligible) {
        const bits = closure[index] as Uint32Array;
        for (let word = 0; word < words; word += 1)
          union[word] = (union[word] as number) | (bits[word] as number);
      }
      for (const index of eligible)
        union[index >>> 5] = (union[index >>> 5] as number) & ~(1 << (index & 31));
      const swappable: number[] = [];
      for (let index = 0; index < classes.length; index += 1) {
        if ((union[index >>> 5] as number) & (1 << (index & 31))) swappable.push(index);
      }
      reachedBySignature.set(signature, swappable);
      return swappable;
    };
    const explained = new Map<
      number,
      { eligible: ShortfallMoneySummary; swappable: ShortfallMoneySummary }
    >();
    const shortfalls: Shortfall[] = [];
    for (let position = 0; position < lines.length; position += 1) {
      const line = lines[position] as EngineLine;
      const missing = line.need - (funded[position] as bigint);
      if (missing === 0n) continue;
      const signature = lineSignature[position] as number;
      let explanation = explained.get(signature);
      if (!explanation) {
        explanation = {
          eligible: summarize([...(signatureClasses[signature] as number[])].sort((a, b) => a - b)),
          swappable: summarize(reachedFrom(signature)),
        };
        explained.set(signature, explanation);
      }
      shortfalls.push({
        lineId: line.id,
        packageId: line.packageId,
        priority: position,
        missing,
        ...explanation,
      });
    }
    return {
      allocations,
      lines: lines.map((line, position) => ({
        lineId: line.id,
        packageId: line.packageId,
        need: line.need,
        funded: funded[position] as bigint,
      })),
      shortfalls,
      pledges,
    };
  },
} as const;
