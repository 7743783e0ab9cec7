import { expect, type Page } from '@playwright/test';
import { en } from '../../src/web/i18n/en.ts';
import { e2ePassword } from './e2e-accounts.ts';

/** Logs in through the login form at "/login" and waits until the app shows the user's first page. */
export async function logInAs(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(en.login.email).fill(email);
  await page.getByLabel(en.login.password).fill(e2ePassword);
  await page.getByRole('button', { name: en.login.submit, exact: true }).click();
  await expect(page.getByRole('button', { name: en.header.logOut, exact: true })).toBeVisible();
  await expect(page).not.toHaveURL(/\/(login)?$/);
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: en.header.logOut, exact: true }).click();
  await expect(page.getByRole('heading', { name: en.login.heading, exact: true })).toBeVisible();
}

/**
 * Calls the API from inside the page, as the logged-in user: the session cookie goes along, and
 * the CSRF token is the one the web app keeps in sessionStorage.
 */
export async function callApi(
  page: Page,
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const stored = JSON.parse(sessionStorage.getItem('purl.session') ?? '{}') as { csrfToken?: string };
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': stored.csrfToken ?? '' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    { method, path, body },
  );
}
