import type { Principal, Role } from './roles.ts';

/**
 * The one policy table: which principal may perform which action. Every HTTP route and CLI
 * command names one of these actions, and nothing else decides who may do what.
 * The relation of the caller to an object (own organisation, funds this package) is decided
 * per object by the use case that loads it; this table decides the action.
 */
const allUsers: readonly Role[] = ['recipient', 'coordinator', 'supplier', 'donor', 'auditor', 'admin'];
const requirementReaders: readonly Role[] = ['recipient', 'coordinator', 'supplier', 'auditor'];

export const policyTable = {
  'health.read': ['public', ...allUsers],
  'web.read': ['public', ...allUsers],
  'api-docs.read': ['public', ...allUsers],
  'session.create': ['public', ...allUsers],
  'session.delete': allUsers,
  'me.read': allUsers,
  'token.create': allUsers,
  'token.list': allUsers,
  'token.revoke': allUsers,
  'organization.list': ['admin'],
  'organization.create': ['admin'],
  'user.list': ['admin'],
  'user.create': ['admin'],
  /** Ends every session and token of the user at once; the account and its history stay. */
  'user.disable': ['admin'],
  /** Lifts the lockout that failed logins put on an account (`purl user unlock`). */
  'user.unlock': ['admin'],
  'category.list': allUsers,
  'category.create': ['coordinator'],
  'requirement.list': requirementReaders,
  'requirement.read': requirementReaders,
  'requirement.create': ['recipient', 'coordinator'],
  'requirement.edit': ['recipient', 'coordinator'],
  /** The route of every transition; the use case then checks the transition's own action below. */
  'requirement.transition': ['recipient', 'coordinator'],
  'requirement.submit': ['recipient'],
  'requirement.withdraw': ['recipient'],
  'requirement.validate': ['coordinator'],
  'requirement.reject': ['coordinator'],
  /** A spreadsheet of draft or submitted lines; the system operator (purl import) may also import validated ones. */
  'requirement.import': ['recipient'],
  /** The empty spreadsheet templates of the imports (column names and examples only). */
  'import-template.read': allUsers,
  'priority-list.read': requirementReaders,
  'priority-list.reorder': ['recipient', 'coordinator'],
  'priority-list.approve': ['coordinator'],
  'fx-rate.list': allUsers,
  'fx-rate.create': ['coordinator'],
  'fx-rate.import': ['coordinator'],
  /** Donors see their own pledges; coordinators and auditors all; the use case applies the relation. */
  'pledge.list': ['donor', 'coordinator', 'auditor'],
  'pledge.read': ['donor', 'coordinator', 'auditor'],
  'pledge.create': ['donor', 'coordinator'],
  'pledge.transition': ['donor', 'coordinator'],
  /** A donor imports pledges of its own organisation only; the use case checks each row. */
  'pledge.import': ['donor', 'coordinator'],
  /**
   * Donors read the packages they fund only (the use case checks the relation through the
   * allocations of their pledges; any other package is 404 to them). The recipient reads the
   * packages made of its requirements, to confirm what arrives: the one list is the recipient's,
   * so every package line is one of its requirements.
   */
  'package.list': ['coordinator', 'supplier', 'auditor', 'donor', 'recipient'],
  'package.read': ['coordinator', 'supplier', 'auditor', 'donor', 'recipient'],
  'package.create': ['coordinator'],
  'package.edit': ['coordinator'],
  'package.propose': ['coordinator'],
  /** The route of every package transition; the use case checks who may make which (PackageStatus). */
  'package.transition': ['coordinator', 'supplier'],
  'delivery.record': ['supplier'],
  'delivery.confirm': ['recipient'],
  'allocation.plan': ['coordinator', 'auditor'],
  /**
   * A donor previews with hypothetical pledges of its own organisation only, and sees its own
   * pledges and the lines; other donors' money aggregated (the use case restricts the plan).
   */
  'allocation.preview': ['coordinator', 'donor'],
  'allocation.apply': ['coordinator'],
  'ledger.read': ['coordinator', 'auditor'],
  'ledger.export': ['coordinator', 'auditor'],
  'audit.read': ['auditor', 'admin'],
  'audit.verify': ['auditor', 'admin'],
  'audit.head.read': ['public', ...allUsers],
  /** Aggregates only: no restricted pledge, no undisclosed amount, never an item line. */
  'public-summary.read': ['public', ...allUsers],
  /**
   * The live-update stream; each event is filtered by `changeRules` (change-rules.ts): a user is
   * told only of objects it may read.
   */
  'events.read': allUsers,
} as const satisfies Record<string, readonly Principal[]>;

export type Action = keyof typeof policyTable;

export const actions = Object.keys(policyTable) as Action[];

export const Policy = {
  allows(principal: Principal, action: Action): boolean {
    return (policyTable[action] as readonly Principal[]).includes(principal);
  },
  isAction(value: string): value is Action {
    return Object.hasOwn(policyTable, value);
  },
} as const;
