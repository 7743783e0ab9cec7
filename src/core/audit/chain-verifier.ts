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
 * Consecutive events as the store reads them for verification: each event's payload (the bytes its
 * hash covers, see AuditChain.payload) and its stored hash and previous hash, in sequence order, in
 * three packed values instead of a row object per event.
 *
 * The store's contract, on which acceptPacked relies: every string field is written as a JSON string
 * literal, so a field holding a quote, a backslash or a control character shows a backslash, and any
 * value not of the type the chain itself writes (text or null, an integer sequence) is written as a
 * lone backslash. A payload without a backslash is then exactly AuditChain.payload of the fields as
 * read one by one (test/app/audit-packed-verification.test.ts checks it on both dialects).
 */
export interface PackedEvents {
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The payloads, UTF-8, in sequence order, a newline (never inside a JSON payload) between two. */
  readonly payloads: Uint8Array;
  /** The stored hashes, in the same order, a comma between two. */
  readonly hashes: string;
  /** The stored previous hashes, in the same order, a comma between two. */
  readonly prevHashes: string;
}

/** Hashing bytes, which the core cannot do itself: the shell passes it in. */
export interface ByteHashing {
  /** SHA-256 of the bytes, hex, as Sha256Hex gives for their text. */
  readonly sha256: (bytes: Uint8Array) => string;
  readonly isUtf8: (bytes: Uint8Array) => boolean;
}

const newline = 0x0a;
const backslash = 0x5c;

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

  /**
   * Accepts a whole batch at once when it verifies in its packed form: the events' sequence numbers
   * are the next ones, each payload hashes to its stored hash, and each event links to the one before.
   * Returns the batch's hashes, in order. Returns undefined, having accepted nothing, when the batch
   * does not verify or holds anything the packed form cannot vouch for (a field that needs escaping,
   * bytes that are not UTF-8, a value of another type): the caller then passes the same events to
   * accept() one by one, which finds the first bad one and says why.
   */
  acceptPacked(batch: PackedEvents, hashing: ByteHashing): readonly string[] | undefined {
    const { count, payloads } = batch;
    if (this.failure || count < 1) return undefined;
    // Sequence numbers are unique (the primary key): the first and last fix every one between.
    if (batch.firstSeq !== this.expectedSeq || batch.lastSeq !== this.expectedSeq + count - 1)
      return undefined;
    if (payloads.indexOf(backslash) !== -1 || !hashing.isUtf8(payloads)) return undefined;
    const hashes = new Array<string>(count);
    let start = 0;
    for (let index = 0; index < count; index += 1) {
      const separator = payloads.indexOf(newline, start);
      // One payload per event, no more and no fewer.
      if ((separator === -1) !== (index === count - 1)) return undefined;
      const end = separator === -1 ? payloads.length : separator;
      hashes[index] = hashing.sha256(payloads.subarray(start, end));
      start = end + 1;
    }
    // The computed hashes hold no comma, so equal joined strings mean equal hashes one by one.
    const joined = hashes.join(',');
    if (joined !== batch.hashes) return undefined;
    const linked = count === 1 ? this.previousHash : `${this.previousHash},${joined.slice(0, -65)}`;
    if (linked !== batch.prevHashes) return undefined;
    this.previousHash = hashes[count - 1] ?? this.previousHash;
    this.expectedSeq += count;
    return hashes;
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
