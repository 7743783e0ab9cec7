import { type Receipt, Receipts } from '../core/audit/receipt.ts';
import type { Actor } from '../core/directory/organization.ts';
import { assert } from '../core/errors.ts';
import type { AppContext } from './context.ts';
import { getPledge } from './pledges.ts';

/** The receipt of the write recorded at `seq`, whose after-content is `document` (canonical JSON). */
async function receiptAt(context: AppContext, seq: number, document: string): Promise<Receipt> {
  const repositories = context.store.read;
  const checkpoint = await repositories.checkpoints.covering(seq);
  assert(checkpoint, `no signed checkpoint covers audit event ${seq}`);
  const [event, ...links] = await repositories.audit.range(seq, checkpoint.seq);
  assert(event?.seq === seq, `audit event ${seq} is missing`);
  const publicKeyPem = (await repositories.checkpoints.publicKeys()).get(checkpoint.keyId);
  assert(publicKeyPem, `the key ${checkpoint.keyId} of checkpoint ${checkpoint.seq} is not recorded`);
  return Receipts.build({
    document: JSON.parse(document),
    event,
    links,
    checkpoint,
    publicKey: { keyId: checkpoint.keyId, publicKeyPem },
  });
}

/**
 * The receipts of every write of a pledge, newest first: to whoever may see the pledge, and to no
 * one else (404, exactly like a pledge that does not exist).
 */
export async function pledgeReceipts(
  context: AppContext,
  actor: Actor,
  pledgeId: string,
): Promise<Receipt[]> {
  const pledge = await getPledge(context, actor, pledgeId);
  const documents = await context.store.read.auditDocuments.ofObject('pledge', pledge.id);
  const receipts: Receipt[] = [];
  for (const { seq, document } of documents) receipts.push(await receiptAt(context, seq, document));
  return receipts;
}

/**
 * The receipt of the write that left a pledge at `version`, for the answer to that write (and to
 * its idempotent replays). Versions of one pledge are unique, so concurrent writes cannot mix up.
 */
export async function pledgeWriteReceipt(
  context: AppContext,
  pledge: { readonly id: string; readonly version: number },
): Promise<Receipt | undefined> {
  const documents = await context.store.read.auditDocuments.ofObject('pledge', pledge.id);
  const written = documents.find(
    ({ document }) => (JSON.parse(document) as { version?: unknown }).version === pledge.version,
  );
  return written && receiptAt(context, written.seq, written.document);
}
