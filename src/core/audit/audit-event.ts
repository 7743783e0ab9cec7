import { canonicalJson } from './canonical-json.ts';

/** What a write tells the audit chain; the chain adds the sequence, time and hashes. */
export interface AuditRecord {
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditEvent {
  readonly seq: number;
  readonly occurredAt: string;
  readonly actorUserId: string | null;
  readonly actorOrganization: string | null;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly beforeDigest: string | null;
  readonly afterDigest: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash function comes in from the shell: the core does no I/O and imports no crypto. */
export type Sha256Hex = (text: string) => string;

export const genesisHash = '0'.repeat(64);

export const AuditChain = {
  digest(value: unknown, sha256: Sha256Hex): string | null {
    return value === null || value === undefined ? null : sha256(canonicalJson(value));
  },
  /**
   * The bytes a chain link's hash covers: the canonical JSON of the event's ten fields, every field
   * but the hash itself. Verification hashes a million of these in a row, so when the fields have
   * their usual types the same bytes are written out directly, keys in canonicalJson's sorted order
   * (test/core/audit-payload.test.ts checks they are identical); anything else goes through
   * canonicalJson.
   */
  payload(event: Omit<AuditEvent, 'hash'>): string {
    const { seq, occurredAt, actorUserId, actorOrganization, action, objectType, objectId } = event;
    const { beforeDigest, afterDigest, prevHash } = event;
    if (
      Number.isSafeInteger(seq) &&
      typeof occurredAt === 'string' &&
      (actorUserId === null || typeof actorUserId === 'string') &&
      (actorOrganization === null || typeof actorOrganization === 'string') &&
      typeof action === 'string' &&
      typeof objectType === 'string' &&
      typeof objectId === 'string' &&
      (beforeDigest === null || typeof beforeDigest === 'string') &&
      (afterDigest === null || typeof afterDigest === 'string') &&
      typeof prevHash === 'string'
    ) {
      const text = JSON.stringify;
      return (
        `{"action":${text(action)},"actorOrganization":${text(actorOrganization)},` +
        `"actorUserId":${text(actorUserId)},"afterDigest":${text(afterDigest)},` +
        `"beforeDigest":${text(beforeDigest)},"objectId":${text(objectId)},"objectType":${text(objectType)},` +
        `"occurredAt":${text(occurredAt)},"prevHash":${text(prevHash)},"seq":${seq}}`
      );
    }
    return canonicalJson({
      seq,
      occurredAt,
      actorUserId,
      actorOrganization,
      action,
      objectType,
      objectId,
      beforeDigest,
      afterDigest,
      prevHash,
    });
  },
  link(event: Omit<AuditEvent, 'hash'>, sha256: Sha256Hex): AuditEvent {
    return { ...event, hash: sha256(AuditChain.payload(event)) };
  },
} as const;
