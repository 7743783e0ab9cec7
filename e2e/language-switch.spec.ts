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
