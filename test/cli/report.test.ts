import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { groupDigits } from '../../src/cli/table.ts';
import { type Client, newRequirement, startApi, type TestApi, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { purl } from '../support/purl.ts';

/**
 * `purl report` shows the figures the API shows, from the same database: the public summary to the
 * cent, and the operator's reports with everything (restricted pledges included).
 */

vi.setConfig({ testTimeout: 300_000 });
const scratch = mkdtempSync(join(tmpdir(), 'purl-report-'));
const auditKeyFile = join(scratch, 'audit-signing-key.pem');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const source = 'https://www.nato.int/cps/en/natohq/news.htm';

describe('digit grouping of amounts in the terminal', () => {
  test('adds separators without changing a digit', () => {
    expect(groupDigits('150000000.00')).toBe('150,000,000.00');
    expect(groupDigits('999.99')).toBe('999.99');
    expect(groupDigits('1000')).toBe('1,000');
    expect(groupDigits('-1234567.890')).toBe('-1,234,567.890');
    expect(groupDigits('0.07')).toBe('0.07');
  });
});

describe.each(dialects)('purl report on %s', (dialect) => {
  const unavailable = dialect === 'postgres' && !process.env.PURL_TEST_POSTGRES_URL;
  let api: TestApi;
  const report = (args: readonly string[]) =>
    purl(['report', ...args], { databaseUrl: api.database.url, auditKeyFile });

  async function record(coordinator: Client, body: Record<string, unknown>): Promise<void> {
    const response = await coordinator.request('POST', '/api/v1/pledges', {
      body: { donor: 'GBR', source, forum: 'UDCG', announcedOn: '2026-02-12', ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
  }

  beforeAll(async () => {
    if (unavailable) return;
    api = await startApi(dialect);
    const coordinator = await api.as('coordinator');
    await record(coordinator, { amount: { amount: '150000000.00', currency: 'USD' } });
    await record(coordinator, { amount: { amount: '1234.56', currency: 'USD' }, announcedOn: '2026-03-02' });
    await record(coordinator, { amount: { amount: '777.77', currency: 'USD' }, visibility: 'restricted' });
  }, 120_000);
  afterAll(async () => api?.close());

  test.skipIf(unavailable)('prints the same summary as GET /api/v1/public/summary', async () => {
    const outcome = await report(['summary', '--format', 'json']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const fromCli = JSON.parse(outcome.stdout);
    const response = await api.public.request('GET', '/api/v1/public/summary');
    expect(response.statusCode).toBe(200);
    const fromApi = response.json();
    // Everything but the moment of reading.
    expect({ ...fromCli, asOf: null }).toEqual({ ...fromApi, asOf: null });
    expect(fromCli.totals[0].amount).toEqual({ amount: '150001234.56', currency: 'USD' });
  });

  test.skipIf(unavailable)('writes the same CSV as the API download', async () => {
    for (const table of ['totals', 'donors', 'months']) {
      const outcome = await report(['summary', '--format', 'csv', '--table', table]);
      expect(outcome.code).toBe(0);
      const response = await api.public.request('GET', `/api/v1/public/summary?format=csv&table=${table}`);
      expect(outcome.stdout).toBe(response.body);
    }
  });

  test.skipIf(unavailable)('aligns money on the right with its currency code in the terminal', async () => {
    const outcome = await report(['summary', '--table', 'totals']);
    expect(outcome.code).toBe(0);
    const lines = outcome.stdout.split('\n');
    const announced = lines.find((line) => line.startsWith('announced'));
    const paid = lines.find((line) => line.startsWith('paid'));
    expect(announced).toContain('150,001,234.56 USD');
    expect(paid).toContain('0.00 USD');
    // Right-aligned: the currency codes of both rows end in the same column.
    expect(announced?.indexOf('USD')).toBe(paid?.indexOf('USD'));
    expect(outcome.stdout).not.toContain('\u001b[');
  });

  test.skipIf(unavailable)('reports every pledge to the operator, the restricted one included', async () => {
    const outcome = await report(['pledges', '--json']);
    expect(outcome.code).toBe(0);
    const items = JSON.parse(outcome.stdout).items as { visibility: string; amount: { amount: string } }[];
    expect(items).toHaveLength(3);
    expect(items.find((item) => item.visibility === 'restricted')?.amount.amount).toBe('777.77');
    const donors = await report(['donors', '--format', 'csv']);
    expect(donors.code).toBe(0);
    expect(donors.stdout).toMatch(/^GBR,GBR,150002012\.33,USD,/m);
    const packages = await report(['packages']);
    expect(packages.code).toBe(0);
    expect(packages.stdout).toContain('Packages (every package, in rank order)');
  });

  test.skipIf(unavailable)(
    'writes a report as an xlsx workbook to --output, the same rows as its JSON',
    async () => {
      const recipient = await api.as('recipient');
      const coordinator = await api.as('coordinator');
      const line = (
        await recipient.request('POST', '/api/v1/requirements', { body: newRequirement() })
      ).json();
      await recipient.request('POST', `/api/v1/requirements/${line.id}/transitions`, {
        body: { to: 'submitted' },
      });
      await coordinator.request('POST', `/api/v1/requirements/${line.id}/transitions`, {
        body: { to: 'validated' },
      });
      const created = await coordinator.request('POST', '/api/v1/packages', {
        body: {
          name: '=HYPERLINK("x")',
          target: usd('4000000.00'),
          lines: [{ requirementId: line.id, quantity: 4 }],
        },
      });
      expect(created.statusCode, created.body).toBe(201);

      const file = join(scratch, 'packages.xlsx');
      const written = await report(['packages', '--format', 'xlsx', '--output', file]);
      expect(written.stderr).toBe('');
      expect(written.code).toBe(0);
      expect(written.stdout).toMatch(/^wrote .*packages\.xlsx \(\d+ bytes\)/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const sheet = workbook.worksheets[0];
      const rows: string[][] = [];
      sheet?.eachRow((row) =>
        rows.push((row.values as unknown[]).slice(1).map((cell) => String(cell ?? ''))),
      );
      const [header = [], ...data] = rows;
      const column = (key: string) => header.indexOf(key);
      const items = JSON.parse((await report(['packages', '--json'])).stdout).items as {
        ref: string;
        target: { amount: string; currency: string };
      }[];
      expect(items.length).toBeGreaterThan(0);
      expect(
        data.map((row) => [row[column('ref')], row[column('target')], row[column('target_currency')]]),
      ).toEqual(items.map((item) => [item.ref, item.target.amount, item.target.currency]));
      expect(data.map((row) => row[column('name')])).toContain(`'=HYPERLINK("x")`);

      const summaryFile = join(scratch, 'summary.xlsx');
      expect((await report(['summary', '--format', 'xlsx', '--output', summaryFile])).code).toBe(0);
      const summary = new ExcelJS.Workbook();
      await summary.xlsx.readFile(summaryFile);
      expect(summary.worksheets.map((each) => each.name)).toEqual([
        'totals',
        'donors',
        'categories',
        'months',
        'forums',
        'packages',
      ]);
      const refused = await report(['donors', '--format', 'table', '--output', join(scratch, 'donors.txt')]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('error VALIDATION_FAILED');
    },
  );
});
