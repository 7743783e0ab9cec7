import type { Locator, Page } from '@playwright/test';
import { en } from '../../src/web/i18n/en.ts';
import { logInAs } from './session.ts';

/** Logs in through the login form and waits for the priority list, the first page of these roles. */
export async function logIn(page: Page, email: string): Promise<void> {
  await logInAs(page, email);
  await priorityTable(page).waitFor();
}

export function priorityTable(page: Page): Locator {
  return page.getByRole('table', { name: en.priorityList.caption });
}

/** The refs of the lines, top to bottom, as the page shows them. */
export function refsInOrder(page: Page): Promise<string[]> {
  return priorityTable(page).getByRole('rowheader').allTextContents();
}

export function rowOf(page: Page, ref: string): Locator {
  return priorityTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: ref, exact: true }) });
}

export function statusOf(page: Page, ref: string): Locator {
  return rowOf(page, ref).locator('.status');
}
