import type { AuditEvent } from '../core/audit/audit-event.ts';
import { type ChainVerdict, ChainVerifier } from '../core/audit/chain-verifier.ts';
import type { Actor } from '../core/directory/organization.ts';
import type { Page, PageRequest } from '../store/page.ts';
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

/** Recomputes the whole chain from the stored events and compares it with the recorded head. */
export async function verifyAuditChain(context: AppContext, actor: Actor): Promise<ChainVerdict> {
  authorize(actor, 'audit.verify');
  const verifier = new ChainVerifier(context.sha256);
  for await (const event of context.store.read.audit.all()) verifier.accept(event);
  return verifier.verdict(await context.store.read.audit.head());
}

export async function auditHead(context: AppContext): Promise<{ seq: number; hash: string }> {
  return context.store.read.audit.head();
}
