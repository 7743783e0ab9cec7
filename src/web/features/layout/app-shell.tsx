import { useEffect, useRef } from 'react';
import type { MeJson } from '../../../contract/index.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useRouter } from '../../routing/router.tsx';
import { mayVisit, paths, type Route, sectionsOf } from '../../routing/routes.ts';
import { AllocationWorkbenchPage } from '../allocation/allocation-workbench-page.tsx';
import { NewPackagePage } from '../packages/new-package-page.tsx';
import { PackageBoardPage } from '../packages/package-board-page.tsx';
import { PackageDetailPage } from '../packages/package-detail-page.tsx';
import { NewPledgePage } from '../pledges/new-pledge-page.tsx';
import { PledgeDetailPage } from '../pledges/pledge-detail-page.tsx';
import { PledgeRegisterPage } from '../pledges/pledge-register-page.tsx';
import { PriorityListPage } from '../priority-list/priority-list-page.tsx';
import { LoginPage } from '../session/login-page.tsx';
import { useSession } from '../session/session-provider.tsx';
import { AppHeader } from './app-header.tsx';
import { NotFoundPage } from './not-found-page.tsx';

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
      landedFor.current = null;
      // Whoever logs in after a logout starts at their own first page; after a session that
      // expired, the same address is kept so that logging in again returns to it.
      if (state.status === 'anonymous' && state.notice === 'loggedOut' && route.page !== 'home') {
        navigate(paths.home, { replace: true });
      }
      return;
    }
    const first = sectionsOf[me.role][0];
    if (!first) return;
    const arriving = landedFor.current !== me.user.id;
    landedFor.current = me.user.id;
    if (route.page === 'home' || (arriving && !mayVisit(me.role, route))) {
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
        {state.status === 'anonymous' && <LoginPage notice={state.notice} autoFocus={changedByUser} />}
        {me && <Page route={route} me={me} autoFocus={changedByUser || navigated} />}
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
    case 'requirements':
      return <PriorityListPage key={key} me={me} autoFocus={autoFocus} />;
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
    case 'not-found':
      return <NotFoundPage key={key} autoFocus={autoFocus} />;
  }
}
