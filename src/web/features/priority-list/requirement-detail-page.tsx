import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { MeJson, RequirementHistoryEventJson, RequirementJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import { formatCount } from '../../format/count.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { formatMoney } from '../../format/money.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { Abbreviated } from '../audit/abbreviated.tsx';
import { useCategories } from '../pledges/use-categories.ts';
import { useSession } from '../session/session-provider.tsx';
import { listPermissions } from './list-permissions.ts';
import { type HistoryChange, historyChangeOf, oldestFirst, validationOf } from './requirement-history.ts';

type History =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'loaded'; readonly events: readonly RequirementHistoryEventJson[] };

/** One requirement line, at its own address: its figures, its status and every change of it. */
export function RequirementDetailPage({
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
  const readable = listPermissions(me.role).read;
  const categories = useCategories(api);
  const [requirement, setRequirement] = useState<RequirementJson | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [history, setHistory] = useState<History>({ status: 'loading' });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const ids = { details: useId(), history: useId(), caption: useId() };

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  const load = useCallback(async () => {
    setLoading(true);
    setHistory({ status: 'loading' });
    // The line and its history come in side by side; each shows as soon as it arrives.
    const line = api.requirement(id).then(
      (found) => {
        setRequirement(found);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error),
    );
    const events = api.requirementHistory(id).then(
      (found) => setHistory({ status: 'loaded', events: oldestFirst(found) }),
      (error: unknown) => setHistory({ status: 'failed', error }),
    );
    await line;
    setLoading(false);
    await events;
  }, [api, id]);

  useEffect(() => {
    if (readable) void load();
  }, [load, readable]);

  if (!readable) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.priorityList.heading}
        </h1>
        <p className="notice notice-info">{t.priorityList.noAccess}</p>
      </div>
    );
  }

  const notFound = loadError instanceof ApiError && loadError.code === 'NOT_FOUND';

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href={paths.requirements}>{t.requirementDetail.back}</Link>
      </p>
      <div className="page-heading page-heading-with-action">
        <h1 ref={headingRef} tabIndex={-1}>
          {requirement ? t.requirementDetail.heading(requirement.ref) : t.requirementDetail.headingPending}
        </h1>
        {requirement && (
          <span className={`status status-${requirement.status}`}>{t.statuses[requirement.status]}</span>
        )}
      </div>

      {requirement === null && loading && (
        <p className="loading" role="status">
          {t.requirementDetail.loading}
        </p>
      )}
      {loadError !== null && !loading && (
        <div className="notice notice-error" role="alert">
          <p>{notFound ? t.requirementDetail.notFound : t.requirementDetail.loadFailed}</p>
          {!notFound && <p>{errorMessage(t, loadError)}</p>}
          {!notFound && (
            <button type="button" className="button" onClick={() => void load()}>
              {t.requirementDetail.retry}
            </button>
          )}
        </div>
      )}

      {requirement && !notFound && (
        <div className="requirement-detail">
          <section className="panel panel-flush" aria-labelledby={ids.details}>
            <h2 id={ids.details}>{t.requirementDetail.details}</h2>
            <RequirementFacts
              requirement={requirement}
              categoryName={categories.names.get(requirement.category) ?? requirement.category}
              history={history}
            />
          </section>

          <section className="panel panel-flush" aria-labelledby={ids.history}>
            <h2 id={ids.history}>{t.requirementDetail.historyHeading}</h2>
            <p className="muted">{t.requirementDetail.historyIntro}</p>
            <HistoryTable
              refName={requirement.ref}
              history={history}
              captionId={ids.caption}
              onRetry={() => void load()}
            />
          </section>
        </div>
      )}
    </div>
  );
}

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

function actorName(t: Messages, organization: string | null): string {
  return organization ?? t.requirementDetail.systemActor;
}

function RequirementFacts({
  requirement,
  categoryName,
  history,
}: {
  readonly requirement: RequirementJson;
  readonly categoryName: string;
  readonly history: History;
}) {
  const { t, locale } = useI18n();
  const text = t.requirementDetail;
  const validation = history.status === 'loaded' ? validationOf(history.events) : null;
  return (
    <dl className="detail-facts">
      <Fact term={text.title} long>
        {requirement.title}
      </Fact>
      <Fact term={text.category}>{categoryName}</Fact>
      <Fact term={text.quantity}>{formatCount(requirement.quantity, locale)}</Fact>
      <Fact term={text.unit}>{requirement.unit}</Fact>
      <Fact term={text.unitCost}>{formatMoney(requirement.unitCost, locale)}</Fact>
      <Fact term={text.estimatedCost}>{formatMoney(requirement.estimatedCost, locale)}</Fact>
      <Fact term={text.rank}>
        {requirement.rank === null ? (
          <span className="muted">{text.notRanked}</span>
        ) : (
          formatCount(requirement.rank, locale)
        )}
      </Fact>
      <Fact term={text.status}>{t.statuses[requirement.status]}</Fact>
      <Fact term={text.validation}>
        {history.status === 'loading' ? (
          <span className="muted">{t.app.loading}</span>
        ) : validation === null ? (
          <span className="muted">{text.notValidated}</span>
        ) : (
          text[validation.outcome](
            formatDateTime(validation.occurredAt, locale),
            actorName(t, validation.actorOrganization),
          )
        )}
      </Fact>
      <Fact term={text.visibility}>{t.visibilities[requirement.visibility]}</Fact>
      <Fact term={text.createdAt}>
        <time dateTime={requirement.createdAt}>{formatDateTime(requirement.createdAt, locale)}</time>
      </Fact>
      <Fact term={text.updatedAt}>
        <time dateTime={requirement.updatedAt}>{formatDateTime(requirement.updatedAt, locale)}</time>
      </Fact>
      <Fact term={text.version}>{formatCount(requirement.version, locale)}</Fact>
      <Fact term={text.notes} long>
        {requirement.notes || <span className="muted">{text.none}</span>}
      </Fact>
    </dl>
  );
}

function actionLabel(t: Messages, change: HistoryChange): string {
  const actions = t.requirementDetail.actions;
  switch (change.kind) {
    case 'status':
      return actions.status[change.to] ?? t.statuses[change.to];
    case 'other':
      return change.action;
    default:
      return actions[change.kind];
  }
}

function changeText(t: Messages, change: HistoryChange): string {
  const changes = t.requirementDetail.changes;
  switch (change.kind) {
    case 'status':
      return changes.status(t.statuses[change.to]);
    case 'other':
      return changes.other(change.action);
    default:
      return changes[change.kind];
  }
}

function HistoryTable({
  refName,
  history,
  captionId,
  onRetry,
}: {
  readonly refName: string;
  readonly history: History;
  readonly captionId: string;
  readonly onRetry: () => void;
}) {
  const { t, locale } = useI18n();
  const text = t.requirementDetail;
  if (history.status === 'loading') {
    return (
      <p className="loading" role="status">
        {text.historyLoading}
      </p>
    );
  }
  if (history.status === 'failed') {
    return (
      <div className="notice notice-error" role="alert">
        <p>{text.historyFailed}</p>
        <p>{errorMessage(t, history.error)}</p>
        <button type="button" className="button" onClick={onRetry}>
          {text.retry}
        </button>
      </div>
    );
  }
  if (history.events.length === 0) {
    return (
      <div className="empty">
        <p>{text.historyEmpty}</p>
      </div>
    );
  }
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table history-table">
        <caption id={captionId}>{text.historyCaption(refName)}</caption>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              {text.historyColumns.seq}
            </th>
            <th scope="col">{text.historyColumns.time}</th>
            <th scope="col">{text.historyColumns.actor}</th>
            <th scope="col">{text.historyColumns.action}</th>
            <th scope="col">{text.historyColumns.change}</th>
            <th scope="col">{text.historyColumns.hash}</th>
          </tr>
        </thead>
        <tbody>
          {history.events.map((event) => {
            const change = historyChangeOf(event.action);
            return (
              <tr key={event.seq}>
                <td className="numeric">{formatCount(event.seq, locale)}</td>
                <td>
                  <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt, locale)}</time>
                </td>
                <td>{actorName(t, event.actorOrganization)}</td>
                <th scope="row">{actionLabel(t, change)}</th>
                <td>{changeText(t, change)}</td>
                <td>
                  <Abbreviated value={event.hash} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
