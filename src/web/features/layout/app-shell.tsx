import { lazy, Suspense, useEffect, useRef } from 'react';
import type { MeJson } from '../../../contract/index.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useRouter } from '../../routing/router.tsx';
import { mayVisit, paths, type Route, sectionsOf } from '../../routing/routes.ts';
import { PublicDashboardPage } from '../dashboard/public-dashboard-page.tsx';
import { LoginPage } from '../session/login-page.tsx';
import { useSession } from '../session/session-provider.tsx';
import { AppHeader } from './app-header.tsx';
import { NotFoundPage } from './not-found-page.tsx';

// The pages behind the login are loaded when first opened, so that the public dashboard (the first
// page most visitors see) loads none of their code.
const AllocationWorkbenchPage = lazy(() =>
  import('../allocation/allocation-workbench-page.tsx').then((module) => ({
    default: module.AllocationWorkbenchPage,
  })),
);
const NewPackagePage = lazy(() =>
  import('../packages/new-package-page.tsx').then((module) => ({ default: module.NewPackagePage })),
);
const PackageBoardPage = lazy(() =>
  import('../packages/package-board-page.tsx').then((module) => ({ default: module.PackageBoardPage })),
);
const PackageDetailPage = lazy(() =>
  import('../packages/package-detail-page.tsx').then((module) => ({ default: module.PackageDetailPage })),
);
const NewPledgePage = lazy(() =>
  import('../pledges/new-pledge-page.tsx').then((module) => ({ default: module.NewPledgePage })),
);
const PledgeDetailPage = lazy(() =>
  import('../pledges/pledge-detail-page.tsx').then((module) => ({ default: module.PledgeDetailPage })),
);
const PledgeRegisterPage = lazy(() =>
  import('../pledges/pledge-register-page.tsx').then((module) => ({ default: module.PledgeRegisterPage })),
);
const PriorityListPage = lazy(() =>
  import('../priority-list/priority-list-page.tsx').then((module) => ({ default: module.PriorityListPage })),
);
const RequirementDetailPage = lazy(() =>
  import('../priority-list/requirement-detail-page.tsx').then((module) => ({
    default: module.RequirementDetailPage,
  })),
);
const AuditPage = lazy(() =>
  import('../audit/audit-page.tsx').then((module) => ({ default: module.AuditPage })),
);
const LedgerPage = lazy(() =>
  import('../ledger/ledger-page.tsx').then((module) => ({ default: module.LedgerPage })),
);
const OrganizationsPage = lazy(() =>
  import('../admin/organizations-page.tsx').then((module) => ({ default: module.OrganizationsPage })),
);
const UsersPage = lazy(() =>
  import('../admin/users-page.tsx').then((module) => ({ default: module.UsersPage })),
);

/** The frame of every page: a skip link, the header, and the page the address and the session allow. */
export function AppShell() {
  const { t } = useI18n();
  const { state, changedByUser } = useSession();
  const { route, navigate, navigated } = useRouter();
  const me = state.status === 'authenticated' ? state.me : null;
  const landedFor = useRef<string | null>(null);

  // The address "/" leads to the role's first page; so does arriving at an address the role may not
  // use (a link from someone else, a session that ended). A deep link the role may use is kept.
  useEffect(() => {
    if (!me) {
      const wasLoggedIn = landedFor.current !== null;
      landedFor.current = null;
      // Whoever logs in after a logout starts at their own first page; after a session that
      // expired, the same address is kept so that logging in again returns to it.
      if (
        wasLoggedIn &&
        state.status === 'anonymous' &&
        state.notice === 'loggedOut' &&
        route.page !== 'login'
      ) {
        navigate(paths.login, { replace: true });
      }
      return;
    }
    const arriving = landedFor.current !== me.user.id;
    landedFor.current = me.user.id;
    const first = sectionsOf[me.role][0];
    if (!first) {
      if (route.page === 'login') navigate(paths.home, { replace: true });
      return;
    }
    if (route.page === 'home' || route.page === 'login' || (arriving && !mayVisit(me.role, route))) {
      navigate(paths.section(first), { replace: true });
    }
  }, [me, state, route, navigate]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <AppHeader />
      <main id="main" tabIndex={-1}>
        {state.status === 'checking' && (
          <p className="loading" role="status">
            {t.app.loading}
          </p>
        )}
        {state.status === 'anonymous' &&
          (route.page === 'home' || route.page === 'dashboard' ? (
            <PublicDashboardPage autoFocus={navigated} />
          ) : (
            <LoginPage notice={state.notice} autoFocus={changedByUser || navigated} />
          ))}
        {me && (
          <Suspense
            fallback={
              <p className="loading" role="status">
                {t.app.loading}
              </p>
            }
          >
            <Page route={route} me={me} autoFocus={changedByUser || navigated} />
          </Suspense>
        )}
      </main>
    </>
  );
}

function Page({
  route,
  me,
  autoFocus,
}: {
  readonly route: Route;
  readonly me: MeJson;
  readonly autoFocus: boolean;
}) {
  const { t } = useI18n();
  // Pages are keyed by the user and the object, so that nothing of one survives into another.
  const key = me.user.id;
  switch (route.page) {
    case 'home':
      return sectionsOf[me.role].length === 0 ? (
        <div className="page">
          <h1>{t.pages.noPagesHeading}</h1>
          <p className="notice notice-info">{t.pages.noPages}</p>
        </div>
      ) : (
        <p className="loading" role="status">
          {t.app.loading}
        </p>
      );
    case 'login':
      return (
        <p className="loading" role="status">
          {t.app.loading}
        </p>
      );
    case 'dashboard':
      return <PublicDashboardPage key={key} autoFocus={autoFocus} />;
    case 'requirements':
      return <PriorityListPage key={key} me={me} autoFocus={autoFocus} />;
    case 'requirement':
      return <RequirementDetailPage key={`${key}:${route.id}`} me={me} id={route.id} autoFocus={autoFocus} />;
    case 'pledges':
      return <PledgeRegisterPage key={key} me={me} filter={route.filter} autoFocus={autoFocus} />;
    case 'pledge-new':
      return <NewPledgePage key={key} me={me} autoFocus={autoFocus} />;
    case 'pledge':
      return <PledgeDetailPage key={`${key}:${route.id}`} me={me} id={route.id} autoFocus={autoFocus} />;
    case 'packages':
      return <PackageBoardPage key={key} me={me} autoFocus={autoFocus} />;
    case 'package-new':
      return <NewPackagePage key={key} me={me} autoFocus={autoFocus} />;
    case 'package':
      return <PackageDetailPage key={`${key}:${route.id}`} me={me} id={route.id} autoFocus={autoFocus} />;
    case 'allocation':
      return <AllocationWorkbenchPage key={key} me={me} autoFocus={autoFocus} />;
    case 'audit':
      return <AuditPage key={key} me={me} filter={route.filter} autoFocus={autoFocus} />;
    case 'ledger':
      return <LedgerPage key={key} me={me} asOf={route.asOf} autoFocus={autoFocus} />;
    case 'admin-organizations':
      return <OrganizationsPage key={key} me={me} autoFocus={autoFocus} />;
    case 'admin-users':
      return <UsersPage key={key} me={me} autoFocus={autoFocus} />;
    case 'not-found':
      return <NotFoundPage key={key} autoFocus={autoFocus} />;
  }
}
