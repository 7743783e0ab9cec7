import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { en } from '../src/web/i18n/en.ts';
import { e2eAccounts } from './support/e2e-accounts.ts';
import { logInAs } from './support/session.ts';

test.describe.configure({ timeout: 120_000 });

test('a list downloads under the server’s name by keyboard, and a refused download is shown, not saved', async ({
  page,
}) => {
  await logInAs(page, e2eAccounts.coordinator);
  await page.goto('/packages');
  const csvLink = page.getByRole('link', { name: en.downloads.linkLabel(en.downloads.packages, 'CSV') });
  await expect(csvLink).toBeVisible();

  // What the API itself sends for the same link: the file must be exactly that, under its name.
  const href = (await csvLink.getAttribute('href')) ?? '';
  const direct = await page.request.get(href);
  expect(direct.status()).toBe(200);
  const name = /filename="([^"]+)"/.exec(direct.headers()['content-disposition'] ?? '')?.[1];
  expect(name).toMatch(/\.csv$/);

  const downloading = page.waitForEvent('download');
  await csvLink.focus();
  await page.keyboard.press('Enter');
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(name);
  expect(readFileSync((await download.path()) ?? '', 'utf8')).toBe(await direct.text());
  await expect(page.getByRole('alert')).toHaveCount(0);

  // The Excel file is refused (as when the session has lost the right): the problem is shown by the
  // links and no file is saved.
  await page.route('**/api/v1/packages?format=xlsx', (route) =>
    route.fulfill({
      status: 403,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        status: 403,
        code: 'FORBIDDEN',
        title: 'Forbidden',
        detail: 'Not for this role.',
      }),
    }),
  );
  const saved: string[] = [];
  page.on('download', (file) => saved.push(file.suggestedFilename()));
  await page.getByRole('link', { name: en.downloads.linkLabel(en.downloads.packages, 'Excel') }).click();
  await expect(page.getByRole('alert')).toHaveText(
    en.downloads.failed('Excel', en.errors.byCode.FORBIDDEN ?? ''),
  );
  expect(saved).toEqual([]);
});
