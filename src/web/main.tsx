import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api/client.ts';
import { AppShell } from './features/layout/app-shell.tsx';
import { SessionProvider } from './features/session/session-provider.tsx';
import { I18nProvider } from './i18n/i18n-provider.tsx';
import { RouterProvider } from './routing/router.tsx';
import './styles.css';

const api = new ApiClient({ storage: sessionStorage });
// The public dashboard's figures are fetched while the session is checked (see prefetchPublicSummary).
if (window.location.pathname === '/' || window.location.pathname === '/dashboard')
  api.prefetchPublicSummary();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <RouterProvider>
          <SessionProvider api={api}>
            <AppShell />
          </SessionProvider>
        </RouterProvider>
      </I18nProvider>
    </StrictMode>,
  );
}
