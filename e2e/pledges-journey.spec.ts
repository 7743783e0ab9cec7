import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { en } from '../src/web/i18n/en.ts';
import { uk } from '../src/web/i18n/uk.ts';
import { e2eAccounts } from './support/e2e-accounts.ts';
import { callApi, logInAs, logOut } from './support/session.ts';

// Each axe scan takes seconds of CPU on this two-core machine, more when other tests run beside it.
test.describe.configure({ timeout: 180_000 });

/** Dates of the journey: the rate and the announcement, the commitment, and a day with no rate at all. */
const announcedOn = '2026-02-12';
const committedOn = '2026-02-13';
/** More than Limits.fxRateAgeDaysMax after the last GBP rate of the demo and of this test. */
const dayWithoutRate = '2026-06-01';

/** No violation of any axe rule on the page as it is now. */
async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
  expect(found).toEqual([]);
}

function register(page: Page): Locator {
  return page.getByRole('table', { name: en.pledges.caption });
}

function rowOf(page: Page, ref: string): Locator {
  return register(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: ref, exact: true }) });
}

function factOf(page: Page, term: string): Locator {
  return page
    .locator('.detail-facts > div')
    .filter({ has: page.getByText(term, { exact: true }) })
    .locator('dd');
}

test('a coordinator records a public pledge, commits it, and the donor finds it in its own pledges', async ({
  page,
}) => {
  await logInAs(page, e2eAccounts.coordinator);
  const nav = page.getByRole('navigation', { name: en.nav.label });
  await expect(nav.getByRole('link')).toHaveText([
    en.nav.requirements,
    en.nav.pledges,
    en.nav.packages,
    en.nav.allocation,
    en.nav.ledger,
  ]);
  await expect(page).toHaveURL(/\/requirements$/);

  // The valuation needs the GBP rate of the announcement date, which the coordinator imports first.
  const rate = await callApi(page, 'POST', '/api/v1/fx-rates', {
    currency: 'GBP',
    date: announcedOn,
    perUsd: '0.7350000000',
    source: 'test',
  });
  expect(rate.status).toBe(201);

  await nav.getByRole('link', { name: en.nav.pledges, exact: true }).click();
  await expect(page).toHaveURL(/\/pledges$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.pledges.heading);
  await expect(register(page)).toBeVisible();
  await expect(nav.getByRole('link', { name: en.nav.pledges, exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );

  await page.getByRole('link', { name: en.pledges.record, exact: true }).click();
  await expect(page).toHaveURL(/\/pledges\/new$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.pledgeForm.heading);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  const form = page.locator('form.pledge-form');
  await form.getByLabel(en.pledgeForm.donor, { exact: true }).fill('gbr');
  await form.getByLabel(en.form.amount, { exact: true }).fill('150000000.001');
  await form.getByLabel(en.form.currency, { exact: true }).fill('GBP');
  await form.getByLabel(en.pledgeForm.announcedOn).fill(announcedOn);
  await form.getByLabel(/^Forum/).fill('Ukraine Defense Contact Group, Brussels');
  await form.getByRole('checkbox', { name: 'Air and missile defence' }).check();
  await form.getByRole('button', { name: en.pledgeForm.submit }).click();

  // Checked in the browser first: too many decimals for GBP, and a coordinator's pledge cites its source.
  await expect(form.getByRole('alert')).toHaveText(en.form.fixErrors);
  await expect(form.getByText(en.form.amountDecimals('GBP', 2))).toBeVisible();
  await expect(form.getByText(en.pledgeForm.sourceRequired)).toBeVisible();
  await expect(form.getByLabel(en.form.amount, { exact: true })).toBeFocused();
  await expect(form.getByLabel(en.form.amount, { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);

  await form.getByLabel(en.form.amount, { exact: true }).fill('150 000 000');
  await form.getByLabel(/^Source URL/).fill('https://www.gov.uk/government/news/uk-pledge-purl?a=1&b=<2>');
  await form.getByRole('button', { name: en.pledgeForm.submit }).click();

  // The new pledge's page, reached by replacing the form in the history.
  await expect(page).toHaveURL(/\/pledges\/[^/]+$/);
  await expect(page).not.toHaveURL(/\/pledges\/new$/);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/^Pledge P-\d+$/);
  const ref = ((await heading.textContent()) ?? '').replace('Pledge ', '');
  await expect(page.getByRole('status').filter({ hasText: en.pledgeForm.recorded(ref) })).toBeVisible();
  await expect(factOf(page, en.pledges.columns.donor)).toHaveText('GBR');
  await expect(factOf(page, en.pledge.amount)).toHaveText('GBP 150,000,000.00');
  // 150,000,000.00 GBP at 0.735 GBP per USD, rounded once: 204,081,632.65306… → .65.
  await expect(factOf(page, en.pledge.usd)).toHaveText('USD 204,081,632.65');
  await expect(factOf(page, en.pledge.rate)).toHaveText(/^0\.735(0*) GBP per USD$/);
  await expect(factOf(page, en.pledge.rateDate)).toHaveText('12 Feb 2026');
  await expect(factOf(page, en.pledges.columns.earmark)).toHaveText('Air and missile defence');
  const source = factOf(page, en.pledges.columns.source).getByRole('link');
  await expect(source).toHaveAttribute(
    'href',
    'https://www.gov.uk/government/news/uk-pledge-purl?a=1&b=%3C2%3E',
  );
  await expect(source).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(source).toHaveAttribute('target', '_blank');
  const stages = page.getByRole('table', { name: en.pledge.historyCaption });
  await expect(stages.getByRole('row', { name: /Announced/ })).toContainText('12 Feb 2026');
  await expect(stages.getByRole('row', { name: /Committed/ })).toContainText(en.pledge.notYet);
  await expectNoAxeViolations(page);

  // No rate is in force on a day months after the last one: a clear refusal, and nothing changes.
  const on = page.getByLabel(en.pledge.on);
  await on.fill(dayWithoutRate);
  await page.getByRole('button', { name: en.pledge.transitions.committed, exact: true }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: en.pledge.fxRateMissing('GBP', '1 Jun 2026') }),
  ).toBeVisible();
  await expect(stages.getByRole('row', { name: /Committed/ })).toContainText(en.pledge.notYet);

  await on.fill(committedOn);
  await page.getByRole('button', { name: en.pledge.transitions.committed, exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: en.pledge.transitioned(ref, en.stages.committed) }),
  ).toBeVisible();
  await expect(stages.getByRole('row', { name: /Committed/ })).toContainText('13 Feb 2026');
  await expect(page.getByRole('button', { name: en.pledge.transitions.committed, exact: true })).toHaveCount(
    0,
  );
  await expect(page.getByRole('button', { name: en.pledge.transitions.paid, exact: true })).toBeVisible();

  // Back in the register, the pledge is committed; the filters are part of the address.
  await page.getByRole('link', { name: en.pledge.back, exact: true }).click();
  await expect(rowOf(page, ref)).toBeVisible();
  await expect(rowOf(page, ref).locator('.stage')).toHaveText(en.stages.committed);
  await expect(rowOf(page, ref).locator('.amount')).toHaveText('GBP 150,000,000.00');
  await expect(rowOf(page, ref).locator('.usd')).toContainText('USD 204,081,632.65');
  await expect(rowOf(page, ref).locator('.usd')).toContainText('GBP per USD on 12 Feb 2026, test');
  await page.getByLabel(en.pledges.stage, { exact: true }).selectOption('committed');
  await page.getByLabel(en.pledges.donor, { exact: true }).fill('GBR');
  await page.getByRole('button', { name: en.pledges.apply, exact: true }).click();
  await expect(page).toHaveURL(/\/pledges\?stage=committed&donor=GBR$/);
  await expect(rowOf(page, ref)).toBeVisible();
  for (const stage of await register(page).locator('tbody .stage').allTextContents()) {
    expect(stage).toBe(en.stages.committed);
  }
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: en.pledges.clear, exact: true }).click();
  await expect(page).toHaveURL(/\/pledges$/);
  await expect(rowOf(page, ref)).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/pledge-register.png', fullPage: true });

  // The UK donor lands on its own pledges, this one among them, and may move it on.
  await logOut(page);
  await logInAs(page, e2eAccounts.donor);
  await expect(page).toHaveURL(/\/pledges$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.pledges.headingDonor);
  await expect(nav.getByRole('link')).toHaveText([en.nav.myPledges, en.nav.myPackages, en.nav.whatIf]);
  await expect(rowOf(page, ref)).toBeVisible();
  await expect(rowOf(page, ref).locator('.stage')).toHaveText(en.stages.committed);
  await expect(register(page).getByRole('columnheader', { name: en.pledges.columns.donor })).toHaveCount(0);
  await rowOf(page, ref).getByRole('link', { name: ref, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.pledge.heading(ref));
  await expect(page.getByRole('button', { name: en.pledge.transitions.paid, exact: true })).toBeVisible();

  // The donor downloads, by keyboard, the receipt of the commitment and checks it as the page says:
  // `purl audit verify --receipt` with no database at all, as a donor would on its own machine.
  const receipts = page.getByRole('table', { name: en.receipts.caption(ref) });
  await expect(receipts.locator('tbody tr')).toHaveCount(2);
  await expect(receipts.locator('tbody tr code:not(.abbreviated)')).toHaveText([
    'pledge.transition',
    'pledge.create',
  ]);
  await expect(page.getByText(en.receipts.verifyCommand, { exact: true })).toBeVisible();
  const newest = receipts.locator('tbody tr').first();
  const seq = (await newest.getByRole('rowheader').textContent()) ?? '';
  const button = newest.getByRole('button', {
    name: `${en.receipts.download}${en.receipts.downloadOf(Number(seq))}`,
  });
  await button.focus();
  const downloading = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${ref}-receipt-${seq}.json`);
  const folder = mkdtempSync(join(tmpdir(), 'purl-receipt-'));
  try {
    const file = join(folder, download.suggestedFilename());
    await download.saveAs(file);
    const verified = spawnSync(process.execPath, ['bin/purl.js', 'audit', 'verify', '--receipt', file], {
      encoding: 'utf8',
      env: { ...process.env, PURL_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/no-database', NO_COLOR: '1' },
    });
    expect(verified.status, `${verified.stdout}${verified.stderr}`).toBe(0);
    expect(verified.stdout).toContain(`the receipt of audit event ${seq} is intact`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  await expectNoAxeViolations(page);
  await page.screenshot({ path: 'docs/screenshots/donor-pledge-receipts.png', fullPage: true });
});

test('the pledge pages open from deep links and have no axe violations in Ukrainian', async ({ page }) => {
  await logInAs(page, e2eAccounts.coordinator);
  await page.getByLabel(en.language.label).selectOption('uk');
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');

  await page.goto('/pledges?stage=announced');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uk.pledges.heading);
  await expect(page.getByLabel(uk.pledges.stage, { exact: true })).toHaveValue('announced');
  await expect(page.getByRole('table', { name: uk.pledges.caption })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto('/pledges/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uk.pledgeForm.heading);
  await page.getByRole('checkbox', { name: uk.pledgeForm.undisclosed }).check();
  await expect(page.getByLabel(uk.pledgeForm.visibility)).toHaveValue('amount-undisclosed');
  await expect(page.getByLabel(uk.pledgeForm.visibility)).toBeDisabled();
  await expectNoAxeViolations(page);

  await page.goto('/pledges/no-such-pledge');
  await expect(page.getByRole('alert').filter({ hasText: uk.pledge.notFound })).toBeVisible();

  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uk.pages.notFoundHeading);
});
