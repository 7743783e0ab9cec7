import { expect, test } from '@playwright/test';
import { en } from '../src/web/i18n/en.ts';
import { e2eAccounts } from './support/e2e-accounts.ts';
import { logIn, priorityTable, refsInOrder, rowOf, statusOf } from './support/priority-list-page.ts';

test('a recipient reorders the list by keyboard, a coordinator validates a line, and both survive a reload', async ({
  page,
}) => {
  await logIn(page, e2eAccounts.recipient);
  const banner = page.getByRole('banner');
  await expect(banner).toContainText('UKR');
  await expect(banner).toContainText(en.roles.recipient);

  const before = await refsInOrder(page);
  expect(before.length).toBeGreaterThanOrEqual(2);
  const [first, second, ...rest] = before as [string, string, ...string[]];
  const expectedOrder = [second, first, ...rest];

  // The keyboard path: focus the second line's "Move up" and press Enter.
  await page.getByRole('button', { name: en.priorityList.moveUpLabel(second), exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: en.priorityList.moved(second, 1) })).toBeVisible();
  await expect.poll(() => refsInOrder(page)).toEqual(expectedOrder);
  // At the top it cannot move up any more, so focus stays on the line, on its "Move down".
  await expect(
    page.getByRole('button', { name: en.priorityList.moveDownLabel(second), exact: true }),
  ).toBeFocused();
  await page.screenshot({ path: 'docs/screenshots/recipient-priority-list.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'docs/screenshots/recipient-priority-list-phone.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole('button', { name: en.header.logOut, exact: true }).click();
  await expect(page.getByRole('heading', { name: en.login.heading, exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: en.login.loggedOut })).toBeVisible();

  await logIn(page, e2eAccounts.coordinator);
  await expect(page.getByRole('banner')).toContainText(en.roles.coordinator);
  const submitted = priorityTable(page)
    .getByRole('row')
    .filter({ has: page.locator('.status', { hasText: en.statuses.submitted }) })
    .first();
  const ref = (await submitted.getByRole('rowheader').textContent())?.trim() ?? '';
  expect(ref).toMatch(/^REQ-\d+$/);
  await rowOf(page, ref)
    .getByRole('button', { name: en.priorityList.transitionLabel.validated(ref), exact: true })
    .click();
  await expect(statusOf(page, ref)).toHaveText(en.statuses.validated);

  await page.reload();
  await priorityTable(page).waitFor();
  await expect.poll(() => refsInOrder(page)).toEqual(expectedOrder);
  await expect(statusOf(page, ref)).toHaveText(en.statuses.validated);
  await expect(page.getByRole('banner')).toContainText(en.roles.coordinator);
  await page.screenshot({ path: 'docs/screenshots/coordinator-validated.png', fullPage: true });
});
