import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { AppContext } from '../../app/context.ts';
import type { TableDownload } from '../../app/export/table-export.ts';
import {
  type AfterWrite,
  digestRequest,
  type IdempotentRequest,
  type RecordedResponse,
  runIdempotent,
} from '../../app/idempotency.ts';
import { Failure } from '../../core/errors.ts';
import { Limits } from '../../core/limits.ts';
import type { PageRequest } from '../../store/page.ts';
import { actorOf } from '../plugins/access.ts';

/** The Fastify instance every route file registers on: schemas are TypeBox, types follow them. */
export type Router = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export function pageOf(query: { limit?: number; cursor?: string }): PageRequest {
  return { limit: query.limit ?? Limits.pageSizeDefault, cursor: query.cursor ?? null };
}

/** Reads `If-Match: "3"` (or W/"3", or 3). Required on edits: without it, 428. */
export function versionFromIfMatch(header: string | undefined, required: true): number;
export function versionFromIfMatch(header: string | undefined, required: false): number | undefined;
export function versionFromIfMatch(header: string | undefined, required: boolean): number | undefined {
  if (header === undefined || header === '') {
    if (required) throw new Failure('IF_MATCH_REQUIRED');
    return undefined;
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match?.[1]) {
    throw new Failure('VALIDATION_FAILED', 'If-Match must be the version number the client read.', [
      { path: 'headers:/if-match', message: 'must be a version such as "3"' },
    ]);
  }
  return Number.parseInt(match[1], 10);
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The Idempotency-Key of a money write, with a digest of the request it names (method, route,
 * path parameters, body); undefined when the client sent none.
 */
export function idempotencyOf(context: AppContext, request: FastifyRequest): IdempotentRequest | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(header)) {
    throw new Failure('VALIDATION_FAILED', 'Idempotency-Key is 1 to 128 printable ASCII characters.', [
      { path: 'headers:/idempotency-key', message: 'invalid' },
    ]);
  }
  const route = `${request.method} ${request.url.split('?')[0]}`;
  return { key: header, route, requestDigest: digestRequest(context, request.method, route, request.body) };
}

/**
 * Runs a money write under the request's Idempotency-Key (if any), sets the status of the first
 * response (and `idempotent-replayed: true` on a replay) and returns its body for the route to send.
 */
export async function replyIdempotent<T, Body>(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  write: (afterWrite: AfterWrite<T> | undefined) => Promise<T>,
  respond: (result: T) => RecordedResponse & { body: Body },
): Promise<Body> {
  const outcome = await runIdempotent<T>(
    context,
    actorOf(request),
    idempotencyOf(context, request),
    write,
    respond,
  );
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  reply.code(outcome.status);
  return outcome.body as Body;
}

/** Sends a table download (a list export, a template) as an attachment, streamed. */
export function sendDownload(reply: FastifyReply, download: TableDownload): FastifyReply {
  return reply
    .header('content-type', download.contentType)
    .header('content-disposition', `attachment; filename="${download.fileName}"`)
    .header('cache-control', 'no-store')
    .send(download.body);
}
