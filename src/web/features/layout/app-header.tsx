import { formatDateTime } from '../../format/date-time.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { LanguageSwitch } from '../../i18n/language-switch.tsx';
import { useSession } from '../session/session-provider.tsx';

export function AppHeader() {
  const { t, locale } = useI18n();
  const { state, logOut } = useSession();
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <div className="brand">
          <span className="brand-name">{t.app.name}</span>
          <span className="brand-tagline">{t.app.tagline}</span>
        </div>
        <div className="header-tools">
          {state.status === 'authenticated' && (
            <dl className="who">
              <div>
                <dt>{t.header.user}</dt>
                <dd>{state.me.user.displayName}</dd>
              </div>
              <div>
                <dt>{t.header.organization}</dt>
                <dd>{state.me.organization.code}</dd>
              </div>
              <div>
                <dt>{t.header.role}</dt>
                <dd>{t.roles[state.me.role]}</dd>
              </div>
              <div>
                <dt>{t.header.sessionUntil}</dt>
                <dd>
                  <time dateTime={state.expiresAt}>{formatDateTime(state.expiresAt, locale)}</time>
                </dd>
              </div>
            </dl>
          )}
          <LanguageSwitch />
          {state.status === 'authenticated' && (
            <button type="button" className="button button-on-dark" onClick={() => void logOut()}>
              {t.header.logOut}
            </button>
          )}
        </div>
      </div>
    </header>
  );
}
