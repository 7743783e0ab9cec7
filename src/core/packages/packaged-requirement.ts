import type { RequirementStatus } from '../requirements/requirement-status.ts';
import { PackageStatus } from './package-status.ts';

/** One package line of a requirement, with the status of its package. */
export interface RequirementShare {
  readonly quantity: number;
  readonly receivedQuantity: number;
  readonly packageStatus: PackageStatus;
}

/** The statuses a requirement takes from its packages, in the order it passes them. */
const followed: readonly RequirementStatus[] = ['validated', 'packaged', 'funded', 'contracted', 'delivered'];

function stageOf(share: RequirementShare): RequirementStatus {
  switch (share.packageStatus) {
    case 'draft':
    case 'priced':
    case 'open':
      return 'packaged';
    case 'funded':
      return 'funded';
    case 'contracted':
    case 'delivering':
      return share.receivedQuantity === share.quantity ? 'delivered' : 'contracted';
    case 'completed':
      return 'delivered';
    case 'cancelled':
      return 'validated';
  }
}

/**
 * How a requirement's status follows its packages (docs/packages.md). Only the quantity in active
 * (not cancelled) packages counts. While part of the quantity is in no package, the requirement
 * stays validated and the rest is free for the next package; once all of it is, the requirement is
 * as far along as its least advanced share: packaged, funded, contracted, or delivered (received
 * in full).
 */
export const PackagedRequirement = {
  /** Units not yet in an active package. */
  remaining(quantity: number, shares: readonly RequirementShare[]): number {
    return quantity - PackagedRequirement.packagedQuantity(shares);
  },

  packagedQuantity(shares: readonly RequirementShare[]): number {
    return shares
      .filter((share) => PackageStatus.isActive(share.packageStatus))
      .reduce((sum, share) => sum + share.quantity, 0);
  },

  /**
   * The status the requirement should have. A requirement outside the statuses packages move
   * (draft, submitted, rejected, withdrawn) keeps its own.
   */
  status(
    current: RequirementStatus,
    quantity: number,
    shares: readonly RequirementShare[],
  ): RequirementStatus {
    if (!followed.includes(current)) return current;
    const active = shares.filter((share) => PackageStatus.isActive(share.packageStatus));
    if (active.length === 0 || PackagedRequirement.packagedQuantity(active) < quantity) return 'validated';
    let least = followed.length - 1;
    for (const share of active) least = Math.min(least, followed.indexOf(stageOf(share)));
    return followed[least] ?? 'validated';
  },
} as const;
