export { PriorityList, type RankedLine } from './priority-list.ts';
export {
  type Requirement,
  Requirements,
  type RequirementVisibility,
  requirementVisibilities,
} from './requirement.ts';
export {
  type RequestedTransition,
  RequirementStatus,
  requestedTransitions,
  requirementStatuses,
} from './requirement-status.ts';
