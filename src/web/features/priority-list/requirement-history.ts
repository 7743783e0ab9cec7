import type { RequirementHistoryEventJson, RequirementJson } from '../../../contract/index.ts';

type Status = RequirementJson['status'];

/**
 * What one audit event did to a line, read from its action. The chain keeps digests of the line
 * before and after, not the fields themselves, so the action is all that says what changed.
 */
export type HistoryChange =
  | { readonly kind: 'created' }
  | { readonly kind: 'imported' }
  | { readonly kind: 'edited' }
  | { readonly kind: 'status'; readonly to: Status }
  | { readonly kind: 'followed-package' }
  | { readonly kind: 'other'; readonly action: string };

/** The transitions' actions (src/core/requirements/requirement-status.ts) and the status each reaches. */
const statusOfAction: Readonly<Record<string, Status>> = {
  'requirement.submit': 'submitted',
  'requirement.validate': 'validated',
  'requirement.reject': 'rejected',
  'requirement.withdraw': 'withdrawn',
};

export function historyChangeOf(action: string): HistoryChange {
  if (action === 'requirement.create') return { kind: 'created' };
  if (action === 'requirement.import') return { kind: 'imported' };
  if (action === 'requirement.edit') return { kind: 'edited' };
  if (action === 'requirement.follow-package') return { kind: 'followed-package' };
  const to = statusOfAction[action];
  return to ? { kind: 'status', to } : { kind: 'other', action };
}

/** The events by their place in the chain, whatever order they arrived in. */
export function oldestFirst(
  events: readonly RequirementHistoryEventJson[],
): readonly RequirementHistoryEventJson[] {
  return [...events].sort((a, b) => a.seq - b.seq);
}

export interface Validation {
  readonly outcome: 'validated' | 'rejected';
  readonly occurredAt: string;
  readonly actorOrganization: string | null;
}

/** The coordinator's latest verdict on the line (validated or rejected), or null while there is none. */
export function validationOf(events: readonly RequirementHistoryEventJson[]): Validation | null {
  let latest: Validation | null = null;
  for (const event of oldestFirst(events)) {
    const change = historyChangeOf(event.action);
    if (change.kind === 'status' && (change.to === 'validated' || change.to === 'rejected')) {
      latest = {
        outcome: change.to,
        occurredAt: event.occurredAt,
        actorOrganization: event.actorOrganization,
      };
    }
  }
  return latest;
}
