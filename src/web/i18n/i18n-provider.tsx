import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { en, type Messages } from './en.ts';

export const languages = ['en', 'uk'] as const;
export type Language = (typeof languages)[number];

/**
 * Each language in its own name, as the switch lists it (the dictionaries' `language.name`; a test
 * checks they agree): the switch must not need a dictionary that is not loaded yet.
 */
export const languageNames: Readonly<Record<Language, string>> = { en: en.language.name, uk: 'Українська' };

/**
 * English is in the first script; any other dictionary is a chunk of its own, loaded when it is
 * chosen (or was chosen before), so that the first load of the public dashboard carries one
 * dictionary, not all.
 */
const loaders: Readonly<Record<Language, () => Promise<Messages>>> = {
  en: async () => en,
  uk: () => import('./uk.ts').then((module) => module.uk),
};

const loaded = new Map<Language, Messages>([['en', en]]);

/** The dictionary of a language if it is loaded already (English always is). */
export function loadedMessages(language: Language): Messages | undefined {
  return loaded.get(language);
}

/** The dictionary of a language, loading its chunk the first time. */
export async function loadMessages(language: Language): Promise<Messages> {
  const messages = loaded.get(language) ?? (await loaders[language]());
  loaded.set(language, messages);
  return messages;
}

/** The locale that formats numbers and dates for each language. */
const localeOf: Readonly<Record<Language, string>> = { en: 'en-GB', uk: 'uk-UA' };

const storageKey = 'purl.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The language chosen before, else the browser's if we have it, else English. */
export function initialLanguage(): Language {
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
  /** The language the reader picked, while its dictionary loads; then the same as `language`. */
  readonly requested: Language;
  setLanguage(language: Language): void;
}

const I18nContext = createContext<I18n | null>(null);

function remember(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // The choice then lasts until the tab reloads.
  }
}

interface Shown {
  readonly language: Language;
  readonly messages: Messages;
}

/** `initial` is the language to start in with its dictionary loaded (main.tsx loads it before rendering). */
export function I18nProvider({
  initial = { language: 'en', messages: en },
  children,
}: {
  readonly initial?: Shown;
  readonly children: ReactNode;
}) {
  const [shown, setShown] = useState<Shown>(initial);
  const [requested, setRequested] = useState<Language>(initial.language);
  const latest = useRef<Language>(initial.language);
  const shownLanguage = useRef<Language>(initial.language);

  useEffect(() => {
    shownLanguage.current = shown.language;
    document.documentElement.lang = shown.language;
    document.title = shown.messages.app.name;
  }, [shown]);

  const setLanguage = useCallback((next: Language) => {
    latest.current = next;
    setRequested(next);
    // Kept at once, so that a page opened right after the switch (a link, a reload) is in the
    // chosen language even if this one has not changed yet: main.tsx loads it before rendering.
    remember(next);
    // The page changes language in one step, once the dictionary is here; a failed load keeps the
    // page as it is, and the switch and the stored choice go back to the language still in use.
    loadMessages(next).then(
      (messages) => {
        if (latest.current !== next) return;
        setShown({ language: next, messages });
      },
      () => {
        if (latest.current !== next) return;
        latest.current = shownLanguage.current;
        setRequested(shownLanguage.current);
        remember(shownLanguage.current);
      },
    );
  }, []);

  const value = useMemo<I18n>(
    () => ({
      language: shown.language,
      locale: localeOf[shown.language],
      t: shown.messages,
      requested,
      setLanguage,
    }),
    [shown, requested, setLanguage],
  );
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n is used outside <I18nProvider>');
  return i18n;
}
