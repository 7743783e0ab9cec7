import type { AllocationPlanJson } from '../../../contract/index.ts';
import { amountOfCents, centsOf } from '../../format/usd-cents.ts';

export type PlanLine = AllocationPlanJson['lines'][number];
export type PlanAllocation = AllocationPlanJson['allocations'][number];

export interface Usd {
  readonly amount: string;
  readonly currency: 'USD';
}

const usd = (cents: bigint): Usd => ({ amount: amountOfCents(cents), currency: 'USD' });

/** Cents of a USD figure of the API; a malformed one (never expected) counts as nothing rather than guessing. */
function cents(figure: { readonly amount: string }): bigint {
  return centsOf(figure.amount) ?? 0n;
}

/** The sum of USD figures, exact to the cent. */
export function sumUsd(figures: readonly { readonly amount: string }[]): Usd {
  return usd(figures.reduce((total, figure) => total + cents(figure), 0n));
}

/** a − b, exact to the cent. */
export function differenceUsd(a: { readonly amount: string }, b: { readonly amount: string }): Usd {
  return usd(cents(a) - cents(b));
}

export interface PackageLines {
  readonly packageId: string;
  readonly packageRef: string;
  readonly lines: readonly PlanLine[];
}

/** The plan's lines grouped by package, keeping the plan's priority order of packages and lines. */
export function linesByPackage(lines: readonly PlanLine[]): PackageLines[] {
  const groups: { packageId: string; packageRef: string; lines: PlanLine[] }[] = [];
  for (const line of lines) {
    const last = groups[groups.length - 1];
    if (last && last.packageId === line.packageId) last.lines.push(line);
    else groups.push({ packageId: line.packageId, packageRef: line.packageRef, lines: [line] });
  }
  return groups;
}

/** The allocations of the plan per line id, in the order the plan lists them. */
export function allocationsByLine(
  allocations: readonly PlanAllocation[],
): ReadonlyMap<string, PlanAllocation[]> {
  const byLine = new Map<string, PlanAllocation[]>();
  for (const allocation of allocations) {
    const list = byLine.get(allocation.lineId);
    if (list) list.push(allocation);
    else byLine.set(allocation.lineId, [allocation]);
  }
  return byLine;
}

export interface LineChange {
  readonly line: PlanLine;
  /** What the line would have with committed money only: allocated before plus the base plan. */
  readonly before: Usd;
  /** What it would have with the hypothetical pledges too. */
  readonly after: Usd;
  readonly increase: Usd;
}

/**
 * The lines whose funding the hypothetical pledges would increase, in priority order: the preview
 * compared with the plan without them, both computed at the same moment.
 */
export function increasedLines(base: AllocationPlanJson, preview: AllocationPlanJson): LineChange[] {
  const baseById = new Map(base.lines.map((line) => [line.lineId, line]));
  const changes: LineChange[] = [];
  for (const line of preview.lines) {
    const previous = baseById.get(line.lineId);
    const before = previous
      ? cents(previous.allocatedBefore) + cents(previous.planned)
      : cents(line.allocatedBefore);
    const after = cents(line.allocatedBefore) + cents(line.planned);
    if (after > before)
      changes.push({ line, before: usd(before), after: usd(after), increase: usd(after - before) });
  }
  return changes;
}

/** The share a planned ID shows: enough to compare two plans by eye, the whole ID in a tooltip. */
export function shortPlanId(planId: string): string {
  return planId.slice(0, 12);
}
