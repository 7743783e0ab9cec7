import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { PublicSummaryJson } from '../contract/index.ts';
import { ApiClient } from './api/client.ts';
import { AppShell } from './features/layout/app-shell.tsx';
import { SessionProvider } from './features/session/session-provider.tsx';
import { en, type Messages } from './i18n/en.ts';
import {
  I18nProvider,
  initialLanguage,
  type Language,
  loadedMessages,
  loadMessages,
} from './i18n/i18n-provider.tsx';
import { RouterProvider } from './routing/router.tsx';
import './styles.css';

/** The public summary the server put in the page (src/server/web-index.ts), if it did. */
function summaryInPage(): PublicSummaryJson | null {
  const text = document.getElementById('purl-summary')?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as PublicSummaryJson;
  } catch {
    return null;
  }
}

const api = new ApiClient({ storage: sessionStorage });
// The public dashboard's figures come with the page, or are fetched while the session is checked
// (see prefetchPublicSummary).
if (window.location.pathname === '/' || window.location.pathname === '/dashboard')
  api.prefetchPublicSummary(summaryInPage());

function render(root: HTMLElement, language: Language, messages: Messages): void {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider initial={{ language, messages }}>
        <RouterProvider>
          <SessionProvider api={api}>
            <AppShell />
          </SessionProvider>
        </RouterProvider>
      </I18nProvider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) {
  // English is in this script; another language chosen before is loaded first (a chunk of its own).
  const language = initialLanguage();
  const messages = loadedMessages(language);
  if (messages) render(root, language, messages);
  else
    loadMessages(language).then(
      (chosen) => render(root, language, chosen),
      () => render(root, 'en', en),
    );
}
