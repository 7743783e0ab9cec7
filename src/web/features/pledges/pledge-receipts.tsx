import { useCallback, useEffect, useId, useState } from 'react';
import type { ReceiptJson } from '../../../contract/receipt.schema.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Abbreviated } from '../audit/abbreviated.tsx';
import { useSession } from '../session/session-provider.tsx';
import { downloadReceipt } from './receipt-file.ts';

/**
 * The receipts of a pledge's writes, newest first, each to download as the JSON file that
 * `purl audit verify --receipt` checks offline. Read again whenever the pledge reaches a new version,
 * since each write adds one.
 */
export function PledgeReceipts({
  pledgeId,
  pledgeRef,
  version,
}: {
  readonly pledgeId: string;
  readonly pledgeRef: string;
  readonly version: number;
}) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const [receipts, setReceipts] = useState<ReceiptJson[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const ids = { heading: useId(), caption: useId() };

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setReceipts(await api.pledgeReceipts(pledgeId));
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    } finally {
      setLoading(false);
    }
  }, [api, pledgeId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version means a new receipt to list.
  useEffect(() => {
    void load();
  }, [load, version]);

  const columns = t.receipts.columns;
  return (
    <section className="panel panel-flush receipts" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t.receipts.heading}</h2>
      <p>{t.receipts.intro}</p>
      <p className="receipts-verify">
        {t.receipts.verifyBefore}
        <code>{t.receipts.verifyCommand}</code>
        {t.receipts.verifyAfter}
      </p>
      {receipts === null && loading && (
        <p className="loading" role="status">
          {t.receipts.loading}
        </p>
      )}
      {loadError !== null && !loading && (
        <div className="notice notice-error" role="alert">
          <p>{t.receipts.loadFailed}</p>
          <p>{errorMessage(t, loadError)}</p>
          <button type="button" className="button" onClick={() => void load()}>
            {t.receipts.retry}
          </button>
        </div>
      )}
      {receipts !== null && receipts.length === 0 && <p className="muted">{t.receipts.empty}</p>}
      {receipts !== null && receipts.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll" aria-labelledby={ids.caption} tabIndex={0}>
          <table className="data-table receipts-table" aria-busy={loading || undefined}>
            <caption id={ids.caption}>{t.receipts.caption(pledgeRef)}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {columns.seq}
                </th>
                <th scope="col">{columns.time}</th>
                <th scope="col">{columns.action}</th>
                <th scope="col">{columns.hash}</th>
                <th scope="col">{columns.file}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.map((receipt) => (
                <tr key={receipt.event.seq}>
                  <th scope="row" className="numeric">
                    {receipt.event.seq}
                  </th>
                  <td className="time">
                    <time dateTime={receipt.event.occurredAt}>
                      {formatDateTime(receipt.event.occurredAt, locale)}
                    </time>
                  </td>
                  <td>
                    <code>{receipt.event.action}</code>
                  </td>
                  <td>
                    <Abbreviated value={receipt.event.hash} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      onClick={() => downloadReceipt(pledgeRef, receipt)}
                    >
                      {t.receipts.download}
                      <span className="visually-hidden">{t.receipts.downloadOf(receipt.event.seq)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
