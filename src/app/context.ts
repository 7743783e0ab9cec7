import { createHash, randomUUID } from 'node:crypto';
import type { Action } from '../core/access/policy.ts';
import { Policy } from '../core/access/policy.ts';
import { AuditChain, type AuditEvent, type AuditRecord, type Sha256Hex } from '../core/audit/audit-event.ts';
import { canonicalJson } from '../core/audit/canonical-json.ts';
import { Checkpoints } from '../core/audit/checkpoint.ts';
import type { IsoDate } from '../core/calendar/iso-date.ts';
import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import type { Repositories, Store } from '../store/unit-of-work.ts';
import { type AuditSigner, ephemeralSigner } from './audit-signer.ts';

/** What every use case gets: the store, and the clock and ids that the core never reads itself. */
export interface AppContext {
  readonly store: Store;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly sha256: Sha256Hex;
  readonly signer: AuditSigner;
}

export const sha256Hex: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

export function createContext(store: Store, overrides: Partial<Omit<AppContext, 'store'>> = {}): AppContext {
  return {
    store,
    now: overrides.now ?? (() => new Date()),
    newId: overrides.newId ?? randomUUID,
    sha256: overrides.sha256 ?? sha256Hex,
    signer: overrides.signer ?? ephemeralSigner(),
  };
}

export function timestamp(context: AppContext): string {
  return context.now().toISOString();
}

/** The day of `context.now()` in UTC. */
export function today(context: AppContext): IsoDate {
  return timestamp(context).slice(0, 10);
}

/** The system actor: writes made by `purl` on the operator's machine (migrations, demo, user add). */
export const systemActor: Actor = {
  userId: 'system',
  email: 'system@purl.local',
  role: 'admin',
  organizationId: 'system',
  organizationCode: 'SYSTEM',
};

/** Refuses the action unless the policy table allows it to the actor's role. */
export function authorize(actor: Actor, action: Action): void {
  if (actor !== systemActor && !Policy.allows(actor.role, action)) {
    throw new Failure('FORBIDDEN', `The role '${actor.role}' may not perform '${action}'.`);
  }
}

/**
 * Appends the audit event of a write, inside the write's own transaction, and signs a checkpoint
 * of the new head: every event is covered by a signature from the moment it exists.
 */
export async function audit(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  record: AuditRecord,
): Promise<AuditEvent> {
  const event = await repositories.audit.append({
    occurredAt: timestamp(context),
    actorUserId: actor.userId,
    actorOrganization: actor.organizationCode,
    action: record.action,
    objectType: record.objectType,
    objectId: record.objectId,
    beforeDigest: AuditChain.digest(record.before, context.sha256),
    afterDigest: AuditChain.digest(record.after, context.sha256),
  });
  const signedAt = timestamp(context);
  const { keyId, publicKeyPem } = context.signer;
  await repositories.checkpoints.registerKey(keyId, publicKeyPem, signedAt);
  const unsigned = { seq: event.seq, hash: event.hash, signedAt, keyId };
  await repositories.checkpoints.insert({
    ...unsigned,
    signature: context.signer.sign(Checkpoints.message(unsigned)),
  });
  return event;
}

/**
 * Audits a write that gives a receipt (a pledge's): the exact content its after-digest covers is
 * kept beside the event, so a receipt can later show what was recorded, not only a digest of it.
 */
export async function auditWithReceipt(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  record: AuditRecord,
): Promise<AuditEvent> {
  const event = await audit(context, repositories, actor, record);
  await repositories.auditDocuments.insert(
    event.seq,
    record.objectType,
    record.objectId,
    canonicalJson(record.after),
  );
  return event;
}
