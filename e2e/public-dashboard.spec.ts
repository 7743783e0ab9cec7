import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type APIRequestContext, expect, type Locator, type Page, request, test } from '@playwright/test';
import type { PackageJson, PledgeJson, ProposalJson, PublicSummaryJson } from '../src/contract/index.ts';
import { en } from '../src/web/i18n/en.ts';
import { uk } from '../src/web/i18n/uk.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { e2eAccounts, e2ePassword, e2ePort } from './support/e2e-accounts.ts';

// Setting up a funded package through the API, three logins, axe scans of a long page: slow on two cores.
test.describe.configure({ timeout: 420_000 });

const baseURL = `http://127.0.0.1:${e2ePort}`;

interface Session {
  readonly api: APIRequestContext;
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** A logged-in API session of one demo user (cookie kept by the request context, CSRF token sent). */
async function sessionOf(email: string): Promise<Session> {
  const api = await request.newContext({ baseURL });
  const login = await api.post('/api/v1/session', { data: { email, password: e2ePassword } });
  expect(login.ok(), await login.text()).toBe(true);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return {
    api,
    async call<T>(
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      const response = await api.fetch(path, {
        method,
        headers: { 'x-csrf-token': csrfToken, ...headers },
        ...(body === undefined ? {} : { data: body }),
      });
      expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
      return (await response.json()) as T;
    },
  };
}

async function publicSummary(): Promise<PublicSummaryJson> {
  const api = await request.newContext({ baseURL });
  const response = await api.get('/api/v1/public/summary');
  expect(response.ok()).toBe(true);
  const summary = (await response.json()) as PublicSummaryJson;
  await api.dispose();
  return summary;
}

function fundedByBritain(summary: PublicSummaryJson): PublicSummaryJson['packages'] {
  return summary.packages.filter((pkg) => pkg.donors.some((donor) => donor.code === 'GBR'));
}

/**
 * Makes sure Britain's money funds a package, as the allocation journey leaves it: its £150M is
 * committed, the next package from the top of the list is created, priced, opened, and the plan
 * applied. Skipped when an earlier journey on the same server did it already.
 */
async function ensureBritainFundsAPackage(): Promise<void> {
  if (fundedByBritain(await publicSummary()).length > 0) return;
  const coordinator = await sessionOf(e2eAccounts.coordinator);
  const supplier = await sessionOf(e2eAccounts.supplier);
  const announced = await coordinator.call<{ items: PledgeJson[] }>(
    'GET',
    '/api/v1/pledges?donor=GBR&stage=announced',
  );
  for (const pledge of announced.items) {
    await coordinator.call('POST', `/api/v1/pledges/${pledge.id}/transitions`, {
      to: 'committed',
      on: pledge.announcedOn,
    });
  }
  const proposal = await coordinator.call<ProposalJson>('POST', '/api/v1/packages/proposal', {
    target: { amount: '500000000.00', currency: 'USD' },
  });
  expect(proposal.lines.length).toBeGreaterThan(0);
  const created = await coordinator.call<PackageJson>('POST', '/api/v1/packages', {
    name: proposal.name,
    target: proposal.target,
    lines: proposal.lines.map((line) => ({ requirementId: line.requirementId, quantity: line.quantity })),
  });
  const estimate = new Map(proposal.lines.map((line) => [line.requirementId, line.estimatedAmount]));
  await supplier.call('POST', `/api/v1/packages/${created.id}/transitions`, {
    to: 'priced',
    lines: created.lines.map((line) => ({ lineId: line.id, amount: estimate.get(line.requirementId) })),
  });
  await coordinator.call('POST', `/api/v1/packages/${created.id}/transitions`, { to: 'open' });
  const plan = await coordinator.call<{ planId: string }>('GET', '/api/v1/allocation/plan');
  await coordinator.call(
    'POST',
    '/api/v1/allocation/apply',
    { planId: plan.planId },
    { 'idempotency-key': randomUUID() },
  );
  await coordinator.api.dispose();
  await supplier.api.dispose();
}

/** "USD 197,369,863.01" → "197369863.01": the figures of a cell, as the API writes them. */
function amountOf(text: string): string {
  return text.replace(/[^\d.]/g, '');
}

/** An exact fraction part ÷ whole of two USD decimal strings, as a percentage rounded down to 2 places. */
function percentDown(part: string, whole: string): string {
  const cents = (amount: string) => BigInt(amount.replace('.', ''));
  const basisPoints = (cents(part) * 10_000n) / cents(whole);
  return `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, '0')}`;
}

function table(page: Page, caption: string): Locator {
  return page.getByRole('table', { name: caption });
}

function rowOf(scope: Locator, header: string | RegExp): Locator {
  return scope.getByRole('row').filter({ has: scope.page().getByRole('rowheader', { name: header }) });
}

async function chartsDrawn(page: Page): Promise<void> {
  await expect(page.locator('.chart svg')).toHaveCount(3);
}

test.beforeAll(async () => {
  await ensureBritainFundsAPackage();
});

test('a visitor reads, without logging in, how much Britain committed, to which package, and how much of it is funded', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.dashboard.heading);
  await expect(page.getByRole('button', { name: en.header.logOut })).toHaveCount(0);
  await expect(page.getByRole('link', { name: en.nav.logIn, exact: true })).toBeVisible();
  await expect(page.locator('.as-of time')).toHaveAttribute('datetime', /Z$/);

  // The figures the page must show, computed here from the API's own answer.
  const summary = await publicSummary();
  const britain = summary.byDonor.find((donor) => donor.code === 'GBR');
  expect(britain).toBeDefined();
  const packages = fundedByBritain(summary);
  expect(packages.length).toBeGreaterThan(0);

  // How much Britain committed: its row of the donor table.
  const donors = table(page, en.dashboard.donorsCaption);
  const britainRow = rowOf(donors, /\(GBR\)$/);
  await expect(britainRow).toHaveCount(1);
  const committedText = (await britainRow.locator('[data-stage="committed"]').textContent()) ?? '';
  expect(committedText).toMatch(/^USD\u00a0[\d,]+\.\d{2}$/);
  expect(amountOf(committedText)).toBe(britain?.committed.amount);

  // To which package, how much of it, and what share of the package is funded.
  const funders = table(page, en.dashboard.packageDonorsCaption);
  const britainFunds = rowOf(funders, /\(GBR\)$/);
  const refsOnPage = (await britainFunds.locator('td.ref').allTextContents()).map((ref) => ref.trim());
  expect(refsOnPage.sort()).toEqual(packages.map((pkg) => pkg.ref).sort());
  for (const pkg of packages) {
    const allocated = pkg.donors.find((donor) => donor.code === 'GBR')?.allocated.amount ?? '';
    const line = britainFunds.filter({
      has: page.locator('td.ref', { hasText: new RegExp(`^${pkg.ref}$`) }),
    });
    const cells = await line.getByRole('cell').allTextContents();
    expect(amountOf(cells[1] ?? '')).toBe(allocated);
    expect(pkg.price).not.toBeNull();
    expect(cells[2]).toBe(`${percentDown(allocated, pkg.price?.amount ?? '1')}%`);

    const packageRow = rowOf(table(page, en.dashboard.packagesCaption), new RegExp(`^${pkg.ref}$`));
    await expect(packageRow.locator('.coverage-label')).toHaveText(
      en.coverage.funded(`${percentDown(pkg.funded.amount, pkg.price?.amount ?? '1')}%`),
    );
    await expect(packageRow).toContainText(`(GBR)`);
  }

  // Every figure says what it counts; the exchange-rate rule is on the page.
  await expect(page.getByText(en.dashboard.counts('announced or committed or paid'))).toHaveCount(2);
  await expect(page.getByText(summary.rules.fx).first()).toBeVisible();

  // The donor table downloads as CSV: exact decimal strings, the currency in a column of its own.
  const downloading = page.waitForEvent('download');
  await page
    .getByRole('button', { name: en.dashboard.downloadLabel(en.dashboard.donorsCaption, 'CSV') })
    .click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^purl-public-by-donor-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path()) ?? '', 'utf8');
  const [header, ...lines] = csv.trim().split('\r\n');
  expect(header).toBe('donor_code,donor_name,announced,committed,paid,pledges,undisclosed_pledges,currency');
  expect(lines.find((line) => line.startsWith('GBR,'))).toContain(`,${britain?.committed.amount},`);
  expect(lines.every((line) => line.endsWith(',USD'))).toBe(true);
});

test('the dashboard has no axe violations in English and Ukrainian, works by keyboard and on a phone', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.dashboard.heading);
  await chartsDrawn(page);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: 'docs/screenshots/public-dashboard.png', fullPage: true });

  // The contents link leads to its section by keyboard; the download buttons are buttons.
  const contents = page.getByRole('navigation', { name: en.dashboard.contents });
  await contents.getByRole('link', { name: en.dashboard.packagesHeading }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#dashboard-packages$/);
  await expect(page.getByRole('heading', { level: 2, name: en.dashboard.packagesHeading })).toBeInViewport();

  await page.getByLabel(en.language.label).selectOption('uk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uk.dashboard.heading);
  await expect(page.getByRole('table', { name: uk.dashboard.donorsCaption })).toBeVisible();
  await chartsDrawn(page);
  await expectNoAxeViolations(page);

  await page.setViewportSize({ width: 390, height: 844 });
  await chartsDrawn(page);
  // The charts follow the new width through a ResizeObserver, a frame or more after the viewport
  // changes: the page must fit the phone once they have, not in the same instant.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'docs/screenshots/public-dashboard-phone-uk.png', fullPage: true });
  await page.getByLabel(uk.language.label).selectOption('en');
});

test('the login form lives at /login and a logged-in user reaches the dashboard from the header', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: en.nav.logIn, exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: en.login.heading, exact: true })).toBeFocused();
  await page.getByLabel(en.login.email).fill(e2eAccounts.auditor);
  await page.getByLabel(en.login.password).fill(e2ePassword);
  await page.getByRole('button', { name: en.login.submit, exact: true }).click();
  await expect(page).toHaveURL(/\/requirements$/);
  await page.getByRole('link', { name: en.nav.dashboard, exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.dashboard.heading);
  await expect(page.getByRole('link', { name: en.nav.dashboard, exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await page.getByRole('button', { name: en.header.logOut, exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status').filter({ hasText: en.login.loggedOut })).toBeVisible();
});
