import { type RefObject, useEffect, useRef, useState } from 'react';
import type { Page } from '../../api/client.ts';

export interface CursorPages<T> {
  /** The page shown; kept while the next one loads, so the table does not flicker away. */
  readonly page: Page<T> | null;
  readonly loading: boolean;
  readonly error: unknown;
  /** 1 for the first page. */
  readonly pageNumber: number;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
  previous(): void;
  next(): void;
  retry(): void;
  /** Where the reader is taken after turning a page: the region of the new rows. */
  readonly regionRef: RefObject<HTMLElement | null>;
}

/**
 * The pages of one list that the API serves by opaque cursor. The cursor of every page visited is
 * kept, the current one last, so "Previous page" goes back without the API knowing the way back.
 * A new query mounts a new list (the caller keys it), back at page 1.
 */
export function useCursorPages<T>(load: (cursor: string | null) => Promise<Page<T>>): CursorPages<T> {
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const [attempt, setAttempt] = useState(0);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const regionRef = useRef<HTMLElement | null>(null);
  const focusAfterLoad = useRef(false);
  const loadRef = useRef(load);
  loadRef.current = load;
  const cursor = cursors[cursors.length - 1] ?? null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "Try again" trigger.
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    loadRef.current(cursor).then(
      (result) => {
        if (cancelled) return;
        setPage(result);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (cancelled) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [cursor, attempt]);

  useEffect(() => {
    if (page && focusAfterLoad.current) {
      focusAfterLoad.current = false;
      regionRef.current?.focus();
    }
  }, [page]);

  const nextCursor = page?.nextCursor ?? null;
  return {
    page,
    loading,
    error,
    pageNumber: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: nextCursor !== null,
    previous() {
      if (cursors.length <= 1) return;
      focusAfterLoad.current = true;
      setCursors(cursors.slice(0, -1));
    },
    next() {
      if (nextCursor === null) return;
      focusAfterLoad.current = true;
      setCursors([...cursors, nextCursor]);
    },
    retry() {
      setAttempt((count) => count + 1);
    },
    regionRef,
  };
}
