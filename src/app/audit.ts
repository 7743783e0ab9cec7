import type { AuditEvent } from '../core/audit/audit-event.ts';
import { type ChainVerdict, ChainVerifier } from '../core/audit/chain-verifier.ts';
import { type Checkpoint, Checkpoints } from '../core/audit/checkpoint.ts';
import type { Actor } from '../core/directory/organization.ts';
import type { Page, PageRequest } from '../store/page.ts';
import { signatureValid } from './audit-signer.ts';
import { type AppContext, authorize } from './context.ts';

export function listAuditEvents(
  context: AppContext,
  actor: Actor,
  filter: { objectType?: string; objectId?: string },
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  authorize(actor, 'audit.read');
  return context.store.read.audit.list(filter, page);
}

export interface AuditVerdict extends ChainVerdict {
  readonly checkpoints: number;
  /** The first checkpoint whose signature fails or whose hash differs from the chain's. */
  readonly firstBadCheckpoint?: number;
}

/**
 * Recomputes the whole chain from the stored events, compares it with the recorded head, and checks
 * every signed checkpoint against the chain and against its public key. Events and checkpoints are
 * both walked in sequence order, side by side, so memory does not grow with the chain.
 */
export async function verifyAuditChain(context: AppContext, actor: Actor): Promise<AuditVerdict> {
  authorize(actor, 'audit.verify');
  const repositories = context.store.read;
  const keys = await repositories.checkpoints.publicKeys();
  const verifier = new ChainVerifier(context.sha256);
  const checkpoints = repositories.checkpoints.all();
  let pending = await checkpoints.next();
  let checked = 0;
  let firstBadCheckpoint: number | undefined;
  const checkCheckpoint = (checkpoint: Checkpoint, chainHash: string | undefined) => {
    checked += 1;
    const key = keys.get(checkpoint.keyId);
    const signed =
      key !== undefined && signatureValid(key, Checkpoints.message(checkpoint), checkpoint.signature);
    if ((!signed || checkpoint.hash !== chainHash) && firstBadCheckpoint === undefined)
      firstBadCheckpoint = checkpoint.seq;
  };
  for await (const event of repositories.audit.all()) {
    verifier.accept(event);
    while (!pending.done && pending.value.seq <= event.seq) {
      checkCheckpoint(pending.value, pending.value.seq === event.seq ? event.hash : undefined);
      pending = await checkpoints.next();
    }
  }
  while (!pending.done) {
    checkCheckpoint(pending.value, undefined);
    pending = await checkpoints.next();
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
