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
 * hash covers, see AuditChain.payload) and its stored hash, in sequence order, in two packed values
 * instead of a row object per event. Each event's previous hash is read from its payload, which ends
 * with it and the sequence number (`"prevHash":"<64 hex digits>","seq":<n>}`).
 *
 * The store's contract, on which acceptPacked relies: the payload is the event's fields written as
 * JSON, keys in AuditChain.payload's order, text as JSON strings, NULL as null, numbers as numbers.
 * A field holding a quote, a backslash or a control character then shows a backslash; a value of
 * another type than the chain writes (a number where it writes text, say) is written as what it is,
 * which cannot hash to a hash the chain wrote; a stored hash that is not text is written as a lone
 * backslash. A payload without a backslash whose hash is the stored hash is then exactly
 * AuditChain.payload of the fields as read one by one (test/app/audit-packed-verification.test.ts
 * checks it on both dialects). A batch the store cannot pack at all comes with a count of 0.
 */
export interface PackedEvents {
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The payloads, UTF-8, in sequence order, a newline (never inside a JSON payload) between two. */
  readonly payloads: Uint8Array;
  /** The stored hashes, in the same order, one after the other (64 hex digits each). */
  readonly hashes: string;
}

/** The length of a hash in hex digits. */
export const hashDigits = 64;

/** Hashing bytes, which the core cannot do itself: the shell passes it in. */
export interface ByteHashing {
  /** SHA-256 of the bytes, hex, as Sha256Hex gives for their text. */
  readonly sha256: (bytes: Uint8Array) => string;
  readonly isUtf8: (bytes: Uint8Array) => boolean;
}

const newline = 0x0a;
const backslash = 0x5c;
const closingBrace = 0x7d;
const zero = 0x30;
const nine = 0x39;
/** What comes between the previous hash and the sequence number at the end of each payload. */
const beforeSeq = '","seq":';
/** What comes before the previous hash in each payload. */
const beforePrevHash = '"prevHash":"';

/** Whether `bytes` hold the ASCII `text` at `at` (a payload without a backslash is plain JSON). */
function holdsAt(bytes: Uint8Array, at: number, text: string, from = 0, length = text.length): boolean {
  for (let index = 0; index < length; index += 1) {
    if (bytes[at + index] !== text.charCodeAt(from + index)) return false;
  }
  return true;
}

/**
 * Where the previous hash ends in the payload `bytes[start, end)`, which must end with
 * `","seq":<seq>}`, the sequence number written as JSON.stringify writes it; -1 if it does not.
 */
function previousHashEnd(bytes: Uint8Array, start: number, end: number, seq: number): number {
  if (bytes[end - 1] !== closingBrace) return -1;
  let at = end - 2;
  let value = 0;
  let scale = 1;
  while (at >= start) {
    const byte = bytes[at] ?? 0;
    if (byte < zero || byte > nine) break;
    value += (byte - zero) * scale;
    scale *= 10;
    at -= 1;
  }
  const digits = end - 2 - at;
  // No leading zero, and exactly `seq`.
  if (digits === 0 || value !== seq || (digits > 1 && bytes[at + 1] === zero)) return -1;
  const seqStart = at + 1 - beforeSeq.length;
  if (seqStart < start || !holdsAt(bytes, seqStart, beforeSeq)) return -1;
  return seqStart;
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

  /**
   * Accepts a whole batch at once when it verifies in its packed form: the events' sequence numbers
   * are the next ones, each payload hashes to its stored hash and ends with the sequence number it
   * should, and each event's previous hash is the hash of the one before. Returns the batch's hashes,
   * one after the other (see PackedEvents). Returns undefined, having accepted nothing, when the batch
   * does not verify or holds anything the packed form cannot vouch for (a field that needs escaping,
   * bytes that are not UTF-8, a stored hash that is not text): the caller then passes the same events
   * to accept() one by one, which finds the first bad one and says why.
   */
  acceptPacked(batch: PackedEvents, hashing: ByteHashing): string | undefined {
    const { count, payloads, hashes } = batch;
    if (this.failure || count < 1) return undefined;
    // Sequence numbers are unique (the primary key): the first and last fix every one between.
    if (batch.firstSeq !== this.expectedSeq || batch.lastSeq !== this.expectedSeq + count - 1)
      return undefined;
    if (hashes.length !== count * hashDigits) return undefined;
    if (payloads.indexOf(backslash) !== -1 || !hashing.isUtf8(payloads)) return undefined;
    let start = 0;
    for (let index = 0; index < count; index += 1) {
      const separator = payloads.indexOf(newline, start);
      // One payload per event, no more and no fewer.
      if ((separator === -1) !== (index === count - 1)) return undefined;
      const end = separator === -1 ? payloads.length : separator;
      const prevEnd = previousHashEnd(payloads, start, end, this.expectedSeq + index);
      const prevStart = prevEnd - hashDigits;
      if (prevEnd === -1 || prevStart - beforePrevHash.length < start) return undefined;
      if (!holdsAt(payloads, prevStart - beforePrevHash.length, beforePrevHash)) return undefined;
      // The link: the previous hash in the payload is the previous event's stored hash (checked below).
      const linked =
        index === 0
          ? holdsAt(payloads, prevStart, this.previousHash)
          : holdsAt(payloads, prevStart, hashes, (index - 1) * hashDigits, hashDigits);
      if (!linked) return undefined;
      if (!hashes.startsWith(hashing.sha256(payloads.subarray(start, end)), index * hashDigits))
        return undefined;
      start = end + 1;
    }
    this.previousHash = hashes.slice(-hashDigits);
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
