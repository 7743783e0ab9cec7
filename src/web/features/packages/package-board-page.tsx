import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MeJson, PackageJson } from '../../../contract/index.ts';
import { useLiveUpdates } from '../../api/use-live-updates.ts';
import { formatMoney } from '../../format/money.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { DownloadLinks } from '../layout/download-links.tsx';
import { LiveUpdatesNotice } from '../layout/live-updates-notice.tsx';
import { useSession } from '../session/session-provider.tsx';
import { CoverageBar } from './coverage-bar.tsx';
import { packagePermissions } from './package-permissions.ts';

type Status = PackageJson['status'];

/** The board's sections, in the order a package moves through them; cancelled last. */
export const boardStatuses: readonly Status[] = [
  'draft',
  'priced',
  'open',
  'funded',
  'contracted',
  'delivering',
  'completed',
  'cancelled',
];

export const statusSectionId = (status: Status) => `packages-${status}`;

/**
 * The package board: every package the user may see, grouped by status, each a card with its
 * target, price, funding and coverage bar. A donor sees the packages its pledges fund.
 */
export function PackageBoardPage({ me, autoFocus }: { readonly me: MeJson; readonly autoFocus: boolean }) {
  const { t } = useI18n();
  const { api } = useSession();
  const permissions = useMemo(() => packagePermissions(me), [me]);
  const [packages, setPackages] = useState<readonly PackageJson[] | null>(null);
  const [loading, setLoading] = useState(permissions.read);
  const [loadError, setLoadError] = useState<unknown>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const donor = me.role === 'donor';

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPackages(await api.packages());
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    } finally {
      setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    if (permissions.read) void load();
  }, [permissions.read, load]);

  // A package priced, opened, funded or delivered elsewhere, or money allocated: read the board again.
  const live = useLiveUpdates(
    permissions.read ? me.user.id : null,
    ['package', 'allocation'],
    () => void load(),
  );

  const byStatus = useMemo(() => {
    const groups = new Map<Status, PackageJson[]>(boardStatuses.map((status) => [status, []]));
    for (const pkg of [...(packages ?? [])].sort((a, b) => a.rank - b.rank))
      groups.get(pkg.status)?.push(pkg);
    return groups;
  }, [packages]);

  if (!permissions.read) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.packages.heading}
        </h1>
        <p className="notice notice-info">{t.packages.noAccess}</p>
      </div>
    );
  }

  return (
    <div className="page">
      <div className="page-heading page-heading-with-action">
        <div>
          <h1 ref={headingRef} tabIndex={-1}>
            {donor ? t.packages.headingDonor : t.packages.heading}
          </h1>
          <p className="muted">{donor ? t.packages.introDonor : t.packages.intro}</p>
          <p className="muted">{t.coverage.rule}</p>
        </div>
        {permissions.create && (
          <Link className="button button-primary" href={paths.packageNew}>
            {t.packages.propose}
          </Link>
        )}
      </div>

      <LiveUpdatesNotice paused={live.paused} />
      {packages !== null && packages.length > 0 && (
        <DownloadLinks url="/api/v1/packages" what={t.downloads.packages} />
      )}
      {packages === null && loading && (
        <p className="loading" role="status">
          {t.packages.loading}
        </p>
      )}
      {loadError !== null && !loading && (
        <div className="notice notice-error" role="alert">
          <p>{t.packages.loadFailed}</p>
          <p>{errorMessage(t, loadError)}</p>
          <button type="button" className="button" onClick={() => void load()}>
            {t.packages.retry}
          </button>
        </div>
      )}
      {packages !== null && packages.length === 0 && (
        <div className="empty">
          <p>{donor ? t.packages.emptyDonor : t.packages.empty}</p>
        </div>
      )}
      {packages !== null && packages.length > 0 && (
        <>
          <StatusOverview byStatus={byStatus} />
          <div className="package-board" aria-busy={loading || undefined}>
            {boardStatuses.map((status) => {
              const group = byStatus.get(status) ?? [];
              return group.length > 0 ? (
                <StatusSection key={status} status={status} packages={group} />
              ) : null;
            })}
          </div>
        </>
      )}
    </div>
  );
}

/** How many packages each status holds, with a link to each section that has any. */
function StatusOverview({ byStatus }: { readonly byStatus: ReadonlyMap<Status, readonly PackageJson[]> }) {
  const { t } = useI18n();
  return (
    <nav className="status-overview" aria-label={t.packages.overview}>
      <ul>
        {boardStatuses.map((status) => {
          const count = byStatus.get(status)?.length ?? 0;
          const text = t.packages.statusCount(t.packageStatuses[status], count);
          return (
            <li key={status} className={count === 0 ? 'muted' : undefined}>
              {count > 0 ? (
                <a className="overview-link" href={`#${statusSectionId(status)}`}>
                  {text}
                </a>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function StatusSection({
  status,
  packages,
}: {
  readonly status: Status;
  readonly packages: readonly PackageJson[];
}) {
  const { t } = useI18n();
  const headingId = statusSectionId(status);
  return (
    <section className={`package-column package-column-${status}`} aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1}>
        {t.packages.sectionHeading(t.packageStatuses[status], packages.length)}
      </h2>
      <ul className="package-cards">
        {packages.map((pkg) => (
          <li key={pkg.id}>
            <PackageCard pkg={pkg} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function PackageCard({ pkg }: { readonly pkg: PackageJson }) {
  const { t, locale } = useI18n();
  const headingId = useId();
  return (
    <article className="package-card" aria-labelledby={headingId} data-ref={pkg.ref}>
      <h3 id={headingId} className="package-card-heading">
        <Link href={paths.package(pkg.id)}>
          <span className="ref">{pkg.ref}</span> <span className="package-name">{pkg.name}</span>
        </Link>
      </h3>
      <dl className="card-facts">
        <div>
          <dt className="card-term">{t.packages.rank}</dt>
          <dd className="card-value">{pkg.rank}</dd>
        </div>
        <div>
          <dt className="card-term">{t.packages.target}</dt>
          <dd className="card-value money">{formatMoney(pkg.target, locale)}</dd>
        </div>
        <div>
          <dt className="card-term">{t.packages.price}</dt>
          <dd className="card-value money">
            {pkg.price ? (
              formatMoney(pkg.price, locale)
            ) : (
              <span className="muted">{t.packages.notPriced}</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="card-term">{t.packages.funded}</dt>
          <dd className="card-value money">{formatMoney(pkg.funded, locale)}</dd>
        </div>
      </dl>
      <CoverageBar coverage={pkg.coverage} label={t.coverage.label(pkg.ref)} compact />
      <p className="card-footnote muted">{t.packages.lineCount(pkg.lines.length)}</p>
    </article>
  );
}
