import { formatDateTime } from '../../format/date-time.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { LanguageSwitch } from '../../i18n/language-switch.tsx';
import { Link, useRouter } from '../../routing/router.tsx';
import { paths, type Section, sectionOf, sectionsOf } from '../../routing/routes.ts';
import { useSession } from '../session/session-provider.tsx';

export function AppHeader() {
  const { t, locale } = useI18n();
  const { state, logOut } = useSession();
  const { route } = useRouter();
  const current = sectionOf(route);
  const sections = state.status === 'authenticated' ? sectionsOf[state.me.role] : [];
  const donor = state.status === 'authenticated' && state.me.role === 'donor';
  // "page" on the section's own page; "true" inside it (a pledge of the register).
  const currentOf = (section: Section) =>
    section !== current
      ? undefined
      : route.page === section || route.page === `admin-${section}`
        ? ('page' as const)
        : true;
  const label = (section: Section) => {
    switch (section) {
      case 'requirements':
        return t.nav.requirements;
      case 'pledges':
        return donor ? t.nav.myPledges : t.nav.pledges;
      case 'packages':
        return donor ? t.nav.myPackages : t.nav.packages;
      case 'allocation':
        return donor ? t.nav.whatIf : t.nav.allocation;
      case 'ledger':
        return t.nav.ledger;
      case 'audit':
        return t.nav.audit;
      case 'users':
        return t.nav.users;
      case 'organizations':
        return t.nav.organizations;
    }
  };
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
          <ul className="header-links">
            <li>
              <Link
                href={state.status === 'authenticated' ? paths.dashboard : paths.home}
                aria-current={
                  route.page === 'dashboard' || (route.page === 'home' && state.status !== 'authenticated')
                    ? 'page'
                    : undefined
                }
              >
                {t.nav.dashboard}
              </Link>
            </li>
            {state.status === 'anonymous' && (
              <li>
                <Link href={paths.login} aria-current={route.page === 'login' ? 'page' : undefined}>
                  {t.nav.logIn}
                </Link>
              </li>
            )}
          </ul>
          <LanguageSwitch />
          {state.status === 'authenticated' && (
            <button type="button" className="button button-on-dark" onClick={() => void logOut()}>
              {t.header.logOut}
            </button>
          )}
        </div>
      </div>
      {sections.length > 0 && (
        <nav className="app-nav" aria-label={t.nav.label}>
          <ul>
            {sections.map((section) => (
              <li key={section}>
                <Link href={paths.section(section)} aria-current={currentOf(section)}>
                  {label(section)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}
