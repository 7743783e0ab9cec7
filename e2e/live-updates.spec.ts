import { expect, request, test } from '@playwright/test';
import { en } from '../src/web/i18n/en.ts';
import { e2eAccounts, e2ePassword, e2ePort } from './support/e2e-accounts.ts';
import { logInAs } from './support/session.ts';

// Launching Chromium and loading the app take seconds on this two-core machine when other work runs beside it.
test.describe.configure({ timeout: 120_000 });

test('the coordinator sees a donor’s new pledge in the register without reloading', async ({ page }) => {
  await logInAs(page, e2eAccounts.coordinator);
  // The stream is open once the server has answered it (headers only: it never ends).
  const streamOpened = page.waitForResponse((response) => response.url().includes('/api/v1/events'));
  await page.goto('/pledges');
  const register = page.getByRole('table', { name: en.pledges.caption });
  await expect(register).toBeVisible();
  expect((await streamOpened).status()).toBe(200);
  // The page is never reloaded: a marker on its window would not survive a reload.
  await page.evaluate(() => {
    (window as unknown as { liveMarker: string }).liveMarker = 'still here';
  });

  // The donor records a pledge through the API, in its own session: nothing of it passes through the page.
  const donor = await request.newContext({ baseURL: `http://127.0.0.1:${e2ePort}` });
  try {
    const session = await donor.post('/api/v1/session', {
      data: { email: e2eAccounts.donor, password: e2ePassword },
    });
    expect(session.status()).toBe(200);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    // Announced before every demo pledge, so that it lands on the register's first page.
    const created = await donor.post('/api/v1/pledges', {
      headers: { 'x-csrf-token': csrfToken },
      data: {
        donor: 'GBR',
        amount: { amount: '4321000.00', currency: 'USD' },
        announcedOn: '2022-03-01',
        forum: 'Live updates journey',
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { ref } = (await created.json()) as { ref: string };

    const row = register
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: ref, exact: true }) });
    await expect(row).toBeVisible();
    await expect(row.locator('.amount')).toHaveText('USD 4,321,000.00');
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker)).toBe(
      'still here',
    );
    await expect(page.getByText(en.live.paused)).toHaveCount(0);
  } finally {
    await donor.dispose();
  }
});
