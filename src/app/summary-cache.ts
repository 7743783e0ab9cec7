import { createHash } from 'node:crypto';
import { Policy } from '../core/access/policy.ts';
import type { Principal } from '../core/access/roles.ts';
import { Failure } from '../core/errors.ts';
import type { PublicSummary } from '../core/reports/public-summary.ts';
import type { Store } from '../store/unit-of-work.ts';
import type { AppContext } from './context.ts';
import { publicSummary } from './public-summary.ts';

/** One representation of the summary (its JSON document, a CSV file…), rendered once per state of the data. */
export interface RenderedSummary {
  readonly summary: PublicSummary;
  /** The bytes sent: encoded once, so that a request costs no serialising and no UTF-8 encoding. */
  readonly body: Buffer;
  /** A strong entity tag: the SHA-256 of the body, so equal bodies have equal tags on every instance. */
  readonly etag: string;
}

export type SummaryRenderer = (summary: PublicSummary) => string | Buffer | Promise<string | Buffer>;

interface Entry {
  /** The audit chain's head sequence read before the summary was computed. */
  readonly headSeq: number;
  readonly summary: Promise<PublicSummary>;
  readonly representations: Map<string, Promise<RenderedSummary>>;
}

// One entry per store (per database connection), so two apps on two databases never share figures.
const entries = new WeakMap<Store, Entry>();

// The head read that has not started yet, per store, which every request arriving meanwhile joins.
const nextHeadReads = new WeakMap<Store, Promise<number>>();

/**
 * The audit chain's head sequence as of some moment after this call: one read serves every request
 * that arrives before it starts. A read that starts after a request arrived sees every write
 * committed before that request was sent, on this instance or another, which is all freshness
 * asks; sharing a read that had already started would not be. Under load the requests one turn of
 * the event loop accepts (up to one per connection) share one read instead of one each.
 */
function headSeq(store: Store): Promise<number> {
  let read = nextHeadReads.get(store);
  if (!read) {
    read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      // From here on the read is under way: later arrivals wait for the next one.
      nextHeadReads.delete(store);
      return store.read.audit.headSeq();
    });
    nextHeadReads.set(store, read);
  }
  return read;
}

function entityTag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * The public summary, computed once per state of the data and served from memory until it changes.
 *
 * Why it stays correct: every write that can change a figure (pledges, organisations, categories,
 * packages, allocations) appends an audit event in its own transaction, which moves the chain's
 * head sequence; so the head sequence changes whenever the data may have changed, whichever server
 * process made the write. Each call waits for a read of the head (one primary-key row) that starts
 * after the call (shared with the calls that arrive before it starts) and reuses the entry only
 * if the sequence is the one read before that entry was computed. The head is read *before* the
 * figures, so an entry holds data at least as new as its sequence: a write that commits while the
 * figures are computed may be in them already, and it moves the head, so the next call recomputes.
 *
 * Concurrent misses for one head share one computation. `representation` names what `render`
 * produces ('json', 'csv'…): each is rendered at most once per entry, and `render` must always
 * produce that representation from the summary alone. `asOf` is when the figures were computed;
 * nothing they count has changed since.
 */
export async function cachedPublicSummary(
  context: AppContext,
  principal: Principal,
  representation: string,
  render: SummaryRenderer,
): Promise<RenderedSummary> {
  // The check publicSummary makes, made on every call: a cached answer skips publicSummary.
  if (!Policy.allows(principal, 'public-summary.read')) {
    throw new Failure('FORBIDDEN', `The role '${principal}' may not perform 'public-summary.read'.`);
  }
  const store = context.store;
  const seq = await headSeq(store);
  let entry = entries.get(store);
  if (entry?.headSeq !== seq) {
    const created: Entry = {
      headSeq: seq,
      summary: publicSummary(context, principal),
      representations: new Map(),
    };
    // A failed computation is not remembered: the next call tries again.
    created.summary.catch(() => {
      if (entries.get(store) === created) entries.delete(store);
    });
    entries.set(store, created);
    entry = created;
  }
  const current = entry;
  let rendered = current.representations.get(representation);
  if (!rendered) {
    rendered = current.summary.then(async (summary) => {
      const rendered = await render(summary);
      const body = typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : rendered;
      return { summary, body, etag: entityTag(body) };
    });
    const pending = rendered;
    pending.catch(() => {
      if (current.representations.get(representation) === pending)
        current.representations.delete(representation);
    });
    current.representations.set(representation, pending);
  }
  return rendered;
}

/**
 * Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 §13.1.2 asks for
 * If-None-Match; `*` matches any current representation).
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}
