import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { Failure } from '../../core/errors.ts';
import { Limits } from '../../core/limits.ts';
import type { PageRequest } from '../../store/page.ts';

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
