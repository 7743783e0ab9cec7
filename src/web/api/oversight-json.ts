import type { MoneyJson } from '../../contract/index.ts';

/** An event of the audit chain, as GET /api/v1/audit lists it. */
export interface AuditEventJson {
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

/** The auditor's search of the chain; every criterion given must hold. Days are UTC, inclusive. */
export interface AuditQuery {
  readonly object?: string | null;
  readonly actor?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly cursor?: string | null;
}

/** GET /api/v1/audit/verify: the chain recomputed from its first event. */
export interface AuditVerdictJson {
  readonly ok: boolean;
  readonly length: number;
  readonly head: string;
  readonly checkpoints: number;
  readonly firstBadSeq?: number;
  readonly firstBadCheckpoint?: number;
  readonly reason?: string;
}

/** GET /api/v1/audit/head: public, with the keys that sign the checkpoints. */
export interface AuditHeadJson {
  readonly seq: number;
  readonly hash: string;
  readonly checkpoint: {
    readonly seq: number;
    readonly hash: string;
    readonly signedAt: string;
    readonly keyId: string;
    readonly signature: string;
  } | null;
  readonly publicKeys: readonly { readonly keyId: string; readonly publicKeyPem: string }[];
}

export interface AccountBalanceJson {
  readonly account: string;
  readonly balance: MoneyJson;
}

export interface AccountBalancesJson {
  readonly asOf: string | null;
  readonly items: AccountBalanceJson[];
}

/** An immutable journal entry; every posting exact, in its own currency. */
export interface JournalEntryJson {
  readonly id: string;
  readonly seq: number;
  readonly date: string;
  readonly description: string;
  readonly postings: readonly { readonly account: string; readonly amount: MoneyJson }[];
  readonly tags: Readonly<Record<string, string>>;
  readonly reverses: string | null;
  readonly conversion: {
    readonly from: MoneyJson;
    readonly to: MoneyJson;
    readonly rate: string;
    readonly rateDate: string;
  } | null;
  readonly recordedAt: string;
}
