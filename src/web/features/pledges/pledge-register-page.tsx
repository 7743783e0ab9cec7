import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MeJson, PledgeJson } from '../../../contract/index.ts';
import type { ApiClient, Page } from '../../api/client.ts';
import { useLiveUpdates } from '../../api/use-live-updates.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link, useRouter } from '../../routing/router.tsx';
import { type PledgeFilter, paths } from '../../routing/routes.ts';
import { LiveUpdatesNotice } from '../layout/live-updates-notice.tsx';
import { useSession } from '../session/session-provider.tsx';
import { pledgePermissions } from './pledge-permissions.ts';
import { PledgeTable } from './pledge-table.tsx';
import { useCategories } from './use-categories.ts';

const stages = ['announced', 'committed', 'paid'] as const;
const donorPattern = /^[A-Z][A-Z0-9-]{1,15}$/;

/**
 * The pledge register: a coordinator's or auditor's view of every donor's pledges, or a donor's
 * "my pledges". Filters live in the address (a deep link shows the same list); pages follow the
 * API's cursor.
 */
export function PledgeRegisterPage({
  me,
  filter,
  autoFocus,
}: {
  readonly me: MeJson;
  readonly filter: PledgeFilter;
  readonly autoFocus: boolean;
}) {
  const { t } = useI18n();
  const { api } = useSession();
  const { navigate } = useRouter();
  const permissions = useMemo(() => pledgePermissions(me), [me]);
  const categories = useCategories(api);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  if (!permissions.read) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.pledges.heading}
        </h1>
        <p className="notice notice-info">{t.pledges.noAccess}</p>
      </div>
    );
  }

  const donor = permissions.fixedDonor;
  return (
    <div className="page">
      <div className="page-heading page-heading-with-action">
        <div>
          <h1 ref={headingRef} tabIndex={-1}>
            {donor ? t.pledges.headingDonor : t.pledges.heading}
          </h1>
          <p className="muted">{donor ? t.pledges.introDonor(donor) : t.pledges.intro}</p>
        </div>
        {permissions.create && (
          <Link className="button button-primary" href={paths.pledgeNew}>
            {t.pledges.record}
          </Link>
        )}
      </div>
      <PledgeFilters
        filter={filter}
        byDonor={permissions.seesAllDonors}
        onApply={(next) => navigate(paths.pledges(next))}
      />
      <PledgeResults
        key={`${filter.stage ?? ''}|${filter.donor ?? ''}`}
        api={api}
        filter={filter}
        categoryNames={categories.names}
        showDonor={permissions.seesAllDonors}
        owner={me.user.id}
      />
    </div>
  );
}

function PledgeFilters({
  filter,
  byDonor,
  onApply,
}: {
  readonly filter: PledgeFilter;
  readonly byDonor: boolean;
  readonly onApply: (filter: PledgeFilter) => void;
}) {
  const { t } = useI18n();
  const ids = { heading: useId(), stage: useId(), donor: useId(), hint: useId(), error: useId() };
  const [stage, setStage] = useState<string>(filter.stage ?? '');
  const [donor, setDonor] = useState(filter.donor ?? '');
  const [donorInvalid, setDonorInvalid] = useState(false);

  // The back button changes the filter under the form: show what the list shows.
  useEffect(() => {
    setStage(filter.stage ?? '');
    setDonor(filter.donor ?? '');
    setDonorInvalid(false);
  }, [filter.stage, filter.donor]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = donor.trim();
    if (byDonor && code && !donorPattern.test(code)) {
      setDonorInvalid(true);
      document.getElementById(ids.donor)?.focus();
      return;
    }
    setDonorInvalid(false);
    onApply({
      stage: stages.find((each) => each === stage) ?? null,
      donor: byDonor && code ? code : null,
    });
  }

  const filtered = filter.stage !== null || filter.donor !== null;
  return (
    <form className="filters" aria-labelledby={ids.heading} noValidate onSubmit={apply}>
      <h2 id={ids.heading} className="filters-heading">
        {t.pledges.filters}
      </h2>
      <div className="filters-fields">
        <div className="field">
          <label htmlFor={ids.stage}>{t.pledges.stage}</label>
          <select
            id={ids.stage}
            name="stage"
            value={stage}
            onChange={(event) => setStage(event.target.value)}
          >
            <option value="">{t.pledges.anyStage}</option>
            {stages.map((each) => (
              <option key={each} value={each}>
                {t.stages[each]}
              </option>
            ))}
          </select>
        </div>
        {byDonor && (
          <div className="field">
            <label htmlFor={ids.donor}>{t.pledges.donor}</label>
            <input
              id={ids.donor}
              name="donor"
              type="text"
              maxLength={16}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              value={donor}
              aria-invalid={donorInvalid || undefined}
              aria-describedby={donorInvalid ? `${ids.hint} ${ids.error}` : ids.hint}
              onChange={(event) => setDonor(event.target.value.toUpperCase())}
            />
            <p id={ids.hint} className="hint">
              {t.pledges.donorHint}
            </p>
            {donorInvalid && (
              <p id={ids.error} className="field-error">
                {t.pledges.donorInvalid}
              </p>
            )}
          </div>
        )}
        <div className="filters-actions button-row">
          <button type="submit" className="button">
            {t.pledges.apply}
          </button>
          {filtered && (
            <button type="button" className="button" onClick={() => onApply({ stage: null, donor: null })}>
              {t.pledges.clear}
            </button>
          )}
        </div>
      </div>
    </form>
  );
}

/** The pages of one filter; a new filter mounts a new one, back at page 1. */
function PledgeResults({
  api,
  filter,
  categoryNames,
  showDonor,
  owner,
}: {
  readonly api: ApiClient;
  readonly filter: PledgeFilter;
  readonly categoryNames: ReadonlyMap<string, string>;
  readonly showDonor: boolean;
  /** The logged-in user, whose live updates refresh the page. */
  readonly owner: string;
}) {
  const { t } = useI18n();
  // The cursor of every page visited, the current one last: "Previous page" pops it.
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const [attempt, setAttempt] = useState(0);
  const [page, setPage] = useState<Page<PledgeJson> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const regionRef = useRef<HTMLElement>(null);
  const focusAfterLoad = useRef(false);
  const ids = { caption: useId(), summary: useId() };
  const cursor = cursors[cursors.length - 1] ?? null;
  const pageNumber = cursors.length;
  // A pledge recorded or moved elsewhere (another user, another tab): the page reads itself again.
  const [changes, setChanges] = useState(0);
  const live = useLiveUpdates(owner, ['pledge'], () => setChanges((count) => count + 1));

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` ("Try again") and `changes` (live updates) are triggers.
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api.pledges({ stage: filter.stage, donor: filter.donor, cursor }).then(
      (result) => {
        if (cancelled) return;
        setPage(result);
        setLoadError(null);
        setLoading(false);
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoadError(error);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, filter.stage, filter.donor, cursor, attempt, changes]);

  // After "Next page" or "Previous page", the new rows are where the reader is taken.
  useEffect(() => {
    if (page && focusAfterLoad.current) {
      focusAfterLoad.current = false;
      regionRef.current?.focus();
    }
  }, [page]);

  function turn(next: readonly (string | null)[]) {
    focusAfterLoad.current = true;
    setCursors(next);
  }

  const nextCursor = page?.nextCursor ?? null;
  return (
    <>
      <LiveUpdatesNotice paused={live.paused} />
      {page === null && loading && (
        <p className="loading" role="status">
          {t.pledges.loading}
        </p>
      )}
      {loadError !== null && !loading && (
        <div className="notice notice-error" role="alert">
          <p>{t.pledges.loadFailed}</p>
          <p>{errorMessage(t, loadError)}</p>
          <button type="button" className="button" onClick={() => setAttempt((count) => count + 1)}>
            {t.pledges.retry}
          </button>
        </div>
      )}
      {page !== null && page.items.length === 0 && pageNumber === 1 && (
        <div className="empty">
          <p>{filter.stage || filter.donor ? t.pledges.emptyFiltered : t.pledges.empty}</p>
        </div>
      )}
      {page !== null && (page.items.length > 0 || pageNumber > 1) && (
        <>
          <PledgeTable
            pledges={page.items}
            categoryNames={categoryNames}
            showDonor={showDonor}
            captionId={ids.caption}
            busy={loading}
            regionRef={regionRef}
          />
          <nav className="pagination" aria-label={t.pledges.pagination}>
            <button
              type="button"
              className="button"
              disabled={pageNumber === 1 || loading}
              onClick={() => turn(cursors.slice(0, -1))}
            >
              {t.pledges.previous}
            </button>
            <p id={ids.summary} className="pagination-summary" role="status">
              {t.pledges.page(pageNumber, page.items.length)}
            </p>
            <button
              type="button"
              className="button"
              disabled={nextCursor === null || loading}
              onClick={() => nextCursor && turn([...cursors, nextCursor])}
            >
              {t.pledges.next}
            </button>
          </nav>
        </>
      )}
    </>
  );
}
