import { type ChangedKind, type ChangeRule, ChangeRules } from '../core/access/change-rules.ts';
import { Policy } from '../core/access/policy.ts';
import type { AuditEvent } from '../core/audit/audit-event.ts';
import type { Actor } from '../core/directory/organization.ts';
import { Cursor } from '../store/page.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import type { AppContext } from './context.ts';

/** What a live update names: the kind of object and its id; never a field of it. */
export interface ChangedObject {
  readonly kind: ChangedKind;
  readonly id: string;
}

/** The audit chain's head: the sequence number of the latest committed write. */
export async function latestChange(context: AppContext): Promise<number> {
  return context.store.read.audit.headSeq();
}

/** Committed audit events after `seq`, in order, at most `limit` of them. */
export async function changesAfter(context: AppContext, seq: number, limit: number): Promise<AuditEvent[]> {
  const page = await context.store.read.audit.list({}, { limit, cursor: Cursor.encode([String(seq)]) });
  return [...page.items];
}

async function related(repositories: Repositories, actor: Actor, rule: ChangeRule, id: string) {
  switch (rule.relation) {
    case undefined:
      return true;
    case 'own-pledge': {
      // The same relation as the pledge use cases: donors their own, everyone else the table decides.
      if (actor.role !== 'donor') return true;
      return (await repositories.pledges.findById(id))?.donor === actor.organizationCode;
    }
    case 'funded-package':
      return actor.role !== 'donor' || repositories.allocations.donorFunds(actor.organizationCode, id);
  }
}

/**
 * What the actor may be told of an audit event: the changed object, when the actor may read it
 * (the policy table's read action, then the relation the use cases apply); otherwise null. Object
 * types without a rule tell nobody.
 */
export async function visibleChange(
  context: AppContext,
  actor: Actor,
  event: Pick<AuditEvent, 'objectType' | 'objectId'>,
): Promise<ChangedObject | null> {
  const rule = ChangeRules.of(event.objectType);
  if (!rule || !Policy.allows(actor.role, rule.action)) return null;
  if (!(await related(context.store.read, actor, rule, event.objectId))) return null;
  return { kind: rule.kind, id: event.objectId };
}

/**
 * The part of an actor that decides what it may be told: readers with the same key see the same
 * changes, so a change is checked once per key rather than once per open stream.
 */
export function audienceOf(actor: Actor): string {
  return `${actor.role}\u0000${actor.organizationCode}`;
}
