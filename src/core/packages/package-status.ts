import type { Role } from '../access/roles.ts';
import { Failure } from '../errors.ts';

export const packageStatuses = [
  'draft',
  'priced',
  'open',
  'funded',
  'contracted',
  'delivering',
  'completed',
  'cancelled',
] as const;
export type PackageStatus = (typeof packageStatuses)[number];

/** The transitions a person asks for through the API; `funded` is the system's, when the money covers the price. */
export const requestedPackageTransitions = [
  'priced',
  'open',
  'contracted',
  'delivering',
  'completed',
  'cancelled',
] as const;
export type RequestedPackageTransition = (typeof requestedPackageTransitions)[number];

interface TransitionRule {
  readonly from: readonly PackageStatus[];
  /** The roles that may ask for it; none for a transition only the system makes. */
  readonly by: readonly Role[];
}

/**
 * Who moves a package, and from where (docs/packages.md): the supplier prices (and may re-price
 * before the package opens), contracts and ships; the coordinator opens and cancels; the system
 * marks a package funded when its allocations reach the price, moves it to delivering on the first
 * delivery and completes it when the recipient confirms the last quantity.
 */
const rules: Readonly<Record<PackageStatus, TransitionRule>> = {
  draft: { from: [], by: [] },
  priced: { from: ['draft', 'priced'], by: ['supplier'] },
  open: { from: ['priced'], by: ['coordinator'] },
  funded: { from: ['open'], by: [] },
  contracted: { from: ['funded'], by: ['supplier'] },
  delivering: { from: ['contracted'], by: ['supplier'] },
  completed: { from: ['delivering'], by: ['coordinator', 'supplier'] },
  cancelled: { from: ['draft', 'priced', 'open', 'funded', 'contracted', 'delivering'], by: ['coordinator'] },
};

/** Statuses whose lines may still be edited by name and target (nothing priced or promised yet). */
const editable: readonly PackageStatus[] = ['draft'];

export const PackageStatus = {
  isEditable(status: PackageStatus): boolean {
    return editable.includes(status);
  },

  /** Whether the package still counts: its lines hold requirement quantity, its allocations money. */
  isActive(status: PackageStatus): boolean {
    return status !== 'cancelled';
  },

  /** The roles that may ask for `to` (empty: only the system moves a package there). */
  requestedBy(to: PackageStatus): readonly Role[] {
    return rules[to].by;
  },

  /**
   * Checks a transition asked for by `role`: a role that may never ask for it is `FORBIDDEN`
   * (whatever the package's status), an impossible move `INVALID_TRANSITION`.
   */
  checkRequest(from: PackageStatus, to: PackageStatus, role: Role): void {
    if (!rules[to].by.includes(role)) {
      throw new Failure('FORBIDDEN', `The role '${role}' may not move a package to '${to}'.`);
    }
    PackageStatus.checkMove(from, to);
  },

  /** Checks a move regardless of who makes it (the system's own moves come through here). */
  checkMove(from: PackageStatus, to: PackageStatus): void {
    if (!rules[to].from.includes(from)) {
      throw new Failure('INVALID_TRANSITION', `A package cannot move from '${from}' to '${to}'.`);
    }
  },
} as const;
