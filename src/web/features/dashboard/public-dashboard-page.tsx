import {
  Component,
  type ComponentType,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useDeferredValue,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { MoneyJson, PublicSummaryJson } from '../../../contract/index.ts';
import { formatCount } from '../../format/count.ts';
import { coveragePercent, formatPercent, shareOf } from '../../format/coverage.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { formatMoney } from '../../format/money.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { CoverageBar } from '../packages/coverage-bar.tsx';
import { PackageStatusBadge } from '../packages/package-status-badge.tsx';
import { useSession } from '../session/session-provider.tsx';
import { type DownloadTable, downloadCsv, downloadJson, downloadTables } from './dashboard-downloads.ts';
import { formatMonth } from './format-month.ts';

type ChartProps = { readonly summary: PublicSummaryJson };

// The charts (ECharts) load after the figures, in a chunk of their own: the tables say the same.
const charts = () => import('./dashboard-charts.tsx');
const StagesChart = lazy(() => charts().then((module) => ({ default: module.StagesChart })));
const DonorsChart = lazy(() => charts().then((module) => ({ default: module.DonorsChart })));
const MonthsChart = lazy(() => charts().then((module) => ({ default: module.MonthsChart })));

/** The performance mark the benchmark reads: the first figures are in the DOM. */
export const firstFiguresMark = 'purl:first-figures';

type Load =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'loaded'; readonly summary: PublicSummaryJson };

/**
 * The public transparency dashboard (no login): the figures of GET /api/v1/public/summary only,
 * every amount exact with its currency, every figure saying what it counts, every chart beside a
 * table with the same figures, every table downloadable as CSV and JSON.
 */
export function PublicDashboardPage({ autoFocus }: { readonly autoFocus: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  // The figures the server sent with the page are drawn in the first render, without a round trip.
  const [load, setLoad] = useState<Load>(() => {
    const summary = api.takeDeliveredSummary();
    return summary ? { status: 'loaded', summary } : { status: 'loading' };
  });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusOnMount = useRef(autoFocus);
  const marked = useRef(false);

  const fetchSummary = useCallback(() => {
    let cancelled = false;
    setLoad({ status: 'loading' });
    api.publicSummary().then(
      (summary) => {
        if (!cancelled) setLoad({ status: 'loaded', summary });
      },
      (error: unknown) => {
        if (!cancelled) setLoad({ status: 'failed', error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  // The delivered figures stand for as long as the API client they came with: a second run of the
  // effect (React's strict mode) fetches nothing, a new client (a log-in) fetches its own.
  const deliveredWith = useRef(load.status === 'loaded' ? fetchSummary : null);

  useEffect(() => {
    if (deliveredWith.current !== fetchSummary) return fetchSummary();
  }, [fetchSummary]);

  // Only when the page is opened: a link to a section of the page must not pull focus back up.
  useEffect(() => {
    if (focusOnMount.current) headingRef.current?.focus();
  }, []);

  useEffect(() => {
    if (load.status === 'loaded' && !marked.current) {
      marked.current = true;
      performance.mark(firstFiguresMark);
    }
  }, [load]);

  return (
    <div className="page dashboard">
      <h1 ref={headingRef} tabIndex={-1}>
        {t.dashboard.heading}
      </h1>
      <p className="dashboard-intro">{t.dashboard.intro}</p>
      {load.status === 'loading' && (
        <p className="loading" role="status">
          {t.dashboard.loading}
        </p>
      )}
      {load.status === 'failed' && (
        <div className="notice notice-error" role="alert">
          <p>{t.dashboard.loadFailed}</p>
          <p>{errorMessage(t, load.error)}</p>
          <button type="button" className="button" onClick={() => fetchSummary()}>
            {t.dashboard.retry}
          </button>
        </div>
      )}
      {load.status === 'loaded' && (
        <>
          <p className="as-of">
            {t.dashboard.asOf}{' '}
            <time dateTime={load.summary.asOf}>{formatDateTime(load.summary.asOf, locale)}</time>
          </p>
          <Dashboard summary={load.summary} />
        </>
      )}
    </div>
  );
}

function Dashboard({ summary }: { readonly summary: PublicSummaryJson }) {
  const { t, locale, language } = useI18n();
  const tables = useMemo(() => downloadTables(summary), [summary]);
  const english = language === 'en' ? undefined : 'en';
  const empty = summary.pledgesCounted + summary.undisclosedPledges === 0 && summary.packages.length === 0;
  const sections = [
    ['dashboard-totals', t.dashboard.totalsHeading],
    ['dashboard-packages', t.dashboard.packagesHeading],
    ['dashboard-donors', t.dashboard.donorsHeading],
    ['dashboard-categories', t.dashboard.categoriesHeading],
    ['dashboard-months', t.dashboard.monthsHeading],
    ['dashboard-forums', t.dashboard.forumsHeading],
    ['dashboard-rules', t.dashboard.rulesHeading],
  ] as const;
  const fxRules = [...new Set(summary.totals.map((total) => total.fxRule))];
  // The totals (the first figures) are drawn first; the long tables below them in a second render
  // that React runs right after, in the background, so that they do not hold the first figures up.
  const complete = useDeferredValue(true, false);

  if (empty) {
    return (
      <p className="empty" role="status">
        {t.dashboard.empty}
      </p>
    );
  }
  return (
    <>
      <p className="dashboard-counted">
        {t.dashboard.counted(
          summary.pledgesCounted,
          summary.undisclosedPledges,
          summary.reAnnouncementsExcluded,
        )}
      </p>
      <nav className="dashboard-contents" aria-label={t.dashboard.contents}>
        <ul>
          {sections.map(([id, title]) => (
            <li key={id}>
              <a href={`#${id}`}>{title}</a>
            </li>
          ))}
        </ul>
      </nav>

      <Section id="dashboard-totals" title={t.dashboard.totalsHeading}>
        <ul className="stage-cards">
          {summary.totals.map((total) => (
            <li key={total.stage} className={`stage-card stage-card-${total.stage}`}>
              <p className="stage-card-name">{t.dashboard.stageNames[total.stage]}</p>
              <p className="stage-card-amount">{formatMoney(total.amount, locale)}</p>
              <p className="stage-card-counts">{countsText(t, total.counts)}</p>
            </li>
          ))}
        </ul>
        <ChartFigure
          title={t.dashboard.charts.stagesTitle}
          table={t.dashboard.totalsCaption}
          chart={StagesChart}
          summary={summary}
          later={!complete}
        />
        <DataTable caption={t.dashboard.totalsCaption} table={tables.totals} asOf={summary.asOf}>
          <thead>
            <tr>
              <th scope="col">{t.dashboard.columns.stage}</th>
              <th scope="col" className="numeric">
                {t.dashboard.columns.amount}
              </th>
              <th scope="col" className="numeric">
                {t.dashboard.columns.pledges}
              </th>
              <th scope="col">{t.dashboard.columns.counts}</th>
              <th scope="col">{t.dashboard.columns.note}</th>
            </tr>
          </thead>
          <tbody>
            {summary.totals.map((total) => (
              <tr key={total.stage}>
                <th scope="row">{t.dashboard.stageNames[total.stage]}</th>
                <td className="numeric">{formatMoney(total.amount, locale)}</td>
                <td className="numeric">{formatCount(total.pledges, locale)}</td>
                <td>{countsText(t, total.counts)}</td>
                <td lang={english}>{total.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
        <h3>{t.dashboard.fxHeading}</h3>
        {fxRules.map((rule) => (
          <p key={rule} className="figure-rule" lang={english}>
            {rule}
          </p>
        ))}
      </Section>

      {complete ? (
        <DashboardDetails summary={summary} tables={tables} />
      ) : (
        // The sections below the totals follow in a second render (see `complete`).
        <div className="dashboard-more" aria-busy="true" />
      )}
    </>
  );
}

/** The sections below the totals: packages, donors, categories, months, forums and rules. */
function DashboardDetails({
  summary,
  tables,
}: {
  readonly summary: PublicSummaryJson;
  readonly tables: ReturnType<typeof downloadTables>;
}) {
  const { t, locale, language } = useI18n();
  const english = language === 'en' ? undefined : 'en';
  return (
    <>
      <Section id="dashboard-packages" title={t.dashboard.packagesHeading}>
        {summary.packages.length === 0 ? (
          <p className="empty">{t.dashboard.noPackages}</p>
        ) : (
          <DataTable caption={t.dashboard.packagesCaption} table={tables.packages} asOf={summary.asOf}>
            <thead>
              <tr>
                <th scope="col">{t.dashboard.columns.rank}</th>
                <th scope="col">{t.dashboard.columns.package}</th>
                <th scope="col">{t.dashboard.columns.status}</th>
                <th scope="col" className="numeric">
                  {t.dashboard.columns.price}
                </th>
                <th scope="col" className="numeric">
                  {t.dashboard.columns.funded}
                </th>
                <th scope="col">{t.dashboard.columns.coverage}</th>
                <th scope="col">{t.dashboard.columns.fundedBy}</th>
              </tr>
            </thead>
            <tbody>
              {summary.packages.map((pkg) => (
                <tr key={pkg.ref} data-package={pkg.ref}>
                  <td className="rank">{formatCount(pkg.rank, locale)}</td>
                  <th scope="row" className="ref">
                    {pkg.ref}
                  </th>
                  <td>
                    <PackageStatusBadge status={pkg.status} />
                  </td>
                  <td className="numeric">
                    {pkg.price ? (
                      formatMoney(pkg.price, locale)
                    ) : (
                      <span className="muted">{t.dashboard.notPriced}</span>
                    )}
                  </td>
                  <td className="numeric">{formatMoney(pkg.funded, locale)}</td>
                  <td className="coverage-cell">
                    <CoverageBar coverage={pkg.coverage} label={t.coverage.label(pkg.ref)} compact />
                  </td>
                  <td>
                    {pkg.donors.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <ul className="plain-list">
                        {pkg.donors.map((donor) => (
                          <li key={donor.code}>
                            {donor.name} ({donor.code}): {formatMoney(donor.allocated, locale)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
        {tables.packageDonors.rows.length === 0 ? (
          summary.packages.length > 0 && <p className="empty">{t.dashboard.noPackageDonors}</p>
        ) : (
          <DataTable
            caption={t.dashboard.packageDonorsCaption}
            table={tables.packageDonors}
            asOf={summary.asOf}
          >
            <thead>
              <tr>
                <th scope="col">{t.dashboard.columns.package}</th>
                <th scope="col">{t.dashboard.columns.donor}</th>
                <th scope="col" className="numeric">
                  {t.dashboard.columns.allocated}
                </th>
                <th scope="col" className="numeric">
                  {t.dashboard.columns.share}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.packages.flatMap((pkg) =>
                pkg.donors.map((donor) => (
                  <tr key={`${pkg.ref}:${donor.code}`} data-package={pkg.ref} data-donor={donor.code}>
                    <td className="ref">{pkg.ref}</td>
                    <th scope="row">
                      {donor.name} ({donor.code})
                    </th>
                    <td className="numeric">{formatMoney(donor.allocated, locale)}</td>
                    <td className="numeric">{shareText(donor.allocated, pkg.price, locale)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </DataTable>
        )}
        <p className="figure-rule">{t.coverage.rule}</p>
      </Section>

      <Section id="dashboard-donors" title={t.dashboard.donorsHeading}>
        <ChartFigure
          title={t.dashboard.charts.donorsTitle}
          table={t.dashboard.donorsCaption}
          chart={DonorsChart}
          summary={summary}
        />
        <StageTable
          caption={t.dashboard.donorsCaption}
          table={tables.donors}
          asOf={summary.asOf}
          firstColumn={t.dashboard.columns.donor}
          rows={summary.byDonor.map((row) => ({
            key: row.code,
            label: `${row.name} (${row.code})`,
            row,
          }))}
        />
        <p className="figure-rule">{t.dashboard.donorUndisclosedNote}</p>
      </Section>

      <Section id="dashboard-categories" title={t.dashboard.categoriesHeading}>
        <StageTable
          caption={t.dashboard.categoriesCaption}
          table={tables.categories}
          asOf={summary.asOf}
          firstColumn={t.dashboard.columns.category}
          rows={summary.byCategory.map((row) => ({ key: row.key, label: row.label, row }))}
        />
        <p className="figure-rule" lang={english}>
          {summary.rules.categories}
        </p>
      </Section>

      <Section id="dashboard-months" title={t.dashboard.monthsHeading}>
        <ChartFigure
          title={t.dashboard.charts.monthsTitle}
          table={t.dashboard.monthsCaption}
          chart={MonthsChart}
          summary={summary}
        />
        <StageTable
          caption={t.dashboard.monthsCaption}
          table={tables.months}
          asOf={summary.asOf}
          firstColumn={t.dashboard.columns.month}
          rows={summary.byMonth.map((row) => ({
            key: row.month,
            label: formatMonth(row.month, locale),
            row,
          }))}
        />
      </Section>

      <Section id="dashboard-forums" title={t.dashboard.forumsHeading}>
        <StageTable
          caption={t.dashboard.forumsCaption}
          table={tables.forums}
          asOf={summary.asOf}
          firstColumn={t.dashboard.columns.forum}
          rows={summary.byForum.map((row) => ({ key: row.forum, label: row.forum, row }))}
        />
      </Section>

      <Section id="dashboard-rules" title={t.dashboard.rulesHeading}>
        {english && <p className="muted">{t.dashboard.inEnglish}</p>}
        <dl className="rules">
          {(Object.keys(t.dashboard.ruleNames) as (keyof PublicSummaryJson['rules'])[]).map((key) => (
            <div key={key}>
              <dt>{t.dashboard.ruleNames[key]}</dt>
              <dd lang={english}>{summary.rules[key]}</dd>
            </div>
          ))}
        </dl>
      </Section>
    </>
  );
}

function countsText(t: Messages, counts: readonly PublicSummaryJson['totals'][number]['counts'][number][]) {
  return counts.length === 0
    ? t.dashboard.countsPackages
    : t.dashboard.counts(counts.map((stage) => t.stages[stage].toLowerCase()).join(t.dashboard.or));
}

/** A donor's allocation as a share of the package's price, exact to two decimals of a percent, rounded down. */
function shareText(allocated: MoneyJson, price: MoneyJson | null, locale: string): string {
  const share = price && shareOf(allocated.amount, price.amount);
  const percent = share ? coveragePercent(share) : null;
  return percent === null ? '—' : formatPercent(percent, locale);
}

function Section({
  id,
  title,
  children,
}: {
  readonly id: string;
  readonly title: string;
  readonly children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section id={id} className="dashboard-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** A table in a keyboard-scrollable region, with its CSV and JSON downloads. */
function DataTable({
  caption,
  table,
  asOf,
  children,
}: {
  readonly caption: string;
  readonly table: DownloadTable;
  readonly asOf: string;
  readonly children: ReactNode;
}) {
  const { t } = useI18n();
  const captionId = useId();
  return (
    <div className="dashboard-table">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
      <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
        <table className="data-table">
          <caption id={captionId}>{caption}</caption>
          {children}
        </table>
      </section>
      <div className="button-row downloads">
        <button
          type="button"
          className="button button-small"
          aria-label={t.dashboard.downloadLabel(caption, 'CSV')}
          onClick={() => void downloadCsv(table, asOf)}
        >
          CSV
        </button>
        <button
          type="button"
          className="button button-small"
          aria-label={t.dashboard.downloadLabel(caption, 'JSON')}
          onClick={() => downloadJson(table, asOf)}
        >
          JSON
        </button>
      </div>
    </div>
  );
}

interface StageTableRow {
  readonly key: string;
  readonly label: string;
  readonly row:
    | PublicSummaryJson['byDonor'][number]
    | Omit<PublicSummaryJson['byDonor'][number], 'code' | 'name'>;
}

/** A table of money by stage (donor, category, month, forum); an amount nobody disclosed says so. */
function StageTable({
  caption,
  table,
  asOf,
  firstColumn,
  rows,
}: {
  readonly caption: string;
  readonly table: DownloadTable;
  readonly asOf: string;
  readonly firstColumn: string;
  readonly rows: readonly StageTableRow[];
}) {
  const { t, locale } = useI18n();
  const columns = t.dashboard.columns;
  const amount = (row: StageTableRow['row'], money: MoneyJson) =>
    row.pledges === 0 && row.undisclosedPledges > 0 ? (
      <span className="undisclosed">{t.dashboard.undisclosed}</span>
    ) : (
      formatMoney(money, locale)
    );
  return (
    <>
      <DataTable caption={caption} table={table} asOf={asOf}>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            <th scope="col" className="numeric">
              {columns.announced}
            </th>
            <th scope="col" className="numeric">
              {columns.committed}
            </th>
            <th scope="col" className="numeric">
              {columns.paid}
            </th>
            <th scope="col" className="numeric">
              {columns.pledges}
            </th>
            <th scope="col" className="numeric">
              {columns.undisclosedPledges}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, row }) => (
            <tr key={key} data-key={key}>
              <th scope="row">{label}</th>
              <td className="numeric" data-stage="announced">
                {amount(row, row.announced)}
              </td>
              <td className="numeric" data-stage="committed">
                {amount(row, row.committed)}
              </td>
              <td className="numeric" data-stage="paid">
                {amount(row, row.paid)}
              </td>
              <td className="numeric">{formatCount(row.pledges, locale)}</td>
              <td className="numeric">{formatCount(row.undisclosedPledges, locale)}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <p className="figure-rule">{t.dashboard.rowRule}</p>
    </>
  );
}

/** A chart, loaded on demand, that names the table saying the same in text. */
function ChartFigure({
  title,
  table,
  chart: Chart,
  summary,
  later = false,
}: {
  readonly title: string;
  readonly table: string;
  readonly chart: ComponentType<ChartProps>;
  readonly summary: PublicSummaryJson;
  /** Not yet: the charts' chunk is asked for only after the first figures are drawn. */
  readonly later?: boolean;
}) {
  const { t } = useI18n();
  const loading = (
    <p className="chart-loading muted" role="status">
      {t.dashboard.charts.loading}
    </p>
  );
  return (
    <figure className="chart-figure">
      <figcaption>
        <span className="chart-title">{title}</span>{' '}
        <span className="muted">{t.dashboard.charts.equivalent(table)}</span>
      </figcaption>
      {later ? (
        loading
      ) : (
        <ChartBoundary fallback={<p className="muted">{t.dashboard.charts.failed}</p>}>
          <Suspense fallback={loading}>
            <Chart summary={summary} />
          </Suspense>
        </ChartBoundary>
      )}
    </figure>
  );
}

/** A chart that fails to load or draw leaves its table, and a sentence saying so. */
class ChartBoundary extends Component<
  { readonly fallback: ReactNode; readonly children: ReactNode },
  { readonly failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
