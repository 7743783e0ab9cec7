import type { MeJson, RequirementJson } from '../../../contract/index.ts';
import type { RequestedTransition } from '../../api/client.ts';

type Role = MeJson['role'];
type Status = RequirementJson['status'];

export interface ListPermissions {
  readonly read: boolean;
  readonly reorder: boolean;
  readonly create: boolean;
  readonly approve: boolean;
  /** Lines from a spreadsheet (requirement.import): the recipient's own list only. */
  readonly importFile: boolean;
  /** The transitions this role is offered on a line of this status, in the order of the buttons. */
  transitionsFor(status: Status): readonly RequestedTransition[];
}

/**
 * What the page offers to each role. It mirrors the server's policy table and status machine only
 * to hide buttons that could not work; the server decides, and a refusal is shown as an error.
 */
const recipientTransitions: Partial<Record<Status, readonly RequestedTransition[]>> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['withdrawn'],
  validated: ['withdrawn'],
};
const coordinatorTransitions: Partial<Record<Status, readonly RequestedTransition[]>> = {
  submitted: ['validated', 'rejected'],
};
const readers: readonly Role[] = ['recipient', 'coordinator', 'supplier', 'auditor'];

export function listPermissions(role: Role): ListPermissions {
  const transitions =
    role === 'recipient' ? recipientTransitions : role === 'coordinator' ? coordinatorTransitions : {};
  const writes = role === 'recipient' || role === 'coordinator';
  return {
    read: readers.includes(role),
    reorder: writes,
    create: writes,
    approve: role === 'coordinator',
    importFile: role === 'recipient',
    transitionsFor: (status) => transitions[status] ?? [],
  };
}
