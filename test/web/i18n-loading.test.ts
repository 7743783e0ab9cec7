import { describe, expect, test } from 'vitest';
import { en } from '../../src/web/i18n/en.ts';
import { languageNames, languages, loadedMessages, loadMessages } from '../../src/web/i18n/i18n-provider.tsx';
import { uk } from '../../src/web/i18n/uk.ts';

describe('loading the dictionaries', () => {
  test('the switch names each language as its own dictionary does', () => {
    const dictionaries = { en, uk };
    for (const language of languages) {
      expect(languageNames[language]).toBe(dictionaries[language].language.name);
    }
  });

  test('English is there from the start; Ukrainian only once its chunk has loaded', async () => {
    expect(loadedMessages('en')).toBe(en);
    expect(loadedMessages('uk')).toBeUndefined();
    expect(await loadMessages('uk')).toBe(uk);
    expect(loadedMessages('uk')).toBe(uk);
  });
});
