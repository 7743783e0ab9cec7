import { AuditChain, type AuditEvent, type Sha256Hex } from './audit-event.ts';
import { type Checkpoint, Checkpoints } from './checkpoint.ts';

export const receiptFormat = 'purl-desk receipt 1';

/**
 * What a donor saves after a write: the written content, the audit event that recorded it, the
 * events that follow it up to the signed checkpoint that covers it (none while every event gets its
 * own checkpoint), the checkpoint and the public key that signed it. Everything needed to check it
 * is inside, so it is checked without the database.
 */
export interface Receipt {
  readonly format: typeof receiptFormat;
  /** The exact content the event's after-digest covers, as canonical JSON parsed (bigints as strings). */
  readonly document: unknown;
  readonly event: AuditEvent;
  /** The events after `event`, in order, up to and including the checkpoint's sequence. */
  readonly links: readonly AuditEvent[];
  readonly checkpoint: Checkpoint;
  readonly publicKey: { readonly keyId: string; readonly publicKeyPem: string };
}

/** The crypto a check needs; the core imports none, so the shell passes it in. */
export interface ReceiptCrypto {
  readonly sha256: Sha256Hex;
  /** The key id of a public key: the first 16 hex digits of the SHA-256 of its DER (SPKI) form. */
  readonly keyIdOf: (publicKeyPem: string) => string | undefined;
  readonly signatureValid: (publicKeyPem: string, message: string, signature: string) => boolean;
}

export interface ReceiptVerdict {
  readonly ok: boolean;
  /** What is wrong, each in a sentence; empty when the receipt holds. */
  readonly problems: readonly string[];
  readonly seq?: number;
  readonly checkpointSeq?: number;
  readonly keyId?: string;
  /** Where the key that verified came from: given separately (file, head URL) or the receipt's own. */
  readonly keySource?: 'given' | 'receipt';
}

const eventFields = {
  seq: 'number',
  occurredAt: 'string',
  actorUserId: 'string|null',
  actorOrganization: 'string|null',
  action: 'string',
  objectType: 'string',
  objectId: 'string',
  beforeDigest: 'string|null',
  afterDigest: 'string|null',
  prevHash: 'string',
  hash: 'string',
} as const;

const checkpointFields = {
  seq: 'number',
  hash: 'string',
  signedAt: 'string',
  keyId: 'string',
  signature: 'string',
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fits(value: unknown, kind: string): boolean {
  if (kind === 'number') return Number.isSafeInteger(value);
  if (kind === 'string|null') return value === null || typeof value === 'string';
  return typeof value === kind;
}

/** The problems with the shape of an object, field by field; unknown fields are refused (they are not hashed). */
function shapeProblems(value: unknown, fields: Record<string, string>, where: string): string[] {
  if (!isRecord(value)) return [`${where} is missing or not an object`];
  const problems = Object.entries(fields)
    .filter(([name, kind]) => !fits(value[name], kind))
    .map(([name, kind]) => `${where}.${name} is missing or not ${kind.replace('|', ' or ')}`);
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(fields, name)) problems.push(`${where}.${name} is not part of a receipt`);
  }
  return problems;
}

/** Only the fields the hash covers, in a fresh object: nothing else can ride along unhashed. */
function eventOf(value: Record<string, unknown>): AuditEvent {
  return Object.fromEntries(
    Object.keys(eventFields).map((name) => [name, value[name]]),
  ) as unknown as AuditEvent;
}

export const Receipts = {
  /** A receipt in its saved form: canonical members, ready for `JSON.stringify`. */
  build(parts: Omit<Receipt, 'format'>): Receipt {
    return { format: receiptFormat, ...parts };
  },

  /**
   * Checks a receipt offline: the document hashes to the event's after-digest, the event hashes to
   * its own hash, each link follows the one before, the checkpoint names the last of them, and its
   * Ed25519 signature verifies with the public key. A key given separately (a file, the published
   * head) must be the receipt's own key; without one, the receipt's key is used and the verdict says so.
   */
  verify(candidate: unknown, crypto: ReceiptCrypto, givenKeyPem?: string): ReceiptVerdict {
    if (!isRecord(candidate)) return { ok: false, problems: ['the receipt is not a JSON object'] };
    if (candidate.format !== receiptFormat) {
      return { ok: false, problems: [`the receipt's format is not '${receiptFormat}'`] };
    }
    const shape = [
      ...shapeProblems(candidate.event, eventFields, 'event'),
      ...shapeProblems(candidate.checkpoint, checkpointFields, 'checkpoint'),
      ...shapeProblems(candidate.publicKey, { keyId: 'string', publicKeyPem: 'string' }, 'publicKey'),
      ...(Array.isArray(candidate.links)
        ? candidate.links.flatMap((link, index) => shapeProblems(link, eventFields, `links[${index}]`))
        : ['links is missing or not a list']),
      ...(candidate.document === undefined ? ['document is missing'] : []),
    ];
    if (shape.length > 0) return { ok: false, problems: shape };
    const event = eventOf(candidate.event as Record<string, unknown>);
    const links = (candidate.links as Record<string, unknown>[]).map(eventOf);
    const checkpoint = candidate.checkpoint as unknown as Checkpoint;
    const publicKey = candidate.publicKey as { keyId: string; publicKeyPem: string };
    const problems: string[] = [];

    const documentDigest = AuditChain.digest(candidate.document, crypto.sha256);
    if (documentDigest !== event.afterDigest) {
      problems.push(
        `the document does not hash to the event's afterDigest: its content (an amount, a stage, a date…) is not what event ${event.seq} recorded`,
      );
    }
    const documentId = isRecord(candidate.document) ? candidate.document.id : undefined;
    if (documentId !== event.objectId) {
      problems.push(`the document's id is not the event's objectId '${event.objectId}'`);
    }
    let previous: AuditEvent | undefined;
    for (const link of [event, ...links]) {
      const { hash, ...content } = link;
      if (AuditChain.link(content, crypto.sha256).hash !== hash) {
        problems.push(
          `event ${link.seq} does not hash to its recorded hash: its content or its hash was changed`,
        );
      }
      if (previous && (link.seq !== previous.seq + 1 || link.prevHash !== previous.hash)) {
        problems.push(`event ${link.seq} does not follow event ${previous.seq} in the chain`);
      }
      previous = link;
    }
    const last = previous ?? event;
    if (checkpoint.seq !== last.seq || checkpoint.hash !== last.hash) {
      problems.push(
        `the checkpoint (sequence ${checkpoint.seq}) does not cover event ${last.seq}: its sequence or hash differs`,
      );
    }

    const receiptKeyId = crypto.keyIdOf(publicKey.publicKeyPem);
    if (receiptKeyId === undefined) problems.push("the receipt's public key is not a readable Ed25519 key");
    else if (receiptKeyId !== publicKey.keyId || receiptKeyId !== checkpoint.keyId) {
      problems.push(
        `the receipt's public key has the key id ${receiptKeyId}, not the checkpoint's ${checkpoint.keyId}`,
      );
    }
    let verifyingKey = publicKey.publicKeyPem;
    if (givenKeyPem !== undefined) {
      const givenKeyId = crypto.keyIdOf(givenKeyPem);
      if (givenKeyId === undefined) problems.push('the public key given is not a readable Ed25519 key');
      else if (givenKeyId !== receiptKeyId) {
        problems.push(
          `the public key in the receipt (key id ${receiptKeyId ?? 'unreadable'}) is not the public key given (key id ${givenKeyId})`,
        );
      }
      verifyingKey = givenKeyPem;
    }
    if (!crypto.signatureValid(verifyingKey, Checkpoints.message(checkpoint), checkpoint.signature)) {
      problems.push(`the checkpoint's signature does not verify with the public key`);
    }
    return {
      ok: problems.length === 0,
      problems,
      seq: event.seq,
      checkpointSeq: checkpoint.seq,
      keyId: checkpoint.keyId,
      keySource: givenKeyPem === undefined ? 'receipt' : 'given',
    };
  },
} as const;
