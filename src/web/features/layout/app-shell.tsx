import { useI18n } from '../../i18n/i18n-provider.tsx';
import { PriorityListPage } from '../priority-list/priority-list-page.tsx';
import { LoginPage } from '../session/login-page.tsx';
import { useSession } from '../session/session-provider.tsx';
import { AppHeader } from './app-header.tsx';

/** The frame of every page: a skip link, the header, and the one page the session state allows. */
export function AppShell() {
  const { t } = useI18n();
  const { state, changedByUser } = useSession();
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
        {state.status === 'authenticated' && (
          <PriorityListPage key={state.me.user.id} me={state.me} autoFocus={changedByUser} />
        )}
      </main>
    </>
  );
}
