import { Failure } from '../core/errors.ts';

/** A page of a list and the opaque cursor of the next page (null on the last). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor: string | null;
}

/** Keyset cursors: the sort key of the last row, base64url-encoded JSON. Opaque to clients. */
export const Cursor = {
  encode(key: readonly string[]): string {
    return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  },
  decode(cursor: string): string[] {
    try {
      const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(key) && key.every((part) => typeof part === 'string')) return key;
    } catch {
      // fall through to the failure below: a cursor is either ours or invalid
    }
    throw new Failure('VALIDATION_FAILED', 'The cursor is not one this server issued.', [
      { path: '/cursor', message: 'invalid cursor' },
    ]);
  },
  /** Rows fetched with limit + 1 tell whether there is a next page. */
  page<T>(rows: readonly T[], limit: number, keyOf: (row: T) => readonly string[]): Page<T> {
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last !== undefined ? Cursor.encode(keyOf(last)) : null,
    };
  },
} as const;
