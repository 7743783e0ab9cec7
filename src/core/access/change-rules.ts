import type { Action } from './policy.ts';

/**
 * The kinds of object a live update names. A client that is told `{ kind, id }` changed refetches
 * what it shows of that kind; the event itself carries nothing else.
 */
export const changedKinds = [
  'requirement',
  'priority-list',
  'pledge',
  'package',
  'allocation',
  'category',
  'fx-rate',
  'organization',
  'user',
] as const;
export type ChangedKind = (typeof changedKinds)[number];

/**
 * How the reader relates to the object, beyond the action: the use cases apply the same relation
 * when they answer 404 (a donor's own pledges; the packages its pledges were allocated to).
 */
export type ChangeRelation = 'own-pledge' | 'funded-package';

export interface ChangeRule {
  readonly kind: ChangedKind;
  /** The read action of the policy table: who may read the object may be told it changed. */
  readonly action: Action;
  readonly relation?: ChangeRelation;
}

/**
 * Who is told of a change, per object type of the audit chain: exactly who may read the object.
 * `null` tells nobody. Every object type a use case audits has a row (a test reads the use cases),
 * and a type without a row tells nobody: when in doubt, nothing is sent.
 */
export const changeRules: Readonly<Record<string, ChangeRule | null>> = {
  requirement: { kind: 'requirement', action: 'requirement.read' },
  'priority-list': { kind: 'priority-list', action: 'priority-list.read' },
  pledge: { kind: 'pledge', action: 'pledge.read', relation: 'own-pledge' },
  package: { kind: 'package', action: 'package.read', relation: 'funded-package' },
  /**
   * An applied plan moves money of many donors; only those who read whole plans are told. A
   * package it funds has its own audit event, which reaches the package's readers.
   */
  'allocation-plan': { kind: 'allocation', action: 'allocation.plan' },
  /** Audited together with their package, whose event reaches the package's readers. */
  delivery: null,
  allocation: null,
  category: { kind: 'category', action: 'category.list' },
  'fx-rate': { kind: 'fx-rate', action: 'fx-rate.list' },
  'fx-rates': { kind: 'fx-rate', action: 'fx-rate.list' },
  organization: { kind: 'organization', action: 'organization.list' },
  user: { kind: 'user', action: 'user.list' },
  /** A token is its owner's secret business; nobody else may know it exists. */
  'api-token': null,
};

export const ChangeRules = {
  of(objectType: string): ChangeRule | null {
    return Object.hasOwn(changeRules, objectType) ? (changeRules[objectType] ?? null) : null;
  },
} as const;
