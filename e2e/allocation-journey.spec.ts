import { expect, type Locator, type Page, test } from '@playwright/test';
import { en } from '../src/web/i18n/en.ts';
import { uk } from '../src/web/i18n/uk.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { e2eAccounts } from './support/e2e-accounts.ts';
import { callApi, logInAs, logOut } from './support/session.ts';

// A journey of five logins and a dozen axe scans on a two-core machine.
test.describe.configure({ timeout: 300_000 });

/** The day the UK announced its £150M; the demo holds the GBP rate of that day. */
const ukCommittedOn = '2026-02-11';

function nav(page: Page): Locator {
  return page.getByRole('navigation', { name: en.nav.label });
}

function heading(page: Page): Locator {
  return page.getByRole('heading', { level: 1 });
}

function statusNotice(page: Page, text: string | RegExp): Locator {
  return page.getByRole('status').filter({ hasText: text });
}

/** "USD 80,000,000.00" → "80000000.00": the figures of a cell, as the API writes them. */
function amountOf(text: string): string {
  return text.replace(/[^\d.]/g, '');
}

/** The card of a package on the board (or in one of its sections). */
function cardOf(scope: Page | Locator, ref: string): Locator {
  return scope.getByRole('article', { name: new RegExp(`^${ref} `) });
}

/** 49990000000n cents → "USD 499,900,000.00", as the app writes it in English. */
function usdText(cents: bigint): string {
  return `USD\u00a0${(cents / 100n).toLocaleString('en-GB')}.${(cents % 100n).toString().padStart(2, '0')}`;
}

async function openPackageFromBoard(page: Page, ref: string): Promise<void> {
  await nav(page).getByRole('link', { name: en.nav.packages, exact: true }).click();
  await expect(page).toHaveURL(/\/packages$/);
  await cardOf(page, ref)
    .getByRole('link', { name: new RegExp(`^${ref} `) })
    .click();
  await expect(heading(page)).toHaveText(new RegExp(`^${ref}: `));
}

test('a coordinator proposes a package, the supplier prices it, a donor previews a pledge, the plan is applied and the board shows the coverage', async ({
  page,
}) => {
  // 1. The coordinator proposes the next package from the top of the list, up to $500M, and creates it.
  await logInAs(page, e2eAccounts.coordinator);
  await expect(nav(page).getByRole('link')).toHaveText([
    en.nav.requirements,
    en.nav.pledges,
    en.nav.packages,
    en.nav.allocation,
    en.nav.ledger,
  ]);
  await nav(page).getByRole('link', { name: en.nav.packages, exact: true }).click();
  await expect(heading(page)).toHaveText(en.packages.heading);
  // The demo's history: the money committed in 2025 funded the first four packages.
  const history = page.getByRole('region', { name: /^Funded \(/ });
  for (const done of ['PKG-1', 'PKG-2', 'PKG-3', 'PKG-4']) await expect(cardOf(history, done)).toBeVisible();
  await page.getByRole('link', { name: en.packages.propose, exact: true }).click();
  await expect(page).toHaveURL(/\/packages\/new$/);
  await expect(heading(page)).toBeFocused();

  const target = page.getByLabel(en.proposal.target);
  await target.fill('500000000.001');
  await page.getByRole('button', { name: en.proposal.propose, exact: true }).click();
  await expect(page.getByText(en.form.amountDecimals('USD', 2))).toBeVisible();
  await expect(target).toBeFocused();
  await target.fill('500000000.00');
  await page.getByRole('button', { name: en.proposal.propose, exact: true }).click();

  await expect(page.getByRole('heading', { name: en.proposal.resultHeading })).toBeFocused();
  const proposed = page.getByRole('table', { name: en.proposal.linesCaption });
  await expect(proposed.getByRole('row')).not.toHaveCount(1);
  const estimates = new Map<string, string>();
  for (const row of await proposed.locator('tbody tr').all()) {
    const ref = ((await row.getByRole('rowheader').textContent()) ?? '').trim();
    const cells = await row.getByRole('cell').allTextContents();
    estimates.set(ref, amountOf(cells[cells.length - 1] ?? ''));
  }
  expect(estimates.size).toBeGreaterThan(1);
  const priceCents = [...estimates.values()].reduce(
    (sum, amount) => sum + BigInt(amount.replace('.', '')),
    0n,
  );
  expect(priceCents).toBeLessThanOrEqual(50_000_000_000n);
  // What did not fit, and why: the sentences of the server, marked as English.
  const leftOut = page.getByRole('table', { name: en.proposal.notIncludedCaption });
  await expect(leftOut.locator('tbody tr').first()).toBeVisible();
  await expect(leftOut.locator('td.reason').last()).toContainText('rank order');
  await expect(leftOut.locator('td.reason').first()).toHaveAttribute('lang', 'en');
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: en.proposal.create, exact: true }).click();
  await expect(page).toHaveURL(/\/packages\/[^/]+$/);
  await expect(page).not.toHaveURL(/\/packages\/new$/);
  await expect(heading(page)).toHaveText(/^PKG-\d+: /);
  const ref = ((await heading(page).textContent()) ?? '').split(':')[0] ?? '';
  await expect(statusNotice(page, en.packageDetail.created(ref))).toBeVisible();
  await expect(page.locator('.page-heading .status')).toHaveText(en.packageStatuses.draft);
  const lines = page.getByRole('table', { name: en.packageDetail.linesCaption(ref) });
  await expect(lines.locator('tbody tr')).toHaveCount(estimates.size);
  await expect(page.getByText(en.coverage.notPriced)).toBeVisible();
  await expectNoAxeViolations(page);

  // 2. The supplier lands on the board, finds the draft and prices every line.
  await logOut(page);
  await logInAs(page, e2eAccounts.supplier);
  await expect(page).toHaveURL(/\/packages$/);
  await expect(nav(page).getByRole('link')).toHaveText([en.nav.packages, en.nav.requirements]);
  const drafts = page.getByRole('region', { name: /^Draft \(/ });
  await expect(cardOf(drafts, ref)).toBeVisible();
  await openPackageFromBoard(page, ref);
  const pricing = page.locator('form.pricing-form');
  await expect(pricing.getByRole('heading', { name: en.packageDetail.pricingHeading })).toBeVisible();
  await pricing.getByRole('button', { name: en.packageDetail.pricingSubmit }).click();
  await expect(pricing.getByRole('alert')).toHaveText(en.form.fixErrors);
  await expect(pricing.getByText(en.packageDetail.priceRequired).first()).toBeVisible();
  await expectNoAxeViolations(page);
  for (const [requirementRef, amount] of estimates) {
    await pricing.getByLabel(new RegExp(`^${requirementRef} \\(`)).fill(amount);
  }
  await expect(pricing.locator('.pricing-total')).toContainText(usdText(priceCents));
  await pricing.getByRole('button', { name: en.packageDetail.pricingSubmit }).click();
  await expect(
    statusNotice(page, en.packageDetail.transitioned(ref, en.packageStatuses.priced)),
  ).toBeVisible();
  await expect(page.locator('.page-heading .status')).toHaveText(en.packageStatuses.priced);
  await expect(page.locator('.package-facts')).toContainText(usdText(priceCents));
  await expect(page.getByRole('progressbar', { name: en.coverage.label(ref) })).toHaveAttribute(
    'aria-valuetext',
    en.coverage.funded('0.00%'),
  );

  // 3. The coordinator opens it for funding.
  await logOut(page);
  await logInAs(page, e2eAccounts.coordinator);
  await openPackageFromBoard(page, ref);
  await page.getByRole('button', { name: en.packageDetail.open, exact: true }).click();
  await expect(statusNotice(page, en.packageDetail.transitioned(ref, en.packageStatuses.open))).toBeVisible();
  await expect(page.getByRole('button', { name: en.packageDetail.open, exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: en.packageDetail.cancel, exact: true })).toBeVisible();

  // 4. The UK asks what a further $50M for air defence would fund, before committing anything.
  await logOut(page);
  await logInAs(page, e2eAccounts.donor);
  await expect(nav(page).getByRole('link')).toHaveText([en.nav.myPledges, en.nav.myPackages, en.nav.whatIf]);
  await nav(page).getByRole('link', { name: en.nav.whatIf, exact: true }).click();
  await expect(heading(page)).toHaveText(en.allocation.headingDonor);
  await expect(page.getByRole('button', { name: en.allocation.apply })).toHaveCount(0);
  await expect(page.getByText(en.allocation.whatIf.donorFixed('GBR'))).toBeVisible();
  await page.getByLabel(en.form.amount, { exact: true }).fill('50000000.00');
  await page.getByRole('checkbox', { name: 'Air and missile defence' }).check();
  await page.getByRole('button', { name: en.allocation.whatIf.submit, exact: true }).click();
  await expect(page.getByRole('heading', { name: en.allocation.whatIf.resultHeading })).toBeFocused();
  const use = page.getByRole('table', { name: en.allocation.whatIf.pledgeUseCaption });
  const hypothetical = use.getByRole('row').filter({ hasText: en.allocation.hypothetical });
  await expect(hypothetical).toHaveCount(1);
  await expect(hypothetical).toContainText(`${ref} line`);
  await expect(hypothetical.locator('.allocated')).not.toHaveText('USD\u00a00.00');
  await expect(page.locator('.what-if-summary')).toContainText('USD\u00a050,000,000.00');
  await expectNoAxeViolations(page);

  // 5. The coordinator commits the UK's £150M for air defence, from the register, on the day it was announced.
  await logOut(page);
  await logInAs(page, e2eAccounts.coordinator);
  await page.goto('/pledges?stage=announced&donor=GBR');
  const register = page.getByRole('table', { name: en.pledges.caption });
  const ukRow = register.getByRole('row').filter({ hasText: 'GBP\u00a0150,000,000.00' });
  await expect(ukRow).toHaveCount(1);
  const pledgeRef = ((await ukRow.getByRole('rowheader').textContent()) ?? '').trim();
  expect(pledgeRef).toMatch(/^P-\d+$/);
  await ukRow.getByRole('link', { name: pledgeRef, exact: true }).click();
  await expect(heading(page)).toHaveText(en.pledge.heading(pledgeRef));
  await page.getByLabel(en.pledge.on).fill(ukCommittedOn);
  await page.getByRole('button', { name: en.pledge.transitions.committed, exact: true }).click();
  await expect(statusNotice(page, en.pledge.transitioned(pledgeRef, en.stages.committed))).toBeVisible();

  // 6. The workbench shows the plan; a change of its inputs after it was read makes "Apply" refuse
  //    (nothing written) and show the new plan, which is then applied.
  await nav(page).getByRole('link', { name: en.nav.allocation, exact: true }).click();
  await expect(heading(page)).toHaveText(en.allocation.heading);
  const planTable = page.getByRole('table', { name: en.allocation.packageCaption(ref) });
  await expect(planTable.locator('tbody tr')).toHaveCount(estimates.size);
  // The UK's money alone does not cover the package: the short lines say why.
  await expect(page.getByRole('heading', { name: en.allocation.shortfallsHeading })).toBeVisible();
  await expect(page.locator('.shortfall').first()).toBeVisible();
  const pledgeUses = page.getByRole('table', { name: en.allocation.pledgesCaption });
  await expect(pledgeUses.getByRole('rowheader', { name: pledgeRef, exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: en.allocation.whatIf.heading })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.screenshot({ path: 'docs/screenshots/allocation-workbench.png', fullPage: true });
  const planIdBefore = await page.locator('code[title]').getAttribute('title');

  // Another coordinator commits Poland's $100M meanwhile (through the API, as a second session would).
  const polish = await callApi(page, 'GET', '/api/v1/pledges?donor=POL&stage=announced', undefined);
  const polishPledge = (polish.body as { items: { id: string; version: number }[] }).items[0];
  expect(polishPledge).toBeDefined();
  const committed = await page.evaluate(
    async ({ id, version }) => {
      const stored = JSON.parse(sessionStorage.getItem('purl.session') ?? '{}') as { csrfToken?: string };
      const response = await fetch(`/api/v1/pledges/${id}/transitions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': stored.csrfToken ?? '',
          'if-match': `"${version}"`,
        },
        body: JSON.stringify({ to: 'committed', on: '2026-02-12' }),
      });
      return response.status;
    },
    { id: polishPledge?.id ?? '', version: polishPledge?.version ?? 0 },
  );
  expect(committed).toBe(200);

  const apply = page.getByRole('button', { name: en.allocation.apply, exact: true });
  const staleRequest = page.waitForRequest((request) => request.url().endsWith('/api/v1/allocation/apply'));
  await apply.click();
  expect((await staleRequest).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  await expect(statusNotice(page, en.allocation.stale)).toBeVisible();
  await expect(page.locator('code[title]')).not.toHaveAttribute('title', planIdBefore ?? '');

  await apply.click();
  await expect(statusNotice(page, /^Plan applied: USD/)).toBeVisible();
  await expect(statusNotice(page, `${ref} is ${en.packageStatuses.open}`)).toBeVisible();
  await expect(page.getByText(en.allocation.nothingToApply)).toBeVisible();

  // 7. The board shows the new coverage, exact and in words, in both languages and on a phone.
  await nav(page).getByRole('link', { name: en.nav.packages, exact: true }).click();
  const openRegion = page.getByRole('region', { name: /^Open \(/ });
  const card = cardOf(openRegion, ref);
  await expect(card).toBeVisible();
  const bar = card.getByRole('progressbar', { name: en.coverage.label(ref) });
  await expect(bar).toHaveAttribute('aria-valuetext', /^\d{1,3}\.\d{2}% funded$/);
  expect(Number.parseFloat((await bar.getAttribute('aria-valuenow')) ?? '0')).toBeGreaterThan(0);
  const coverageOnBoard = (await bar.getAttribute('aria-valuetext')) ?? '';
  await expect(card.locator('.coverage-label')).toHaveText(coverageOnBoard);
  await expect(page.getByText(en.coverage.rule)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.screenshot({ path: 'docs/screenshots/package-board.png', fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByLabel(en.language.label).selectOption('uk');
  await expect(heading(page)).toHaveText(uk.packages.heading);
  const openUk = page.getByRole('region', { name: new RegExp(`^${uk.packageStatuses.open} \\(`) });
  await expect(
    cardOf(openUk, ref).getByRole('progressbar', { name: uk.coverage.label(ref) }),
  ).toHaveAttribute('aria-valuetext', /^профінансовано \d{1,3},\d{2}%$/);
  await expectNoAxeViolations(page);
  await page.getByLabel(uk.language.label).selectOption('en');

  // The UK now finds the package among those its money funds.
  await logOut(page);
  await logInAs(page, e2eAccounts.donor);
  await nav(page).getByRole('link', { name: en.nav.myPackages, exact: true }).click();
  await expect(heading(page)).toHaveText(en.packages.headingDonor);
  await expect(cardOf(page, ref)).toBeVisible();

  // 8. The public dashboard, a link away in the header, shows the package's new coverage and its funders.
  await page.getByRole('banner').getByRole('link', { name: en.nav.dashboard, exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(heading(page)).toHaveText(en.dashboard.heading);
  const publicRow = page
    .getByRole('table', { name: en.dashboard.packagesCaption })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: ref, exact: true }) });
  // The same status and coverage as the board, read from the page.
  await expect(publicRow.locator('.status')).toHaveText(en.packageStatuses.open);
  await expect(publicRow.locator('.coverage-label')).toHaveText(coverageOnBoard);
  await expect(publicRow).toContainText('(GBR)');
  const funders = page
    .getByRole('table', { name: en.dashboard.packageDonorsCaption })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: /\(GBR\)$/ }) })
    .filter({ hasText: ref });
  await expect(funders).toHaveCount(1);
});

test('the package and allocation pages open from deep links, by keyboard, with no axe violations in Ukrainian', async ({
  page,
}) => {
  await logInAs(page, e2eAccounts.auditor);
  await expect(nav(page).getByRole('link')).toHaveText([
    en.nav.requirements,
    en.nav.pledges,
    en.nav.packages,
    en.nav.allocation,
    en.nav.ledger,
    en.nav.audit,
  ]);
  await page.getByLabel(en.language.label).selectOption('uk');

  await page.goto('/allocation');
  await expect(heading(page)).toHaveText(uk.allocation.heading);
  // The auditor reads the plan; only a coordinator applies it, and only coordinators and donors ask "what if".
  await expect(page.getByRole('heading', { name: uk.allocation.summaryHeading })).toBeVisible();
  await expect(page.getByRole('button', { name: uk.allocation.apply })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: uk.allocation.whatIf.heading })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.goto('/packages');
  await expect(heading(page)).toHaveText(uk.packages.heading);
  const first = page.locator('.package-card a').first();
  await expect(first).toBeVisible();
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(heading(page)).toHaveText(/^PKG-\d+: /);
  await expect(heading(page)).toBeFocused();
  await expect(page.getByRole('heading', { name: uk.packageDetail.actionsHeading })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.goto('/packages/no-such-package');
  await expect(page.getByRole('alert').filter({ hasText: uk.packageDetail.notFound })).toBeVisible();

  await page.goto('/packages/new');
  await expect(page.getByText(uk.proposal.noAccess)).toBeVisible();
});

test('the supplier contracts a funded package and records a shipment, never more than is left to ship', async ({
  page,
}) => {
  await logInAs(page, e2eAccounts.supplier);
  const funded = page.getByRole('region', { name: /^Funded \(/ });
  const link = funded.locator('.package-card a').first();
  await expect(link).toBeVisible();
  await link.click();
  await expect(heading(page)).toHaveText(/^PKG-\d+: /);
  const ref = ((await heading(page).textContent()) ?? '').split(':')[0] ?? '';
  await page.getByRole('button', { name: en.packageDetail.contracted, exact: true }).click();
  await expect(
    statusNotice(page, en.packageDetail.transitioned(ref, en.packageStatuses.contracted)),
  ).toBeVisible();

  const form = page.locator('form.delivery-form');
  await form.getByRole('button', { name: en.packageDetail.recordSubmit }).click();
  await expect(form.getByText(en.packageDetail.lineRequired)).toBeVisible();
  await expect(form.getByLabel(en.packageDetail.recordLine)).toBeFocused();
  const line = form.getByLabel(en.packageDetail.recordLine);
  const option = (await line.locator('option').nth(1).textContent()) ?? '';
  const lineRef = option.split(' ')[0] ?? '';
  await line.selectOption({ index: 1 });
  await form.getByLabel(en.packageDetail.recordQuantity).fill('999999999');
  await form.getByRole('button', { name: en.packageDetail.recordSubmit }).click();
  await expect(form.getByLabel(en.packageDetail.recordQuantity)).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel(en.packageDetail.recordQuantity).fill('2');
  await form.getByLabel(en.packageDetail.recordShippedOn).fill('2026-03-02');
  await expectNoAxeViolations(page);
  await form.getByRole('button', { name: en.packageDetail.recordSubmit }).click();
  await expect(statusNotice(page, en.packageDetail.recorded(lineRef, '2'))).toBeVisible();
  await expect(page.locator('.page-heading .status')).toHaveText(en.packageStatuses.delivering);
  const shipments = page.getByRole('table', { name: en.packageDetail.deliveriesCaption(ref) });
  await expect(shipments.getByRole('row').filter({ hasText: lineRef })).toContainText('2 Mar 2026');
  await expect(shipments.getByRole('row').filter({ hasText: lineRef })).toContainText(
    en.packageDetail.notReceived,
  );
  await page.screenshot({ path: 'docs/screenshots/supplier-delivery.png', fullPage: true });
});
