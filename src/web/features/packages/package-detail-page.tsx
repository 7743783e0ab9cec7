import { type ReactNode, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MeJson, PackageJson, PackageTransitionJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import { SubmissionKeys } from '../../api/idempotency-key.ts';
import { formatCount } from '../../format/count.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { formatMoney } from '../../format/money.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link, useRouter } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { useCategories } from '../pledges/use-categories.ts';
import { useSession } from '../session/session-provider.tsx';
import { CoverageBar } from './coverage-bar.tsx';
import { DeliveriesSection } from './deliveries-section.tsx';
import { isCreatedNotice } from './new-package-page.tsx';
import { type ButtonTransition, packagePermissions } from './package-permissions.ts';
import { PackageStatusBadge } from './package-status-badge.tsx';
import { isStale, type Notice, type PackageWriteHandlers } from './package-writes.ts';
import { PricingForm } from './pricing-form.tsx';

export function PackageDetailPage({
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
  const permissions = useMemo(() => packagePermissions(me), [me]);
  const categories = useCategories(api);
  const [pkg, setPkg] = useState<PackageJson | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice | null>(() =>
    isCreatedNotice(arrival)
      ? { tone: 'success', message: (m) => m.packageDetail.created(arrival.created) }
      : null,
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const ids = { details: useId(), lines: useId(), caption: useId() };

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPkg(await api.package(id));
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

  const handlers: PackageWriteHandlers = {
    onChanged(updated, done) {
      setPkg(updated);
      setNotice(done);
      // The notice says what happened; focus goes there so that a keyboard user reads it next.
      noticeRef.current?.focus();
    },
    onStale() {
      void load().then(() => {
        setNotice({ tone: 'warning', message: (m) => m.packageDetail.stale });
        noticeRef.current?.focus();
      });
    },
    onError(error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      setNotice({ tone: 'error', message: (m) => errorMessage(m, error) });
      noticeRef.current?.focus();
    },
  };

  if (!permissions.read && !permissions.confirmsReceipt) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.packages.heading}
        </h1>
        <p className="notice notice-info">{t.packages.noAccess}</p>
      </div>
    );
  }

  const notFound = loadError instanceof ApiError && loadError.code === 'NOT_FOUND';

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href={paths.packages}>{t.packageDetail.back}</Link>
      </p>
      <div className="page-heading page-heading-with-action">
        <h1 ref={headingRef} tabIndex={-1}>
          {pkg ? t.packageDetail.heading(pkg.ref, pkg.name) : t.packageDetail.headingPending}
        </h1>
        {pkg && <PackageStatusBadge status={pkg.status} />}
      </div>

      <div ref={noticeRef} tabIndex={-1} className="notice-anchor">
        <div role="status" className="live-region">
          {notice && notice.tone !== 'error' && (
            <p className={`notice notice-${notice.tone}`}>{notice.message(t)}</p>
          )}
        </div>
        <div role="alert" className="live-region">
          {notice?.tone === 'error' && <p className="notice notice-error">{notice.message(t)}</p>}
        </div>
      </div>

      {pkg === null && loading && (
        <p className="loading" role="status">
          {t.packageDetail.loading}
        </p>
      )}
      {loadError !== null && !loading && (
        <div className="notice notice-error" role="alert">
          <p>{notFound ? t.packageDetail.notFound : t.packageDetail.loadFailed}</p>
          {!notFound && <p>{errorMessage(t, loadError)}</p>}
          {!notFound && (
            <button type="button" className="button" onClick={() => void load()}>
              {t.packages.retry}
            </button>
          )}
        </div>
      )}

      {pkg && (
        <>
          <section className="panel panel-flush" aria-labelledby={ids.details}>
            <h2 id={ids.details}>{t.packageDetail.details}</h2>
            <PackageFacts pkg={pkg} />
            <CoverageBar coverage={pkg.coverage} label={t.coverage.label(pkg.ref)} />
            <p className="hint">{t.coverage.rule}</p>
          </section>

          <section className="panel panel-flush" aria-labelledby={ids.lines}>
            <h2 id={ids.lines}>{t.packageDetail.linesHeading}</h2>
            <LinesTable pkg={pkg} categoryNames={categories.names} captionId={ids.caption} />
          </section>

          <ActionsPanel key={pkg.version} pkg={pkg} me={me} handlers={handlers} />

          <DeliveriesSection
            pkg={pkg}
            mayRecord={permissions.mayRecordDelivery(pkg)}
            confirmsReceipt={permissions.confirmsReceipt}
            onRecorded={(message) => {
              void load().then(() => {
                setNotice({ tone: 'success', message });
                noticeRef.current?.focus();
              });
            }}
            onError={handlers.onError}
          />
        </>
      )}
    </div>
  );
}

function Fact({ term, children }: { readonly term: string; readonly children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function PackageFacts({ pkg }: { readonly pkg: PackageJson }) {
  const { t, locale } = useI18n();
  return (
    <dl className="detail-facts package-facts">
      <Fact term={t.packages.rank}>{pkg.rank}</Fact>
      <Fact term={t.packageDetail.status}>{t.packageStatuses[pkg.status]}</Fact>
      <Fact term={t.packages.target}>{formatMoney(pkg.target, locale)}</Fact>
      <Fact term={t.packages.price}>
        {pkg.price ? formatMoney(pkg.price, locale) : <span className="muted">{t.packages.notPriced}</span>}
      </Fact>
      <Fact term={t.packages.funded}>{formatMoney(pkg.funded, locale)}</Fact>
      <Fact term={t.packageDetail.version}>{pkg.version}</Fact>
      <Fact term={t.packageDetail.createdAt}>
        <time dateTime={pkg.createdAt}>{formatDateTime(pkg.createdAt, locale)}</time>
      </Fact>
      <Fact term={t.packageDetail.updatedAt}>
        <time dateTime={pkg.updatedAt}>{formatDateTime(pkg.updatedAt, locale)}</time>
      </Fact>
    </dl>
  );
}

function LinesTable({
  pkg,
  categoryNames,
  captionId,
}: {
  readonly pkg: PackageJson;
  readonly categoryNames: ReadonlyMap<string, string>;
  readonly captionId: string;
}) {
  const { t, locale } = useI18n();
  const columns = t.packageDetail.columns;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table package-lines">
        <caption id={captionId}>{t.packageDetail.linesCaption(pkg.ref)}</caption>
        <thead>
          <tr>
            <th scope="col">{columns.requirement}</th>
            <th scope="col">{columns.category}</th>
            <th scope="col" className="numeric">
              {columns.quantity}
            </th>
            <th scope="col" className="numeric">
              {columns.amount}
            </th>
            <th scope="col" className="numeric">
              {columns.funded}
            </th>
            <th scope="col" className="numeric">
              {columns.delivered}
            </th>
            <th scope="col" className="numeric">
              {columns.received}
            </th>
          </tr>
        </thead>
        <tbody>
          {pkg.lines.map((line) => (
            <tr key={line.id}>
              <th scope="row" className="ref">
                {line.requirementRef}
              </th>
              <td className="category">{categoryNames.get(line.category) ?? line.category}</td>
              <td className="numeric">{formatCount(line.quantity, locale)}</td>
              <td className="numeric amount">
                {line.amount ? (
                  formatMoney(line.amount, locale)
                ) : (
                  <span className="muted">{t.packageDetail.notPriced}</span>
                )}
              </td>
              <td className="numeric funded">{formatMoney(line.funded, locale)}</td>
              <td className="numeric">
                {t.packageDetail.of(
                  formatCount(line.deliveredQuantity, locale),
                  formatCount(line.quantity, locale),
                )}
              </td>
              <td className="numeric">
                {t.packageDetail.of(
                  formatCount(line.receivedQuantity, locale),
                  formatCount(line.quantity, locale),
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const buttonLabel = (t: Messages, to: ButtonTransition) => t.packageDetail[to];

/**
 * The writes this user may make on the package now: the transitions as buttons, the supplier's
 * pricing form, the coordinator's cancellation with a confirmation. Every write sends If-Match
 * (the version on screen) and an Idempotency-Key that a retry of the same change reuses.
 * Remounted at every new version.
 */
function ActionsPanel({
  pkg,
  me,
  handlers,
}: {
  readonly pkg: PackageJson;
  readonly me: MeJson;
  readonly handlers: PackageWriteHandlers;
}) {
  const { t } = useI18n();
  const { api } = useSession();
  const permissions = useMemo(() => packagePermissions(me), [me]);
  const [working, setWorking] = useState<PackageTransitionJson['to'] | null>(null);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [reason, setReason] = useState('');
  const keys = useRef(new SubmissionKeys());
  const cancelButtonRef = useRef<HTMLButtonElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const ids = { heading: useId(), reason: useId(), confirm: useId() };

  const buttons = permissions.buttonsOf(pkg);
  const pricing = permissions.mayPrice(pkg);
  const cancel = permissions.mayCancel(pkg);

  useEffect(() => {
    if (confirmingCancel) reasonRef.current?.focus();
  }, [confirmingCancel]);

  if (buttons.length === 0 && !pricing && !cancel) {
    return null;
  }

  async function move(change: PackageTransitionJson) {
    if (working) return;
    setWorking(change.to);
    try {
      const updated = await api.transitionPackage(
        pkg,
        change,
        keys.current.keyFor({ id: pkg.id, version: pkg.version, ...change }),
      );
      keys.current.done();
      handlers.onChanged(updated, {
        tone: 'success',
        message: (m) => m.packageDetail.transitioned(updated.ref, m.packageStatuses[updated.status]),
      });
    } catch (error) {
      if (isStale(error)) handlers.onStale();
      else handlers.onError(error);
    } finally {
      setWorking(null);
    }
  }

  return (
    <section className="panel panel-flush package-actions" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t.packageDetail.actionsHeading}</h2>
      {buttons.length > 0 && (
        <div className="button-row">
          {buttons.map((to) => (
            <button
              key={to}
              type="button"
              className="button button-primary"
              aria-disabled={working !== null || undefined}
              aria-describedby={to === 'open' ? `${ids.heading}-open-hint` : undefined}
              onClick={() => void move({ to })}
            >
              {working === to ? t.packageDetail.working : buttonLabel(t, to)}
            </button>
          ))}
        </div>
      )}
      {buttons.includes('open') && (
        <p id={`${ids.heading}-open-hint`} className="hint">
          {t.packageDetail.openHint}
        </p>
      )}

      {pricing && <PricingForm pkg={pkg} handlers={handlers} />}

      {cancel && (
        <div className="cancel-package">
          {!confirmingCancel ? (
            <>
              <button
                ref={cancelButtonRef}
                type="button"
                className="button button-quiet-danger"
                aria-describedby={`${ids.heading}-cancel-hint`}
                onClick={() => setConfirmingCancel(true)}
              >
                {t.packageDetail.cancel}
              </button>
              <p id={`${ids.heading}-cancel-hint`} className="hint">
                {t.packageDetail.cancelHint}
              </p>
            </>
          ) : (
            <form
              className="confirm"
              aria-labelledby={ids.confirm}
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                const text = reason.trim();
                void move(text ? { to: 'cancelled', reason: text } : { to: 'cancelled' });
              }}
            >
              <p id={ids.confirm} className="notice notice-warning">
                {t.packageDetail.cancelConfirm(pkg.ref)} {t.packageDetail.cancelHint}
              </p>
              <div className="field">
                <label htmlFor={ids.reason}>
                  {t.packageDetail.cancelReason} <span className="muted">({t.form.optional})</span>
                </label>
                <textarea
                  id={ids.reason}
                  ref={reasonRef}
                  rows={2}
                  maxLength={1000}
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                />
              </div>
              <div className="button-row">
                <button
                  type="submit"
                  className="button button-danger"
                  aria-disabled={working !== null || undefined}
                >
                  {working === 'cancelled' ? t.packageDetail.working : t.packageDetail.cancelYes}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setConfirmingCancel(false);
                    requestAnimationFrame(() => cancelButtonRef.current?.focus());
                  }}
                >
                  {t.packageDetail.cancelNo}
                </button>
              </div>
            </form>
          )}
        </div>
      )}
    </section>
  );
}
