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
  /** The bytes a chain link's hash covers: every field of the event but the hash itself. */
  payload(event: Omit<AuditEvent, 'hash'>): string {
    return canonicalJson({ ...event });
  },
  link(event: Omit<AuditEvent, 'hash'>, sha256: Sha256Hex): AuditEvent {
    return { ...event, hash: sha256(AuditChain.payload(event)) };
  },
} as const;
