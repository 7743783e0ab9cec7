import { useId } from 'react';
import { type Language, languageNames, languages, useI18n } from './i18n-provider.tsx';

/** Lists each language in its own name, so that a reader of either can find theirs. */
export function LanguageSwitch() {
  const { requested, setLanguage, t } = useI18n();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id}>{t.language.label}</label>
      <select id={id} value={requested} onChange={(event) => setLanguage(event.target.value as Language)}>
        {languages.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageNames[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
