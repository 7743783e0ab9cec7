import type { IsoDate } from '../calendar/iso-date.ts';
import { assert, Failure } from '../errors.ts';
import { FxTable } from '../fx/fx-table.ts';
import { Limits } from '../limits.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import type { Rate } from '../money/rate.ts';

/** A validated requirement with units not yet in a package, as the proposal sees it. */
export interface ProposalCandidate {
  readonly requirementId: string;
  readonly ref: string;
  readonly category: string;
  readonly unit: string;
  /** Units not yet in an active package; positive. */
  readonly available: number;
  readonly unitCost: Money;
}

export interface ProposedLine {
  readonly requirementId: string;
  readonly ref: string;
  readonly category: string;
  readonly quantity: number;
  readonly estimatedAmount: Money;
}

export interface LeftOut {
  readonly requirementId: string;
  readonly ref: string;
  /** The units left out. */
  readonly quantity: number;
  /** Their estimated cost in USD; null when no rate is in force for their currency. */
  readonly estimatedAmount: Money | null;
  readonly reason: string;
}

export interface PackageProposal {
  readonly name: string;
  readonly target: Money;
  readonly lines: readonly ProposedLine[];
  readonly total: Money;
  readonly remaining: Money;
  /** The first `Limits.proposalLeftOutMax` requirements left out, in rank order. */
  readonly notIncluded: readonly LeftOut[];
  /** How many requirements were left out in all. */
  readonly notIncludedCount: number;
}

export interface ProposalInput {
  readonly target: Money;
  /** Validated requirements with available units, in rank order. */
  readonly candidates: readonly ProposalCandidate[];
  /** The per-USD rate in force for a currency, or undefined when there is none. */
  readonly rateOf: (currency: CurrencyCode) => Rate | undefined;
  /** The day the estimates are made (the rates' day), for the name. */
  readonly date: IsoDate;
}

const usd = 'USD' as CurrencyCode;

function usdText(money: Money): string {
  return `${Money.format(money)} USD`;
}

/** Unit cost × quantity, in USD: converted once, half-even, at the rate given. */
function estimate(unitCost: Money, quantity: number, rate: Rate | undefined): Money | null {
  const cost = Money.times(unitCost, BigInt(quantity));
  if (cost.currency === usd) return cost;
  if (!rate) return null;
  return cost.minor === 0n ? Money.zero(usd) : Money.convert(cost, rate, usd, FxTable.conversionRounding).to;
}

function estimateOrRefuse(candidate: ProposalCandidate, quantity: number, rate: Rate | undefined): Money {
  const result = estimate(candidate.unitCost, quantity, rate);
  if (!result) {
    throw new Failure(
      'FX_RATE_MISSING',
      `${candidate.ref} is costed in ${candidate.unitCost.currency} and no ${candidate.unitCost.currency} rate is in force today; the proposal cannot estimate it, and skipping it would break rank order.`,
    );
  }
  return result;
}

/** The largest quantity in [0, available) whose estimate fits in `room`; estimates grow with quantity. */
function largestFit(candidate: ProposalCandidate, room: bigint, rate: Rate | undefined): number {
  let low = 0;
  let high = candidate.available - 1;
  while (low < high) {
    const middle = low + Math.ceil((high - low) / 2);
    if (estimateOrRefuse(candidate, middle, rate).minor <= room) low = middle;
    else high = middle - 1;
  }
  return low;
}

export const PackageProposals = {
  /**
   * The next package from the top of the list (docs/packages.md): whole requirements in rank order
   * while they fit in the target; the first one that does not fit whole is taken in part (as many
   * whole units as fit) if at least one unit fits, and there the proposal stops, so that no
   * lower-ranked line jumps ahead of a higher one. Every requirement left out says why.
   */
  propose(input: ProposalInput): PackageProposal {
    const { target, candidates } = input;
    assert(target.currency === usd && target.minor > 0n, 'a proposal target is a positive USD amount');
    const lines: ProposedLine[] = [];
    const leftOut: LeftOut[] = [];
    let room = target.minor;
    let stoppedAt: string | null = null;
    for (const candidate of candidates) {
      assert(candidate.available > 0, `${candidate.ref} has units available`);
      const currency = candidate.unitCost.currency;
      const rate = currency === usd ? undefined : input.rateOf(currency);
      if (stoppedAt !== null) {
        leftOut.push({
          requirementId: candidate.requirementId,
          ref: candidate.ref,
          quantity: candidate.available,
          estimatedAmount: estimate(candidate.unitCost, candidate.available, rate),
          reason: `${candidate.ref} ranks below ${stoppedAt}, which did not fit whole; the proposal keeps rank order.`,
        });
        continue;
      }
      const whole = estimateOrRefuse(candidate, candidate.available, rate);
      if (whole.minor <= room) {
        lines.push({
          requirementId: candidate.requirementId,
          ref: candidate.ref,
          category: candidate.category,
          quantity: candidate.available,
          estimatedAmount: whole,
        });
        room -= whole.minor;
        continue;
      }
      stoppedAt = candidate.ref;
      const roomLeft = Money.of(room, usd);
      const fits = largestFit(candidate, room, rate);
      if (fits === 0) {
        leftOut.push({
          requirementId: candidate.requirementId,
          ref: candidate.ref,
          quantity: candidate.available,
          estimatedAmount: whole,
          reason: `${candidate.ref} needs ${usdText(whole)}; ${usdText(roomLeft)} of the target remained, less than one ${candidate.unit} (${usdText(estimateOrRefuse(candidate, 1, rate))}).`,
        });
        continue;
      }
      const part = estimateOrRefuse(candidate, fits, rate);
      const rest = candidate.available - fits;
      lines.push({
        requirementId: candidate.requirementId,
        ref: candidate.ref,
        category: candidate.category,
        quantity: fits,
        estimatedAmount: part,
      });
      room -= part.minor;
      leftOut.push({
        requirementId: candidate.requirementId,
        ref: candidate.ref,
        quantity: rest,
        estimatedAmount: estimateOrRefuse(candidate, rest, rate),
        reason: `${candidate.ref} needs ${usdText(whole)} for all ${candidate.available} ${candidate.unit}; ${usdText(roomLeft)} of the target remained, enough for ${fits} (${usdText(part)}); the other ${rest} are left for the next package.`,
      });
    }
    const total = Money.of(target.minor - room, usd);
    const first = lines[0];
    const last = lines[lines.length - 1];
    const span =
      first && last ? (first === last ? first.ref : `${first.ref} to ${last.ref}`) : 'nothing fits';
    return {
      name: `Proposed package of ${input.date}: ${span}`,
      target,
      lines,
      total,
      remaining: Money.of(room, usd),
      notIncluded: leftOut.slice(0, Limits.proposalLeftOutMax),
      notIncludedCount: leftOut.length,
    };
  },
} as const;
