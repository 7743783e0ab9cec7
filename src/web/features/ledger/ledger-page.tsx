import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { MeJson } from '../../../contract/index.ts';
import type { ApiClient } from '../../api/client.ts';
import type { AccountBalancesJson, JournalEntryJson } from '../../api/oversight-json.ts';
import { formatDate } from '../../format/date.ts';
import { formatDecimal, formatMoney } from '../../format/money.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { withQuery } from '../../routing/query.ts';
import { useRouter } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { DownloadLinks } from '../layout/download-links.tsx';
import { hasRows, PageStates, Pagination } from '../paging/pagination.tsx';
import { useCursorPages } from '../paging/use-cursor-pages.ts';
import { isIsoDate } from '../pledges/pledge-input.ts';
import { useSession } from '../session/session-provider.tsx';

const readers: readonly MeJson['role'][] = ['auditor', 'coordinator'];

/**
 * The ledger for an auditor or a coordinator: every account's balance per currency as of the end of
 * a UTC day, and the journal entries behind them. The day lives in the address (`?asOf=`), so a
 * view of the books on a date is a link. Every figure is the API's exact decimal with its currency.
 */
export function LedgerPage({
  me,
  asOf,
  autoFocus,
}: {
  readonly me: MeJson;
  readonly asOf: string | null;
  readonly autoFocus: boolean;
}) {
  const { t } = useI18n();
  const { api } = useSession();
  const { navigate } = useRouter();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  if (!readers.includes(me.role)) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.ledger.heading}
        </h1>
        <p className="notice notice-info">{t.ledger.noAccess}</p>
      </div>
    );
  }

  return (
    <div className="page ledger-page">
      <div className="page-heading">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.ledger.heading}
        </h1>
        <p className="muted">{t.ledger.intro}</p>
      </div>
      <AsOfForm asOf={asOf} onApply={(next) => navigate(paths.ledger(next))} />
      <Balances key={`balances:${asOf ?? ''}`} api={api} asOf={asOf} />
      <Entries key={`entries:${asOf ?? ''}`} api={api} asOf={asOf} />
    </div>
  );
}

function AsOfForm({
  asOf,
  onApply,
}: {
  readonly asOf: string | null;
  readonly onApply: (asOf: string | null) => void;
}) {
  const { t } = useI18n();
  const ids = { heading: useId(), input: useId(), hint: useId(), error: useId() };
  const [value, setValue] = useState(asOf ?? '');
  const [invalid, setInvalid] = useState(false);

  useEffect(() => {
    setValue(asOf ?? '');
    setInvalid(false);
  }, [asOf]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value && !isIsoDate(value)) {
      setInvalid(true);
      document.getElementById(ids.input)?.focus();
      return;
    }
    setInvalid(false);
    onApply(value || null);
  }

  return (
    <form className="filters" aria-labelledby={ids.heading} noValidate onSubmit={apply}>
      <h2 id={ids.heading} className="filters-heading">
        {t.ledger.asOfForm}
      </h2>
      <div className="filters-fields">
        <div className="field">
          <label htmlFor={ids.input}>{t.ledger.asOf}</label>
          <input
            id={ids.input}
            name="asOf"
            type="date"
            value={value}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? `${ids.hint} ${ids.error}` : ids.hint}
            onChange={(event) => setValue(event.target.value)}
          />
          <p id={ids.hint} className="hint">
            {t.ledger.asOfHint}
          </p>
          {invalid && (
            <p id={ids.error} className="field-error">
              {t.ledger.asOfInvalid}
            </p>
          )}
        </div>
        <div className="filters-actions button-row">
          <button type="submit" className="button">
            {t.ledger.show}
          </button>
          {asOf !== null && (
            <button type="button" className="button" onClick={() => onApply(null)}>
              {t.ledger.latest}
            </button>
          )}
        </div>
      </div>
    </form>
  );
}

function Balances({ api, asOf }: { readonly api: ApiClient; readonly asOf: string | null }) {
  const { t, locale } = useI18n();
  const ids = { heading: useId(), caption: useId() };
  const [balances, setBalances] = useState<AccountBalancesJson | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "Try again" trigger.
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api.ledgerAccounts(asOf).then(
      (result) => {
        if (cancelled) return;
        setBalances(result);
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
  }, [api, asOf, attempt]);

  const day = asOf ? formatDate(asOf, locale) : null;
  return (
    <section className="ledger-section" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t.ledger.balancesHeading(day)}</h2>
      <DownloadLinks url={withQuery('/api/v1/ledger/accounts', { asOf })} what={t.downloads.balances} />
      {balances === null && loading && (
        <p className="loading" role="status">
          {t.ledger.balancesLoading}
        </p>
      )}
      {error !== null && !loading && (
        <div className="notice notice-error" role="alert">
          <p>{t.ledger.balancesFailed}</p>
          <p>{errorMessage(t, error)}</p>
          <button type="button" className="button" onClick={() => setAttempt((count) => count + 1)}>
            {t.ledger.retry}
          </button>
        </div>
      )}
      {balances !== null && balances.items.length === 0 && (
        <div className="empty">
          <p>{t.ledger.balancesEmpty}</p>
        </div>
      )}
      {balances !== null && balances.items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll" aria-labelledby={ids.caption} tabIndex={0}>
          <table className="data-table balances-table" aria-busy={loading || undefined}>
            <caption id={ids.caption}>{t.ledger.balancesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.ledger.columns.account}</th>
                <th scope="col">{t.ledger.columns.currency}</th>
                <th scope="col" className="numeric">
                  {t.ledger.columns.balance}
                </th>
              </tr>
            </thead>
            <tbody>
              {balances.items.map((item) => (
                <tr key={`${item.account} ${item.balance.currency}`}>
                  <th scope="row" className="account">
                    <code>{item.account}</code>
                  </th>
                  <td>{item.balance.currency}</td>
                  <td className="numeric">
                    <span className="money" data-amount={item.balance.amount}>
                      {formatMoney(item.balance, locale)}
                    </span>
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

function Entries({ api, asOf }: { readonly api: ApiClient; readonly asOf: string | null }) {
  const { t, locale } = useI18n();
  const ids = { heading: useId(), caption: useId() };
  const pages = useCursorPages<JournalEntryJson>((cursor) => api.ledgerEntries(asOf, cursor));
  const columns = t.ledger.columns;
  const day = asOf ? formatDate(asOf, locale) : null;
  return (
    <section className="ledger-section" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t.ledger.entriesHeading}</h2>
      <DownloadLinks url={withQuery('/api/v1/ledger/entries', { asOf })} what={t.downloads.entries} />
      <PageStates
        pages={pages}
        loadingText={t.ledger.entriesLoading}
        failedText={t.ledger.entriesFailed}
        emptyText={t.ledger.entriesEmpty}
        retryText={t.ledger.retry}
        errorText={(error) => errorMessage(t, error)}
      />
      {hasRows(pages) && pages.page && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-scroll" aria-labelledby={ids.caption} tabIndex={0} ref={pages.regionRef}>
            <table className="data-table entries-table" aria-busy={pages.loading || undefined}>
              <caption id={ids.caption}>{t.ledger.entriesCaption(day)}</caption>
              <thead>
                <tr>
                  <th scope="col" className="numeric">
                    {columns.seq}
                  </th>
                  <th scope="col">{columns.date}</th>
                  <th scope="col">{columns.description}</th>
                  <th scope="col">{columns.postings}</th>
                </tr>
              </thead>
              <tbody>
                {pages.page.items.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row" className="numeric">
                      {entry.seq}
                    </th>
                    <td className="date">
                      <time dateTime={entry.date}>{formatDate(entry.date, locale)}</time>
                    </td>
                    <td className="description">
                      <span lang="en">{entry.description}</span>
                      {entry.reverses && <p className="muted">{t.ledger.reverses(entry.reverses)}</p>}
                      {entry.conversion && (
                        <p className="muted">
                          {t.ledger.conversion(
                            formatMoney(entry.conversion.from, locale),
                            formatMoney(entry.conversion.to, locale),
                            formatDecimal(entry.conversion.rate, locale),
                            formatDate(entry.conversion.rateDate, locale),
                          )}
                        </p>
                      )}
                    </td>
                    <td className="postings">
                      <ul className="posting-list">
                        {entry.postings.map((posting, index) => (
                          // Postings have no id of their own; their order in the entry is fixed.
                          // biome-ignore lint/suspicious/noArrayIndexKey: the line number is the posting's identity.
                          <li key={index}>
                            <code>{posting.account}</code>{' '}
                            <span className="money">{formatMoney(posting.amount, locale)}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <Pagination pages={pages} label={t.ledger.pagination} />
        </>
      )}
    </section>
  );
}
