import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import type { AuditEvent } from '../core/audit/audit-event.ts';
import {
  type ByteHashing,
  type ChainVerdict,
  ChainVerifier,
  hashDigits,
} from '../core/audit/chain-verifier.ts';
import { type Checkpoint, Checkpoints } from '../core/audit/checkpoint.ts';
import { IsoDate } from '../core/calendar/iso-date.ts';
import { type Actor, Emails } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import type { AuditFilter } from '../store/audit.repository.ts';
import type { Page, PageRequest } from '../store/page.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { signatureChecker } from './audit-signer.ts';
import { type AppContext, authorize } from './context.ts';

/** The auditor's search of the chain, as the API takes it; every criterion given must hold. */
export interface AuditQuery {
  readonly objectType?: string;
  readonly objectId?: string;
  /** An object type (`pledge`) or an object id. */
  readonly object?: string;
  /** A user's email or id, or an organisation code. */
  readonly actor?: string;
  /** UTC days, inclusive. */
  readonly from?: string;
  readonly to?: string;
}

function checkedDay(value: string | undefined, name: 'from' | 'to'): IsoDate | undefined {
  if (value === undefined) return undefined;
  if (!IsoDate.isValid(value)) {
    throw new Failure('VALIDATION_FAILED', `'${value.slice(0, 20)}' is not a date (YYYY-MM-DD).`, [
      { path: `querystring:/${name}`, message: 'must be a date YYYY-MM-DD' },
    ]);
  }
  return value;
}

export async function listAuditEvents(
  context: AppContext,
  actor: Actor,
  query: AuditQuery,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  authorize(actor, 'audit.read');
  const from = checkedDay(query.from, 'from');
  const to = checkedDay(query.to, 'to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new Failure('VALIDATION_FAILED', `The range starts (${from}) after it ends (${to}).`, [
      { path: 'querystring:/to', message: 'must not be before from' },
    ]);
  }
  const repositories = context.store.read;
  let actorFilter: AuditFilter['actor'];
  if (query.actor) {
    // An email names one user; anything else may be a user id or an organisation code.
    if (query.actor.includes('@')) {
      const user = await repositories.users.findByEmail(Emails.normalize(query.actor));
      actorFilter = { userIds: user ? [user.id] : [], organization: null };
    } else {
      actorFilter = { userIds: [query.actor], organization: query.actor };
    }
  }
  const filter: AuditFilter = {
    ...(query.objectType ? { objectType: query.objectType } : {}),
    ...(query.objectId ? { objectId: query.objectId } : {}),
    ...(query.object ? { object: query.object } : {}),
    ...(actorFilter ? { actor: actorFilter } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  return repositories.audit.list(filter, page);
}

export interface AuditVerdict extends ChainVerdict {
  readonly checkpoints: number;
  /** The first checkpoint whose signature fails or whose hash differs from the chain's. */
  readonly firstBadCheckpoint?: number;
}

/** SHA-256 of bytes for the packed batches: the same function as context.sha256, on the UTF-8 bytes. */
const byteHashing: ByteHashing = {
  sha256: (bytes) => hash('sha256', bytes, 'hex'),
  isUtf8: (bytes) => isUtf8(bytes),
};

/**
 * Verified events, a batch at a time: consecutive from `firstSeq` (packed, their hashes one after the
 * other), or the rows as read.
 */
type VerifiedBatch =
  | { readonly firstSeq: number; readonly count: number; readonly hashes: string }
  | { readonly events: readonly AuditEvent[] };

/**
 * Recomputes the chain from the stored events, feeding `verifier`, and hands each batch to `seen`.
 * A batch is read packed (each event's payload written by the database, see PackedEvents) and
 * verified whole; one that does not verify that way, or that the packed form cannot vouch for, is
 * read again as rows and verified event by event, which finds the first bad event and says why. Once
 * the chain has failed, the rest is read as rows, so that checkpoints still meet each event's hash.
 */
async function walkChain(
  repositories: Repositories,
  verifier: ChainVerifier,
  seen: (batch: VerifiedBatch) => Promise<void> | void,
): Promise<void> {
  let after = 0;
  for await (const packed of repositories.audit.packedBatches()) {
    const hashes = verifier.acceptPacked(packed, byteHashing);
    if (hashes) await seen({ firstSeq: packed.firstSeq, count: packed.count, hashes });
    else {
      // The packed batch holds the events after `after` up to its last sequence number, no others.
      const events = await repositories.audit.range(after + 1, packed.lastSeq);
      for (const event of events) verifier.accept(event);
      await seen({ events });
    }
    after = packed.lastSeq;
  }
}

/**
 * The chain alone, without the checkpoints: every event recomputed and linked, and the end compared
 * with the recorded head. The part of verifyAuditChain that the chain's length drives (the
 * benchmark of issue 8 measures it); verifyAuditChain adds the signed checkpoints.
 */
export async function verifyAuditChainLinks(context: AppContext, actor: Actor): Promise<ChainVerdict> {
  authorize(actor, 'audit.verify');
  const repositories = context.store.read;
  const verifier = new ChainVerifier(context.sha256);
  await walkChain(repositories, verifier, () => undefined);
  return verifier.verdict(await repositories.audit.head());
}

/**
 * Recomputes the whole chain from the stored events, compares it with the recorded head, and checks
 * every signed checkpoint against the chain and against its public key. Events and checkpoints are
 * both walked in sequence order, side by side, a batch at a time (keyset pagination), so memory does
 * not grow with the chain and no await is paid per event.
 */
export async function verifyAuditChain(context: AppContext, actor: Actor): Promise<AuditVerdict> {
  authorize(actor, 'audit.verify');
  const repositories = context.store.read;
  const keys = await repositories.checkpoints.publicKeys();
  const checkers = new Map([...keys].map(([keyId, pem]) => [keyId, signatureChecker(pem)]));
  const verifier = new ChainVerifier(context.sha256);
  const checkpointBatches = repositories.checkpoints.batches();
  let pending: Checkpoint[] = [];
  let index = 0;
  let exhausted = false;
  /** The next checkpoint not yet checked, fetching the next batch only when this one is used up. */
  const nextCheckpoint = async (): Promise<Checkpoint | undefined> => {
    while (index >= pending.length && !exhausted) {
      const batch = await checkpointBatches.next();
      if (batch.done) exhausted = true;
      else {
        pending = batch.value;
        index = 0;
      }
    }
    return pending[index];
  };
  let checked = 0;
  let firstBadCheckpoint: number | undefined;
  const checkCheckpoint = (checkpoint: Checkpoint, chainHash: string | undefined) => {
    checked += 1;
    const check = checkers.get(checkpoint.keyId);
    const signed = check?.(Checkpoints.message(checkpoint), checkpoint.signature) === true;
    if ((!signed || checkpoint.hash !== chainHash) && firstBadCheckpoint === undefined)
      firstBadCheckpoint = checkpoint.seq;
  };
  /** Checks the checkpoints up to the event `upTo`, each against the chain's hash at its sequence. */
  const settle = async (upTo: number, chainHashAt: (seq: number) => string | undefined) => {
    for (;;) {
      const checkpoint = index < pending.length ? pending[index] : await nextCheckpoint();
      if (!checkpoint || checkpoint.seq > upTo) return;
      checkCheckpoint(checkpoint, chainHashAt(checkpoint.seq));
      index += 1;
    }
  };
  await walkChain(repositories, verifier, async (batch) => {
    if ('events' in batch) {
      for (const event of batch.events)
        await settle(event.seq, (seq) => (seq === event.seq ? event.hash : undefined));
      return;
    }
    // Consecutive events: go from checkpoint to checkpoint rather than from event to event.
    const { firstSeq, count, hashes } = batch;
    await settle(firstSeq + count - 1, (seq) => {
      const at = (seq - firstSeq) * hashDigits;
      return seq >= firstSeq ? hashes.slice(at, at + hashDigits) : undefined;
    });
  });
  for (let checkpoint = await nextCheckpoint(); checkpoint; checkpoint = await nextCheckpoint()) {
    checkCheckpoint(checkpoint, undefined);
    index += 1;
  }
  const chain = verifier.verdict(await repositories.audit.head());
  return {
    ...chain,
    ok: chain.ok && firstBadCheckpoint === undefined,
    checkpoints: checked,
    ...(firstBadCheckpoint === undefined ? {} : { firstBadCheckpoint }),
    ...(chain.ok && firstBadCheckpoint !== undefined
      ? { firstBadSeq: firstBadCheckpoint, reason: 'a checkpoint does not match the chain or its signature' }
      : {}),
  };
}

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
  readonly checkpoint: Checkpoint | null;
  readonly publicKeys: { keyId: string; publicKeyPem: string }[];
}

/** The public face of the chain: its head, the latest signed checkpoint, and the keys that sign. */
export async function auditHead(context: AppContext): Promise<AuditHead> {
  const repositories = context.store.read;
  const [head, checkpoint, keys] = await Promise.all([
    repositories.audit.head(),
    repositories.checkpoints.latest(),
    repositories.checkpoints.publicKeys(),
  ]);
  return {
    ...head,
    checkpoint: checkpoint ?? null,
    publicKeys: [...keys].map(([keyId, publicKeyPem]) => ({ keyId, publicKeyPem })),
  };
}
