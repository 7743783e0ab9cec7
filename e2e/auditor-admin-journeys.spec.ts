import { expect, type Locator, type Page, test } from '@playwright/test';
import { en } from '../src/web/i18n/en.ts';
import { uk } from '../src/web/i18n/uk.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { e2eAccounts } from './support/e2e-accounts.ts';
import { callApi, logInAs, logOut } from './support/session.ts';

// Four logins and a dozen axe scans on a two-core machine.
test.describe.configure({ timeout: 300_000 });

interface PackageJson {
  id: string;
  ref: string;
  status: string;
  lines: { id: string; requirementRef: string; quantity: number; deliveredQuantity: number }[];
  deliveries: { id: string; lineId: string; quantity: number; receivedOn: string | null }[];
}

function nav(page: Page): Locator {
  return page.getByRole('navigation', { name: en.nav.label });
}

function heading(page: Page): Locator {
  return page.getByRole('heading', { level: 1 });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Scans the page in English, then in Ukrainian (its own heading first), and returns to English. */
async function expectAccessibleInBothLanguages(
  page: Page,
  ukHeading: string | RegExp,
  enHeading: string | RegExp,
): Promise<void> {
  await expectNoAxeViolations(page);
  await page.getByLabel(en.language.label).selectOption('uk');
  await expect(heading(page)).toHaveText(ukHeading);
  await expectNoAxeViolations(page);
  await page.getByLabel(uk.language.label).selectOption('en');
  await expect(heading(page)).toHaveText(enHeading);
}

/**
 * A package with a shipment the recipient has not confirmed: one from an earlier journey, or, when
 * this file runs alone, a funded demo package the supplier contracts and ships here, through the API.
 */
async function packageWithShipment(
  page: Page,
): Promise<{ pkg: PackageJson; lineRef: string; units: number }> {
  await logInAs(page, e2eAccounts.supplier);
  const listed = await callApi(page, 'GET', '/api/v1/packages?limit=500', undefined);
  expect(listed.status).toBe(200);
  const packages = (listed.body as { items: PackageJson[] }).items;
  let pkg = packages.find((each) => each.deliveries.some((delivery) => delivery.receivedOn === null));
  if (!pkg) {
    const funded = packages.find((each) => each.status === 'funded');
    if (!funded) throw new Error('the demo has no funded package to ship');
    const contracted = await callApi(page, 'POST', `/api/v1/packages/${funded.id}/transitions`, {
      to: 'contracted',
    });
    expect(contracted.status).toBe(200);
    const line = funded.lines.find((each) => each.deliveredQuantity < each.quantity);
    if (!line) throw new Error(`${funded.ref} has nothing left to ship`);
    const shipped = await callApi(page, 'POST', `/api/v1/packages/${funded.id}/deliveries`, {
      lineId: line.id,
      quantity: 1,
      shippedOn: today(),
    });
    expect(shipped.status).toBe(201);
    const read = await callApi(page, 'GET', `/api/v1/packages/${funded.id}`, undefined);
    pkg = read.body as PackageJson;
  }
  const delivery = pkg.deliveries.find((each) => each.receivedOn === null);
  const lineRef = pkg.lines.find((line) => line.id === delivery?.lineId)?.requirementRef ?? '';
  await logOut(page);
  return { pkg, lineRef, units: delivery?.quantity ?? 0 };
}

test('the recipient finds a shipped package in its header and confirms the receipt', async ({ page }) => {
  const { pkg, lineRef, units } = await packageWithShipment(page);

  await logInAs(page, e2eAccounts.recipient);
  await expect(nav(page).getByRole('link')).toHaveText([en.nav.requirements, en.nav.packages]);
  await nav(page).getByRole('link', { name: en.nav.packages, exact: true }).click();
  await expect(page).toHaveURL(/\/packages$/);
  await expect(heading(page)).toHaveText(en.packages.heading);
  await page
    .getByRole('article', { name: new RegExp(`^${pkg.ref} `) })
    .getByRole('link', { name: new RegExp(`^${pkg.ref} `) })
    .click();
  await expect(heading(page)).toHaveText(new RegExp(`^${pkg.ref}: `));
  // The recipient reads, and confirms; it prices, ships and cancels nothing.
  await expect(page.getByRole('button', { name: en.packageDetail.cancel, exact: true })).toHaveCount(0);
  await expect(page.locator('form.delivery-form')).toHaveCount(0);

  const quantity = units.toLocaleString('en-GB');
  const confirm = page
    .getByRole('button', { name: en.packageDetail.confirmReceiptLabel(lineRef, quantity) })
    .first();
  await expect(confirm).toBeVisible();
  await expectAccessibleInBothLanguages(page, new RegExp(`^${pkg.ref}: `), new RegExp(`^${pkg.ref}: `));
  await confirm.focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: en.packageDetail.receiptConfirmed(lineRef, quantity) }),
  ).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/recipient-delivery.png', fullPage: true });

  // A deep link to the package works for the recipient, and the API agrees on what was received.
  await page.goto(`/packages/${encodeURIComponent(pkg.id)}`);
  await expect(heading(page)).toHaveText(new RegExp(`^${pkg.ref}: `));
  const read = (await callApi(page, 'GET', `/api/v1/packages/${pkg.id}`, undefined)).body as PackageJson;
  expect(read.deliveries.filter((delivery) => delivery.receivedOn !== null).length).toBeGreaterThan(0);
});

test('the admin adds an organisation and a user, sees field errors next to the fields, and disables the user', async ({
  page,
}) => {
  const suffix = Date.now().toString(36).slice(-5).toUpperCase();
  const code = `E2E-${suffix}`;
  const email = `auditor-${suffix.toLowerCase()}@audit.example`;

  await logInAs(page, e2eAccounts.admin);
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(nav(page).getByRole('link')).toHaveText([en.nav.users, en.nav.organizations, en.nav.audit]);
  await expect(heading(page)).toHaveText(en.admin.usersHeading);
  const users = page.getByRole('table', { name: en.admin.usersCaption });
  await expect(users.getByRole('rowheader', { name: new RegExp(`^${e2eAccounts.admin}`) })).toContainText(
    en.admin.you,
  );

  // Organisations: a taken code is refused by the API, and the error is shown at the code field.
  await nav(page).getByRole('link', { name: en.nav.organizations, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/organizations$/);
  await expect(heading(page)).toHaveText(en.admin.organizationsHeading);
  const organizations = page.getByRole('table', { name: en.admin.organizationsCaption });
  await expect(organizations.getByRole('rowheader', { name: 'GBR', exact: true })).toBeVisible();
  const orgForm = page.getByRole('form', { name: en.admin.newOrganization });
  await orgForm.getByRole('button', { name: en.admin.createOrganization }).click();
  await expect(orgForm.getByLabel(en.admin.code)).toBeFocused();
  await expect(orgForm.getByLabel(en.admin.code)).toHaveAttribute('aria-invalid', 'true');
  await orgForm.getByLabel(en.admin.code).fill('GBR');
  await orgForm.getByLabel(en.admin.name).fill('A second United Kingdom');
  await orgForm.getByLabel(en.admin.kind).selectOption('donor');
  await orgForm.getByRole('button', { name: en.admin.createOrganization }).click();
  await expect(orgForm.getByText(en.errors.byCode.ORGANIZATION_EXISTS ?? '')).toBeVisible();
  await expect(orgForm.getByLabel(en.admin.code)).toBeFocused();
  await expectNoAxeViolations(page);
  await orgForm.getByLabel(en.admin.code).fill(code);
  await orgForm.getByLabel(en.admin.name).fill('Second audit office (e2e)');
  await orgForm.getByLabel(en.admin.kind).selectOption('audit');
  await orgForm.getByRole('button', { name: en.admin.createOrganization }).click();
  await expect(
    page.getByRole('status').filter({ hasText: en.admin.organizationCreated(code) }),
  ).toBeVisible();
  await expectAccessibleInBothLanguages(page, uk.admin.organizationsHeading, en.admin.organizationsHeading);

  // Users: the role must fit the organisation's kind; the API's refusal lands at the role field.
  await nav(page).getByRole('link', { name: en.nav.users, exact: true }).click();
  await expect(heading(page)).toHaveText(en.admin.usersHeading);
  const userForm = page.getByRole('form', { name: en.admin.newUser });
  await userForm.getByLabel(en.admin.email).fill(email);
  await userForm.getByLabel(en.admin.organization).selectOption(code);
  await expect(userForm.getByLabel(en.admin.role)).toHaveValue('auditor');
  await userForm.getByLabel(en.admin.role).selectOption('donor');
  await userForm.getByLabel(en.admin.password).fill('short');
  await userForm.getByRole('button', { name: en.admin.createUser }).click();
  await expect(userForm.getByText(en.admin.passwordShort(12))).toBeVisible();
  await expect(userForm.getByLabel(en.admin.password)).toBeFocused();
  await userForm.getByLabel(en.admin.password).fill('an initial password for e2e');
  await userForm.getByRole('button', { name: en.admin.createUser }).click();
  await expect(userForm.getByText(en.errors.byCode.ROLE_NOT_ALLOWED_FOR_ORGANIZATION ?? '')).toBeVisible();
  await expect(userForm.getByLabel(en.admin.role)).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
  await userForm.getByLabel(en.admin.role).selectOption('auditor');
  await userForm.getByRole('button', { name: en.admin.createUser }).click();
  await expect(page.getByRole('status').filter({ hasText: en.admin.userCreated(email) })).toBeVisible();

  // Disabling asks once more, by keyboard, and the row says so.
  const row = users.getByRole('row').filter({ has: page.getByRole('rowheader', { name: email }) });
  await expect(row).toContainText(en.admin.active);
  await row.getByRole('button', { name: en.admin.disableLabel(email) }).click();
  await expect(row.getByRole('button', { name: en.admin.disableYesLabel(email) })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: en.admin.userDisabled(email) })).toBeVisible();
  await expect(row).toContainText(en.admin.disabled);
  await expect(row.getByRole('button')).toHaveCount(0);
  await page.screenshot({ path: 'docs/screenshots/admin-users.png', fullPage: true });
  await expectAccessibleInBothLanguages(page, uk.admin.usersHeading, en.admin.usersHeading);

  // A deep link to the other admin page, and the audit chain, which the admin reads too.
  await page.goto('/admin/organizations');
  await expect(organizations.getByRole('rowheader', { name: code, exact: true })).toBeVisible();
  await page.goto(`/audit?actor=${encodeURIComponent(e2eAccounts.admin)}&object=user`);
  await expect(heading(page)).toHaveText(en.audit.heading);
  const adminEvents = page.getByRole('table', { name: en.audit.caption }).locator('tbody tr');
  await expect(adminEvents.filter({ hasText: 'user.create' }).first()).toBeVisible();
  await expect(adminEvents.filter({ hasText: 'user.disable' }).first()).toBeVisible();
});

test('the auditor searches the audit chain, verifies it, and reads the ledger as of a date', async ({
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

  // 1. The chain: its head and signing key, then a search by object type, actor and day.
  await nav(page).getByRole('link', { name: en.nav.audit, exact: true }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(heading(page)).toHaveText(en.audit.heading);
  await expect(page.getByText(/^Signing public key /)).toBeVisible();
  await expect(page.locator('.public-key pre')).toContainText('BEGIN PUBLIC KEY');
  const events = page.getByRole('table', { name: en.audit.caption });
  await expect(events.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: en.audit.pagination })).toBeVisible();

  const search = page.getByRole('form', { name: en.audit.filters });
  await search.getByLabel(en.audit.from).fill('2026-03-02');
  await search.getByLabel(en.audit.to).fill('2026-03-01');
  await search.getByRole('button', { name: en.audit.apply }).click();
  await expect(search.getByText(en.audit.rangeInvalid)).toBeVisible();
  await expect(search.getByLabel(en.audit.to)).toBeFocused();

  await search.getByLabel(en.audit.object).fill('package');
  await search.getByLabel(en.audit.actor).fill('UKR');
  await search.getByLabel(en.audit.from).fill(today());
  await search.getByLabel(en.audit.to).fill(today());
  await search.getByRole('button', { name: en.audit.apply }).click();
  await expect(page).toHaveURL(
    /\/audit\?object=package&actor=UKR&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/,
  );
  const rows = events.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) {
    await expect(row.locator('td.object')).toContainText('package');
    await expect(row).toContainText('UKR');
  }
  await expect(rows.filter({ hasText: 'package.receipt' }).first()).toBeVisible();
  // A hash is abbreviated; its full value is in the title, and read out.
  const hash = rows.first().locator('code.abbreviated[data-full]').last();
  await expect(hash).toHaveAttribute('title', /^[0-9a-f]{64}$/);
  await hash.focus();
  await expect(hash).toBeFocused();

  // 2. Verification of the whole chain.
  await page.getByRole('button', { name: en.audit.verify, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^The chain verifies: / })).toBeVisible();
  await expectAccessibleInBothLanguages(page, uk.audit.heading, en.audit.heading);
  await page.screenshot({ path: 'docs/screenshots/auditor-audit.png', fullPage: true });

  // An event's object leads to that object's whole history.
  await rows.first().locator('td.object a').click();
  await expect(page).toHaveURL(/\/audit\?object=/);
  await expect(search.getByLabel(en.audit.actor)).toHaveValue('');

  // 3. The ledger as of the end of August 2025, when the first four packages were funded.
  await nav(page).getByRole('link', { name: en.nav.ledger, exact: true }).click();
  await expect(page).toHaveURL(/\/ledger$/);
  await expect(heading(page)).toHaveText(en.ledger.heading);
  const balances = page.getByRole('table', { name: en.ledger.balancesCaption });
  await expect(balances.locator('tbody tr').first()).toBeVisible();
  await page.getByLabel(en.ledger.asOf).fill('2025-08-31');
  await page.getByRole('button', { name: en.ledger.show, exact: true }).click();
  await expect(page).toHaveURL(/\/ledger\?asOf=2025-08-31$/);
  await expect(page.getByRole('heading', { name: en.ledger.balancesHeading('31 Aug 2025') })).toBeVisible();
  await expect(balances.locator('tbody tr').first()).toBeVisible();
  // Every balance exact, with its currency code.
  for (const cell of await balances.locator('td.numeric').all()) {
    await expect(cell).toHaveText(/^-?[A-Z]{3}\s?-?[\d,]+(\.\d+)?$/);
  }
  const entries = page.getByRole('table', { name: en.ledger.entriesCaption('31 Aug 2025') });
  await expect(entries.locator('tbody tr').first()).toBeVisible();
  for (const date of await entries.locator('td.date time').all()) {
    expect(((await date.getAttribute('datetime')) ?? '') <= '2025-08-31').toBe(true);
  }
  await expectAccessibleInBothLanguages(page, uk.ledger.heading, en.ledger.heading);
  await page.screenshot({ path: 'docs/screenshots/auditor-ledger.png', fullPage: true });

  // A deep link to an earlier day shows no balance yet, and says so.
  await page.goto('/ledger?asOf=2020-01-01');
  await expect(page.getByText(en.ledger.balancesEmpty)).toBeVisible();
  await expect(page.getByText(en.ledger.entriesEmpty)).toBeVisible();
  await expectNoAxeViolations(page);
});
