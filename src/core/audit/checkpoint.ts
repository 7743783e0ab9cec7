import { canonicalJson } from './canonical-json.ts';

/** A signed statement that the chain had `hash` at sequence `seq`, made at `signedAt`. */
export interface Checkpoint {
  readonly seq: number;
  readonly hash: string;
  readonly signedAt: string;
  readonly keyId: string;
  /** Ed25519 signature of `Checkpoints.message(...)`, base64. */
  readonly signature: string;
}

export const Checkpoints = {
  /** The exact bytes that are signed: canonical JSON of the statement, so anyone can rebuild them. */
  message(checkpoint: Pick<Checkpoint, 'seq' | 'hash' | 'signedAt' | 'keyId'>): string {
    return canonicalJson({
      statement: 'purl-desk audit checkpoint',
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      signedAt: checkpoint.signedAt,
      keyId: checkpoint.keyId,
    });
  },
} as const;
