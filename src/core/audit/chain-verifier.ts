import { AuditChain, type AuditEvent, genesisHash, type Sha256Hex } from './audit-event.ts';

export interface ChainVerdict {
  readonly ok: boolean;
  readonly length: number;
  readonly head: string;
  /** The first sequence number whose event is altered, missing, out of order or not linked. */
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/**
 * Walks the chain in sequence order, one event at a time (the chain may be millions long): each
 * event must carry the next sequence number, link to the previous hash, and hash to its own hash.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private previousHash = genesisHash;
  private failure: { seq: number; reason: string } | undefined;

  constructor(private readonly sha256: Sha256Hex) {}

  accept(event: AuditEvent): void {
    if (this.failure) return;
    if (event.seq !== this.expectedSeq) {
      this.failure = {
        seq: Math.min(event.seq, this.expectedSeq),
        reason: `expected sequence ${this.expectedSeq}, found ${event.seq}`,
      };
      return;
    }
    if (event.prevHash !== this.previousHash) {
      this.failure = { seq: event.seq, reason: 'does not link to the previous event' };
      return;
    }
    // The payload is the event's fields but its hash: no copy of the event needed to leave it out.
    const hash = event.hash;
    if (this.sha256(AuditChain.payload(event)) !== hash) {
      this.failure = { seq: event.seq, reason: 'its content does not match its hash' };
      return;
    }
    this.previousHash = hash;
    this.expectedSeq += 1;
  }

  /** The verdict, given the head the database records (a deleted tail shows as a head mismatch). */
  verdict(recordedHead: { seq: number; hash: string }): ChainVerdict {
    const length = this.expectedSeq - 1;
    if (this.failure) {
      return {
        ok: false,
        length,
        head: this.previousHash,
        firstBadSeq: this.failure.seq,
        reason: this.failure.reason,
      };
    }
    if (recordedHead.seq !== length || recordedHead.hash !== this.previousHash) {
      return {
        ok: false,
        length,
        head: this.previousHash,
        firstBadSeq: length + 1,
        reason: `the recorded head is sequence ${recordedHead.seq}, the chain ends at ${length}`,
      };
    }
    return { ok: true, length, head: this.previousHash };
  }
}
