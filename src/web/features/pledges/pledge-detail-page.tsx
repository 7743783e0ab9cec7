import { type ReactNode, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MeJson, PledgeJson } from '../../../contract/index.ts';
import { ApiError, type PledgeTransitionJson } from '../../api/client.ts';
import { SubmissionKeys } from '../../api/idempotency-key.ts';
import { formatDate, todayUtc } from '../../format/date.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { formatDecimal, formatMoney } from '../../format/money.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link, useRouter } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { useSession } from '../session/session-provider.tsx';
import { earmarkText } from './earmark-text.ts';
import { isRecordedNotice } from './new-pledge-page.tsx';
import { isIsoDate } from './pledge-input.ts';
import { pledgePermissions } from './pledge-permissions.ts';
import { PledgeReceipts } from './pledge-receipts.tsx';
import { StageBadge } from './pledge-table.tsx';
import { SourceLink } from './source-link.tsx';
import { useCategories } from './use-categories.ts';

/** A message about the last action, a function of the catalogue so that a language switch translates it. */
interface Notice {
  readonly tone: 'success' | 'warning' | 'error';
  readonly message: (t: Messages) => string;
}

type NextStage = PledgeTransitionJson['to'];

/** The date of the pledge's latest stage: a stage change cannot be dated before it. */
function latestStageDate(pledge: PledgeJson): string {
  return pledge.paidOn ?? pledge.committedOn ?? pledge.announcedOn;
}

export function PledgeDetailPage({
  me,
  id,
  autoFocus,
}: {
  readonly me: MeJson;
  readonly id: string;
  readonly autoFocus: boolean;
}) {
  const { t } = useI18n();
  const { api } = useSession();
  const { state: arrival } = useRouter();
  const permissions = useMemo(() => pledgePermissions(me), [me]);
  const categories = useCategories(api);
  const [pledge, setPledge] = useState<PledgeJson | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice | null>(() =>
    isRecordedNotice(arrival)
      ? { tone: 'success', message: (m) => m.pledgeForm.recorded(arrival.recorded) }
      : null,
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  const stagesHeadingRef = useRef<HTMLHeadingElement>(null);
  const ids = { stages: useId(), caption: useId(), details: useId() };

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPledge(await api.pledge(id));
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    } finally {
      setLoading(false);
    }
  }, [api, id]);

  useEffect(() => {
    void load();
  }, [load]);

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

  function moved(updated: PledgeJson) {
    setPledge(updated);
    setNotice({
      tone: 'success',
      message: (m) => m.pledge.transitioned(updated.ref, m.stages[updated.stage]),
    });
    stagesHeadingRef.current?.focus();
  }

  async function stale() {
    await load();
    setNotice({ tone: 'warning', message: (m) => m.pledge.stale });
  }

  const notFound = loadError instanceof ApiError && loadError.code === 'NOT_FOUND';
  const nextStages = pledge ? permissions.nextStagesOf(pledge) : [];

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href={paths.pledges()}>{permissions.fixedDonor ? t.nav.myPledges : t.pledge.back}</Link>
      </p>
      <div className="page-heading page-heading-with-action">
        <h1 ref={headingRef} tabIndex={-1}>
          {pledge ? t.pledge.heading(pledge.ref) : t.pledge.headingPending}
        </h1>
        {pledge && <StageBadge stage={pledge.stage} />}
      </div>

      <div role="status" className="live-region">
        {notice && notice.tone !== 'error' && (
          <p className={`notice notice-${notice.tone}`}>{notice.message(t)}</p>
        )}
      </div>
      <div role="alert" className="live-region">
        {notice?.tone === 'error' && <p className="notice notice-error">{notice.message(t)}</p>}
      </div>

      {pledge === null && loading && (
        <p className="loading" role="status">
          {t.pledge.loading}
        </p>
      )}
      {loadError !== null && !loading && (
        <div className="notice notice-error" role="alert">
          <p>{notFound ? t.pledge.notFound : t.pledge.loadFailed}</p>
          {!notFound && <p>{errorMessage(t, loadError)}</p>}
          {!notFound && (
            <button type="button" className="button" onClick={() => void load()}>
              {t.pledges.retry}
            </button>
          )}
        </div>
      )}

      {pledge && (
        <div className="pledge-detail">
          <section className="panel panel-flush" aria-labelledby={ids.details}>
            <h2 id={ids.details}>{t.pledge.details}</h2>
            {pledge.duplicateOf !== null && <p className="notice notice-info">{t.pledge.duplicateNote}</p>}
            <PledgeFacts pledge={pledge} categoryNames={categories.names} />
          </section>

          <section className="panel panel-flush" aria-labelledby={ids.stages}>
            <h2 id={ids.stages} ref={stagesHeadingRef} tabIndex={-1}>
              {t.pledge.historyHeading}
            </h2>
            <table className="data-table stage-table">
              <caption id={ids.caption} className="visually-hidden">
                {t.pledge.historyCaption}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t.pledge.historyStage}</th>
                  <th scope="col">{t.pledge.historyDate}</th>
                </tr>
              </thead>
              <tbody>
                <StageRow stage="announced" date={pledge.announcedOn} />
                <StageRow
                  stage="committed"
                  date={pledge.committedOn}
                  skipped={pledge.stage === 'paid' && pledge.committedOn === null}
                />
                <StageRow stage="paid" date={pledge.paidOn} />
              </tbody>
            </table>
            {nextStages.length > 0 && (
              <TransitionForm
                key={pledge.version}
                pledge={pledge}
                nextStages={nextStages}
                onMoved={moved}
                onStale={() => void stale()}
                onError={(message) => setNotice({ tone: 'error', message })}
              />
            )}
            {pledge.stage === 'paid' && <p className="muted">{t.pledge.finished}</p>}
          </section>

          <PledgeReceipts pledgeId={pledge.id} pledgeRef={pledge.ref} version={pledge.version} />
        </div>
      )}
    </div>
  );
}

function StageRow({
  stage,
  date,
  skipped = false,
}: {
  readonly stage: PledgeJson['stage'];
  readonly date: string | null;
  readonly skipped?: boolean;
}) {
  const { t, locale } = useI18n();
  return (
    <tr>
      <th scope="row">{t.stages[stage]}</th>
      <td>
        {date ? (
          <time dateTime={date}>{formatDate(date, locale)}</time>
        ) : (
          <span className="muted">{skipped ? t.pledge.skipped : t.pledge.notYet}</span>
        )}
      </td>
    </tr>
  );
}

/** One term of the details; `long` for free text (notes, a quoted source), which takes a whole row. */
function Fact({
  term,
  long = false,
  children,
}: {
  readonly term: string;
  readonly long?: boolean;
  readonly children: ReactNode;
}) {
  return (
    <div className={long ? 'fact-long' : undefined}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function PledgeFacts({
  pledge,
  categoryNames,
}: {
  readonly pledge: PledgeJson;
  readonly categoryNames: ReadonlyMap<string, string>;
}) {
  const { t, locale } = useI18n();
  const { usd, amount } = pledge;
  const undisclosed = <span className="muted">{t.pledges.undisclosed}</span>;
  // A pledge in another currency than the dollar shows the rate that valued it.
  const converted = usd && amount && amount.currency !== 'USD' ? { ...usd, currency: amount.currency } : null;
  return (
    <dl className="detail-facts">
      <Fact term={t.pledges.columns.donor}>{pledge.donor}</Fact>
      <Fact term={t.pledge.amount}>{amount ? formatMoney(amount, locale) : undisclosed}</Fact>
      <Fact term={t.pledge.usd}>
        {usd ? formatMoney({ amount: usd.amount, currency: 'USD' }, locale) : undisclosed}
      </Fact>
      {converted && (
        <>
          <Fact term={t.pledge.rate}>
            {t.pledge.rateValue(formatDecimal(converted.rate, locale), converted.currency)}
          </Fact>
          <Fact term={t.pledge.rateDate}>
            <time dateTime={converted.rateDate}>{formatDate(converted.rateDate, locale)}</time>
          </Fact>
        </>
      )}
      {usd && !converted && <Fact term={t.pledge.rate}>{t.pledge.noConversion}</Fact>}
      <Fact term={t.pledges.columns.announced}>
        <time dateTime={pledge.announcedOn}>{formatDate(pledge.announcedOn, locale)}</time>
      </Fact>
      <Fact term={t.pledges.columns.forum}>
        {pledge.forum || <span className="muted">{t.pledges.none}</span>}
      </Fact>
      <Fact term={t.pledges.columns.earmark}>{earmarkText(pledge.earmark, categoryNames, t)}</Fact>
      <Fact term={t.pledges.columns.visibility}>{t.visibilities[pledge.visibility]}</Fact>
      {pledge.duplicateOf !== null && (
        <Fact term={t.pledge.duplicateOf}>
          <Link href={paths.pledge(pledge.duplicateOf)}>{pledge.duplicateOf}</Link>
        </Fact>
      )}
      <Fact term={t.pledge.createdAt}>
        <time dateTime={pledge.createdAt}>{formatDateTime(pledge.createdAt, locale)}</time>
      </Fact>
      <Fact term={t.pledge.updatedAt}>
        <time dateTime={pledge.updatedAt}>{formatDateTime(pledge.updatedAt, locale)}</time>
      </Fact>
      <Fact term={t.pledge.version}>{pledge.version}</Fact>
      <Fact term={t.pledges.columns.source} long>
        <SourceLink source={pledge.source} full />
      </Fact>
      {converted && (
        <Fact term={t.pledge.rateSource} long>
          {converted.rateSource}
        </Fact>
      )}
      <Fact term={t.pledge.notes} long>
        {pledge.notes || <span className="muted">{t.pledges.none}</span>}
      </Fact>
    </dl>
  );
}

/**
 * "Mark committed" / "Mark paid" on a date: sent with If-Match (the version on screen) and an
 * Idempotency-Key that a retry of the same change reuses. Remounted at every new version.
 */
function TransitionForm({
  pledge,
  nextStages,
  onMoved,
  onStale,
  onError,
}: {
  readonly pledge: PledgeJson;
  readonly nextStages: readonly NextStage[];
  readonly onMoved: (pledge: PledgeJson) => void;
  readonly onStale: () => void;
  readonly onError: (message: (t: Messages) => string) => void;
}) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const [on, setOn] = useState(todayUtc);
  const [dateError, setDateError] = useState<((t: Messages) => string) | null>(null);
  const [working, setWorking] = useState<NextStage | null>(null);
  const keys = useRef(new SubmissionKeys());
  const ids = { heading: useId(), on: useId(), hint: useId(), error: useId() };

  async function move(to: NextStage) {
    if (working) return;
    const previous = latestStageDate(pledge);
    if (!isIsoDate(on)) {
      setDateError(() => (m: Messages) => m.pledgeForm.dateInvalid);
      document.getElementById(ids.on)?.focus();
      return;
    }
    if (on < previous) {
      setDateError(() => (m: Messages) => m.pledge.onBeforeStage(formatDate(previous, locale)));
      document.getElementById(ids.on)?.focus();
      return;
    }
    setDateError(null);
    const change: PledgeTransitionJson = { to, on };
    setWorking(to);
    try {
      const updated = await api.transitionPledge(
        pledge,
        change,
        keys.current.keyFor({ id: pledge.id, version: pledge.version, ...change }),
      );
      keys.current.done();
      onMoved(updated);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      if (error instanceof ApiError && (error.status === 412 || error.code === 'VERSION_MISMATCH')) {
        onStale();
      } else if (error instanceof ApiError && error.code === 'FX_RATE_MISSING') {
        const currency = pledge.amount?.currency ?? '';
        onError((m) => m.pledge.fxRateMissing(currency, formatDate(on, locale)));
      } else if (error instanceof ApiError && error.code === 'PLEDGE_DATE_OUT_OF_ORDER') {
        setDateError(() => (m: Messages) => errorMessage(m, error));
        document.getElementById(ids.on)?.focus();
      } else {
        onError((m) => errorMessage(m, error));
      }
    } finally {
      setWorking(null);
    }
  }

  return (
    <form
      className="transition-form"
      aria-labelledby={ids.heading}
      noValidate
      onSubmit={(event) => event.preventDefault()}
    >
      <h3 id={ids.heading}>{t.pledge.moveHeading}</h3>
      <p className="muted">{t.pledge.moveIntro}</p>
      <div className="transition-fields">
        <div className="field">
          <label htmlFor={ids.on}>{t.pledge.on}</label>
          <input
            id={ids.on}
            name="on"
            type="date"
            min={latestStageDate(pledge)}
            value={on}
            aria-invalid={dateError ? true : undefined}
            aria-describedby={dateError ? `${ids.hint} ${ids.error}` : ids.hint}
            onChange={(event) => setOn(event.target.value)}
          />
          <p id={ids.hint} className="hint">
            {t.pledge.onHint}
          </p>
          {dateError && (
            <p id={ids.error} className="field-error">
              {dateError(t)}
            </p>
          )}
        </div>
        <div className="button-row transition-buttons">
          {nextStages.map((to) => (
            <button
              key={to}
              type="button"
              className={to === nextStages[0] ? 'button button-primary' : 'button'}
              aria-disabled={working !== null || undefined}
              onClick={() => void move(to)}
            >
              {working === to ? t.pledge.working : t.pledge.transitions[to]}
            </button>
          ))}
        </div>
      </div>
    </form>
  );
}
