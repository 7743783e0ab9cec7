import { canonicalJson } from '../core/audit/canonical-json.ts';
import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, timestamp } from './context.ts';

/** What a client sent under an Idempotency-Key: the key, and a digest of the request it names. */
export interface IdempotentRequest {
  readonly key: string;
  readonly route: string;
  readonly requestDigest: string;
}

export interface RecordedResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Runs inside a write's transaction, after the write: the response is stored with it, atomically. */
export type AfterWrite<T> = (repositories: Repositories, result: T) => Promise<void>;

export function digestRequest(context: AppContext, method: string, route: string, body: unknown): string {
  return context.sha256(canonicalJson({ method, route, body: body ?? null }));
}

async function replay(
  context: AppContext,
  actor: Actor,
  request: IdempotentRequest,
): Promise<RecordedResponse | undefined> {
  const stored = await context.store.read.idempotency.find(actor.userId, request.key);
  if (!stored) return undefined;
  if (stored.route !== request.route || stored.requestDigest !== request.requestDigest) {
    throw new Failure('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request.');
  }
  return { status: stored.status, body: JSON.parse(stored.body) };
}

/**
 * Runs a money write at most once per (actor, key). A retry with the same request gets the first
 * response back; the same key with another request is a 409. The response is stored in the write's
 * own transaction, so a crash either loses both or keeps both. Two concurrent requests with one key:
 * the second fails (on the key's primary key, or on the first one's effect), its transaction rolls
 * back, and it replays the first.
 */
export async function runIdempotent<T>(
  context: AppContext,
  actor: Actor,
  request: IdempotentRequest | undefined,
  write: (afterWrite: AfterWrite<T> | undefined) => Promise<T>,
  respond: (result: T) => RecordedResponse,
): Promise<RecordedResponse & { replayed: boolean }> {
  if (!request) return { ...respond(await write(undefined)), replayed: false };
  const first = await replay(context, actor, request);
  if (first) return { ...first, replayed: true };
  try {
    const result = await write(async (repositories, value) => {
      const response = respond(value);
      await repositories.idempotency.insert(
        actor.userId,
        request.key,
        {
          route: request.route,
          requestDigest: request.requestDigest,
          status: response.status,
          body: JSON.stringify(response.body),
        },
        timestamp(context),
      );
    });
    return { ...respond(result), replayed: false };
  } catch (error) {
    // A concurrent request with this key may have committed while this one ran, and made it fail:
    // on the key itself (a unique violation), or through its own effect (the pledge it moved is no
    // longer at the version or stage this one read). Either way the first response stands.
    const winner = await replay(context, actor, request);
    if (!winner) throw error;
    return { ...winner, replayed: true };
  }
}
