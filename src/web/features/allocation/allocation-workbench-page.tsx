import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { AllocationApplyJson, AllocationPlanJson, MeJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import { SubmissionKeys } from '../../api/idempotency-key.ts';
import { formatCount } from '../../format/count.ts';
import { coveragePercent, formatPercent } from '../../format/coverage.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { formatMoney } from '../../format/money.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { DownloadLinks } from '../layout/download-links.tsx';
import { useCategories } from '../pledges/use-categories.ts';
import { useSession } from '../session/session-provider.tsx';
import { shortPlanId, sumUsd } from './plan-figures.ts';
import { lineNamesOf, PlanByPackage, PledgeUses, Shortfalls } from './plan-view.tsx';
import { WhatIfForm } from './what-if-form.tsx';

type Role = MeJson['role'];

interface Notice {
  readonly tone: 'success' | 'warning' | 'error';
  readonly message: (t: Messages) => string;
}

/** What each role finds on the workbench; the server's policy table decides (allocation.*). */
function workbenchOf(role: Role) {
  return {
    readsPlan: role === 'coordinator' || role === 'auditor',
    applies: role === 'coordinator',
    previews: role === 'coordinator' || role === 'donor',
  };
}

/** "PKG-9 is Funded, 100.00% funded." for each package the apply touched. */
function appliedMessage(applied: AllocationApplyJson): (t: Messages, locale: string) => string {
  return (t, locale) => {
    const packages = applied.packages.map((pkg) => {
      const percent = pkg.coverage === null ? null : coveragePercent(pkg.coverage);
      const coverage =
        percent === null ? t.coverage.notPriced : t.coverage.funded(formatPercent(percent, locale));
      return t.allocation.appliedPackage(pkg.packageRef, t.packageStatuses[pkg.status], coverage);
    });
    return [
      t.allocation.applied(formatMoney(applied.allocated, locale), applied.allocations),
      ...packages,
    ].join(' ');
  };
}

/**
 * The allocation workbench: the engine's current plan (by package and line, with the pledges that
 * fund each line), the lines left short with their explanation, where every pledge's money goes,
 * "Apply this plan" for the coordinator, and the what-if form. A donor gets the what-if form only.
 */
export function AllocationWorkbenchPage({
  me,
  autoFocus,
}: {
  readonly me: MeJson;
  readonly autoFocus: boolean;
}) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const workbench = workbenchOf(me.role);
  const categories = useCategories(api);
  const [plan, setPlan] = useState<AllocationPlanJson | null>(null);
  const [loading, setLoading] = useState(workbench.readsPlan);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{
    readonly tone: Notice['tone'];
    readonly message: (t: Messages, locale: string) => string;
  } | null>(null);
  const [applying, setApplying] = useState(false);
  const keys = useRef(new SubmissionKeys());
  const headingRef = useRef<HTMLHeadingElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const ids = {
    summary: useId(),
    plan: useId(),
    shortfalls: useId(),
    pledges: useId(),
    whatIf: useId(),
    hint: useId(),
  };
  const donor = me.role === 'donor';

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPlan(await api.allocationPlan());
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    } finally {
      setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    if (workbench.readsPlan) void load();
  }, [workbench.readsPlan, load]);

  async function apply() {
    if (!plan || applying) return;
    setApplying(true);
    try {
      const applied = await api.applyAllocation(plan.planId, keys.current.keyFor({ planId: plan.planId }));
      keys.current.done();
      setNotice({ tone: 'success', message: appliedMessage(applied) });
      await load();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      if (error instanceof ApiError && (error.code === 'PLAN_STALE' || error.status === 409)) {
        await load();
        setNotice({ tone: 'warning', message: (m) => m.allocation.stale });
      } else {
        setNotice({ tone: 'error', message: (m) => errorMessage(m, error) });
      }
    } finally {
      setApplying(false);
      noticeRef.current?.focus();
    }
  }

  const lineNames = plan ? lineNamesOf(plan, t.allocation.lineName) : new Map<string, string>();
  const planned = plan ? sumUsd(plan.lines.map((line) => line.planned)) : null;
  const missing = plan ? sumUsd(plan.lines.map((line) => line.missing)) : null;

  return (
    <div className="page">
      <div className="page-heading">
        <h1 ref={headingRef} tabIndex={-1}>
          {donor ? t.allocation.headingDonor : t.allocation.heading}
        </h1>
        <p className="muted">{donor ? t.allocation.introDonor : t.allocation.intro}</p>
      </div>

      <div ref={noticeRef} tabIndex={-1} className="notice-anchor">
        <div role="status" className="live-region">
          {notice && notice.tone !== 'error' && (
            <p className={`notice notice-${notice.tone}`}>{notice.message(t, locale)}</p>
          )}
        </div>
        <div role="alert" className="live-region">
          {notice?.tone === 'error' && <p className="notice notice-error">{notice.message(t, locale)}</p>}
        </div>
      </div>

      {workbench.readsPlan && (
        <>
          {plan === null && loading && (
            <p className="loading" role="status">
              {t.allocation.loading}
            </p>
          )}
          {loadError !== null && !loading && (
            <div className="notice notice-error" role="alert">
              <p>{t.allocation.loadFailed}</p>
              <p>{errorMessage(t, loadError)}</p>
              <button type="button" className="button" onClick={() => void load()}>
                {t.allocation.retry}
              </button>
            </div>
          )}
          {plan && planned && missing && (
            <div aria-busy={loading || undefined}>
              <DownloadLinks url="/api/v1/allocation/plan" what={t.downloads.plan} />
              <section className="panel panel-flush" aria-labelledby={ids.summary}>
                <h2 id={ids.summary}>{t.allocation.summaryHeading}</h2>
                <dl className="detail-facts">
                  <div>
                    <dt>{t.allocation.asOf}</dt>
                    <dd>
                      <time dateTime={plan.asOf}>{formatDateTime(plan.asOf, locale)}</time>
                    </dd>
                  </div>
                  <div>
                    <dt>{t.allocation.planId}</dt>
                    <dd>
                      <code title={plan.planId}>{shortPlanId(plan.planId)}</code>
                    </dd>
                  </div>
                  <div>
                    <dt>{t.allocation.openLines}</dt>
                    <dd>{formatCount(plan.lines.length, locale)}</dd>
                  </div>
                  <div>
                    <dt>{t.allocation.plannedTotal}</dt>
                    <dd className="planned-total">{formatMoney(planned, locale)}</dd>
                  </div>
                  <div>
                    <dt>{t.allocation.missingTotal}</dt>
                    <dd>{formatMoney(missing, locale)}</dd>
                  </div>
                  <div>
                    <dt>{t.allocation.pledgeCount}</dt>
                    <dd>{formatCount(plan.pledges.length, locale)}</dd>
                  </div>
                </dl>
                {workbench.applies && (
                  <div className="apply-plan">
                    {plan.allocations.length === 0 ? (
                      <p className="muted">{t.allocation.nothingToApply}</p>
                    ) : (
                      <>
                        <button
                          type="button"
                          className="button button-primary"
                          aria-describedby={ids.hint}
                          aria-disabled={applying || loading || undefined}
                          onClick={() => void apply()}
                        >
                          {applying ? t.allocation.applying : t.allocation.apply}
                        </button>
                        <p id={ids.hint} className="hint">
                          {t.allocation.applyHint}
                        </p>
                      </>
                    )}
                  </div>
                )}
              </section>

              <section className="panel panel-flush" aria-labelledby={ids.plan}>
                <h2 id={ids.plan}>{t.allocation.planHeading}</h2>
                <PlanByPackage plan={plan} categoryNames={categories.names} />
              </section>

              <section className="panel panel-flush" aria-labelledby={ids.shortfalls}>
                <h2 id={ids.shortfalls}>{t.allocation.shortfallsHeading}</h2>
                <Shortfalls plan={plan} />
              </section>

              <section className="panel panel-flush" aria-labelledby={ids.pledges}>
                <h2 id={ids.pledges}>{t.allocation.pledgesHeading}</h2>
                <p className="hint">{t.allocation.roundingNote}</p>
                <PledgeUses plan={plan} lineNames={lineNames} />
              </section>
            </div>
          )}
        </>
      )}

      {workbench.previews && (
        <section className="panel panel-flush" aria-labelledby={ids.whatIf}>
          <h2 id={ids.whatIf}>{t.allocation.whatIf.heading}</h2>
          <p className="muted">{t.allocation.whatIf.intro}</p>
          <WhatIfForm
            api={api}
            fixedDonor={donor ? me.organization.code : null}
            categories={categories.list}
          />
        </section>
      )}
    </div>
  );
}
