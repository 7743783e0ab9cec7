import { expect, test } from '@playwright/test';
import { en } from '../src/web/i18n/en.ts';
import { uk } from '../src/web/i18n/uk.ts';
import { e2eAccounts } from './support/e2e-accounts.ts';
import { logIn } from './support/priority-list-page.ts';

test('switching to Ukrainian translates the page, sets <html lang> and survives a reload', async ({
  page,
}) => {
  await logIn(page, e2eAccounts.coordinator);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.getByLabel(en.language.label).selectOption('uk');
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uk.priorityList.heading);
  await expect(page.getByRole('table', { name: uk.priorityList.caption })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uk.priorityList.heading);
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');
  await page.screenshot({ path: 'docs/screenshots/priority-list-uk.png', fullPage: true });
});

test('a page opened right after the switch is in the chosen language, even before its dictionary arrived', async ({
  page,
}) => {
  // The Ukrainian dictionary is a chunk of its own; hold it back so that the next page is opened
  // while the switch is still waiting for it (as on a slow connection).
  let held = 0;
  await page.route(/\/assets\/uk-[^/]*\.js$/, async (route) => {
    held += 1;
    if (held === 1) await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await logIn(page, e2eAccounts.coordinator);
  await page.getByLabel(en.language.label).selectOption('uk');
  await page.goto('/pledges');
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uk.pledges.heading);
  expect(held).toBeGreaterThan(0);
});
