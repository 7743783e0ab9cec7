import { expect, type Page, test } from '@playwright/test';
import type { RequirementJson } from '../src/contract/index.ts';
import { en } from '../src/web/i18n/en.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { e2eAccounts } from './support/e2e-accounts.ts';
import { logIn, priorityTable, refsInOrder, rowOf, statusOf } from './support/priority-list-page.ts';
import { callApi } from './support/session.ts';

const detail = en.requirementDetail;
const importText = en.requirementImport;

/** Edits a line through the API as the logged-in user, with the If-Match of the version read. */
async function editLine(page: Page, line: RequirementJson, changes: object): Promise<number> {
  return page.evaluate(
    async ({ id, version, changes }) => {
      const stored = JSON.parse(sessionStorage.getItem('purl.session') ?? '{}') as { csrfToken?: string };
      const response = await fetch(`/api/v1/requirements/${id}`, {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          'if-match': `"${version}"`,
          'x-csrf-token': stored.csrfToken ?? '',
        },
        body: JSON.stringify(changes),
      });
      return response.status;
    },
    { id: line.id, version: line.version, changes },
  );
}

function historyTable(page: Page, ref: string) {
  return page.getByRole('table', { name: detail.historyCaption(ref) });
}

async function chooseFile(page: Page, name: string, content: string): Promise<void> {
  await page.getByLabel(importText.file).setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(content, 'utf8'),
  });
}

test('a recipient reads a line’s history on its own page, then imports lines from a CSV file after a dry run', async ({
  page,
}) => {
  await logIn(page, e2eAccounts.recipient);

  // A line of this test, edited once through the API and submitted from the list.
  const created = await callApi(page, 'POST', '/api/v1/requirements', {
    title: 'E2E detail: field radio sets',
    category: 'communications',
    quantity: 10,
    unit: 'set',
    unitCost: { amount: '1200.00', currency: 'EUR' },
  });
  expect(created.status).toBe(201);
  const line = created.body as RequirementJson;
  expect(await editLine(page, line, { quantity: 12, notes: 'Twelve sets after the field survey.' })).toBe(
    200,
  );
  await page.reload();
  await priorityTable(page).waitFor();
  await rowOf(page, line.ref)
    .getByRole('button', { name: en.priorityList.transitionLabel.submitted(line.ref), exact: true })
    .click();
  await expect(statusOf(page, line.ref)).toHaveText(en.statuses.submitted);

  // From the list to the line's page, by its title.
  await rowOf(page, line.ref).getByRole('link', { name: line.title, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/requirements/${line.id}$`));
  await expect(page.getByRole('heading', { level: 1, name: detail.heading(line.ref) })).toBeVisible();
  const history = historyTable(page, line.ref);
  await expect(history).toBeVisible();
  const actions = history.getByRole('rowheader');
  await expect(actions).toHaveText([
    detail.actions.created,
    detail.actions.edited,
    detail.actions.status.submitted ?? '',
  ]);
  await expect(history.getByRole('row').nth(1)).toContainText('UKR');
  await expect(history.getByRole('row').nth(2)).toContainText(detail.changes.edited);
  await expect(history).toContainText('UTC');
  // The edit shows in the details: 12 sets at EUR 1,200.00 each.
  await expect(page.locator('.detail-facts')).toContainText('EUR 14,400.00');
  await expect(page.locator('.detail-facts')).toContainText('Twelve sets after the field survey.');
  await expect(page.locator('.detail-facts')).toContainText(detail.notValidated);
  await expectNoAxeViolations(page);

  // A deep link to a line that does not exist says so.
  await page.goto('/requirements/no-such-line');
  await expect(page.getByRole('alert')).toContainText(detail.notFound);

  // Back to the list: its import section.
  await page.goto('/requirements');
  await priorityTable(page).waitFor();
  const before = await refsInOrder(page);
  const template = await page.request.get(
    (await page.getByRole('link', { name: importText.templateCsv }).getAttribute('href')) ?? '',
  );
  expect(template.status()).toBe(200);
  expect(template.headers()['content-type']).toContain('text/csv');
  expect(await template.text()).toContain('unitCost');

  const header = 'title,category,quantity,unit,unitCost,currency';
  // Row 3 (the second data row) has a unit cost with one decimal: a problem of row 3, column unitCost.
  await chooseFile(
    page,
    'bad.csv',
    `${header}\nE2E import: mine clearing charges,engineering,40,each,2500.00,USD\nE2E import: field kitchens,medical,5,each,1500.5,USD\n`,
  );
  await page.getByRole('button', { name: importText.check, exact: true }).click();
  const problems = page.getByRole('table', { name: importText.problemsCaption });
  await expect(problems).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: importText.problemsIntro(1) })).toBeVisible();
  const problemRow = problems.getByRole('row').nth(1);
  await expect(problemRow.getByRole('rowheader')).toHaveText('3');
  await expect(problemRow.getByRole('cell').first()).toHaveText('unitCost');
  await expect(page.getByRole('button', { name: /^Import \d+ lines?$/ })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.reload();
  await priorityTable(page).waitFor();
  expect(await refsInOrder(page)).toEqual(before);
  await expect(priorityTable(page)).not.toContainText('E2E import:');

  // The corrected file: a clean dry run, then the import, and the list shows the new lines.
  await chooseFile(
    page,
    'good.csv',
    `${header}\nE2E import: mine clearing charges,engineering,40,each,2500.00,USD\nE2E import: field kitchens,medical,5,each,1500.50,USD\n`,
  );
  await page.getByRole('button', { name: importText.check, exact: true }).click();
  await expect(page.getByText(importText.clean(2))).toBeVisible();
  await page.getByRole('button', { name: importText.import(2), exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: /2 lines imported: REQ-\d+ to REQ-\d+/ }),
  ).toBeVisible();
  await expect(priorityTable(page)).toContainText('E2E import: mine clearing charges');
  await expect(priorityTable(page)).toContainText('E2E import: field kitchens');
  expect((await refsInOrder(page)).length).toBe(before.length + 2);

  // The imported line's own page says where it came from.
  await priorityTable(page).getByRole('link', { name: 'E2E import: field kitchens', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Requirement REQ-\d+$/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /^History of REQ-\d+, oldest first$/ })).toContainText(
    detail.changes.imported,
  );
  await expect(page.locator('.detail-facts')).toContainText('USD 7,502.50');

  await page.goto(`/requirements/${line.id}`);
  await expect(historyTable(page, line.ref)).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/recipient-requirement-detail.png', fullPage: true });
});
