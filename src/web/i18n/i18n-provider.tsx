import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en, type Messages } from './en.ts';
import { uk } from './uk.ts';

export const languages = ['en', 'uk'] as const;
export type Language = (typeof languages)[number];

export const catalogues: Readonly<Record<Language, Messages>> = { en, uk };

/** The locale that formats numbers and dates for each language. */
const localeOf: Readonly<Record<Language, string>> = { en: 'en-GB', uk: 'uk-UA' };

const storageKey = 'purl.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The language chosen before, else the browser's if we have it, else English. */
function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be disabled; fall through to the browser's language.
  }
  const browser = navigator.language.slice(0, 2).toLowerCase();
  return isLanguage(browser) ? browser : 'en';
}

export interface I18n {
  readonly language: Language;
  readonly locale: string;
  readonly t: Messages;
  setLanguage(language: Language): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = catalogues[language].app.name;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // The choice then lasts until the tab reloads.
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({ language, locale: localeOf[language], t: catalogues[language], setLanguage }),
    [language, setLanguage],
  );
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n is used outside <I18nProvider>');
  return i18n;
}
