import { useI18n } from '../../i18n/i18n-provider.tsx';
import type { CursorPages } from './use-cursor-pages.ts';

/** "Previous page", where the reader is, "Next page": under every paged table. */
export function Pagination<T>({ pages, label }: { readonly pages: CursorPages<T>; readonly label: string }) {
  const { t } = useI18n();
  return (
    <nav className="pagination" aria-label={label}>
      <button
        type="button"
        className="button"
        disabled={!pages.hasPrevious || pages.loading}
        onClick={() => pages.previous()}
      >
        {t.paging.previous}
      </button>
      <p className="pagination-summary" role="status">
        {t.paging.page(pages.pageNumber, pages.page?.items.length ?? 0)}
      </p>
      <button
        type="button"
        className="button"
        disabled={!pages.hasNext || pages.loading}
        onClick={() => pages.next()}
      >
        {t.paging.next}
      </button>
    </nav>
  );
}

/** The loading, error and empty states of a paged list; the table itself is the caller's. */
export function PageStates<T>({
  pages,
  loadingText,
  failedText,
  emptyText,
  retryText,
  errorText,
}: {
  readonly pages: CursorPages<T>;
  readonly loadingText: string;
  readonly failedText: string;
  readonly emptyText: string;
  readonly retryText: string;
  readonly errorText: (error: unknown) => string;
}) {
  return (
    <>
      {pages.page === null && pages.loading && (
        <p className="loading" role="status">
          {loadingText}
        </p>
      )}
      {pages.error !== null && !pages.loading && (
        <div className="notice notice-error" role="alert">
          <p>{failedText}</p>
          <p>{errorText(pages.error)}</p>
          <button type="button" className="button" onClick={() => pages.retry()}>
            {retryText}
          </button>
        </div>
      )}
      {pages.page !== null && pages.page.items.length === 0 && pages.pageNumber === 1 && (
        <div className="empty">
          <p>{emptyText}</p>
        </div>
      )}
    </>
  );
}

/** Whether the table and its pagination are shown: rows, or a later page (even an empty one). */
export function hasRows<T>(pages: CursorPages<T>): boolean {
  return pages.page !== null && (pages.page.items.length > 0 || pages.pageNumber > 1);
}
