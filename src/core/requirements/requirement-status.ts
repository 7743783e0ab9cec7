import type { Action } from '../access/policy.ts';
import { Failure } from '../errors.ts';

export const requirementStatuses = [
  'draft',
  'submitted',
  'validated',
  'packaged',
  'funded',
  'contracted',
  'delivered',
  'rejected',
  'withdrawn',
] as const;
export type RequirementStatus = (typeof requirementStatuses)[number];

/** The transitions a person asks for through the API; the later ones follow the line's package. */
export const requestedTransitions = ['submitted', 'validated', 'rejected', 'withdrawn'] as const;
export type RequestedTransition = (typeof requestedTransitions)[number];

const allowedFrom: Readonly<Record<RequestedTransition, readonly RequirementStatus[]>> = {
  submitted: ['draft'],
  validated: ['submitted'],
  rejected: ['submitted', 'validated'],
  withdrawn: ['draft', 'submitted', 'validated'],
};

const actionOf: Readonly<Record<RequestedTransition, Action>> = {
  submitted: 'requirement.submit',
  validated: 'requirement.validate',
  rejected: 'requirement.reject',
  withdrawn: 'requirement.withdraw',
};

/** Lines that are not rejected or withdrawn hold a rank: the list is 1..N with no gaps among them. */
const inactive: readonly RequirementStatus[] = ['rejected', 'withdrawn'];
const editable: readonly RequirementStatus[] = ['draft', 'submitted'];

export const RequirementStatus = {
  isActive(status: RequirementStatus): boolean {
    return !inactive.includes(status);
  },
  isEditable(status: RequirementStatus): boolean {
    return editable.includes(status);
  },
  actionFor(to: RequestedTransition): Action {
    return actionOf[to];
  },
  /** The status after the transition, or `INVALID_TRANSITION`. */
  transition(from: RequirementStatus, to: RequestedTransition): RequirementStatus {
    if (!allowedFrom[to].includes(from)) {
      throw new Failure('INVALID_TRANSITION', `A requirement cannot move from '${from}' to '${to}'.`);
    }
    return to;
  },
} as const;
