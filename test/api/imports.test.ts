import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization } from '../../src/app/directory.ts';
import { readSheet, sourceOfBuffer, xlsxContentType } from '../../src/app/imports/sheet-reader.ts';
import { type Client, newRequirement, startApi, type TestApi, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const requirementHeader = ['ref', 'title', 'category', 'quantity', 'unit', 'unitCost', 'currency', 'status'];
const pledgeHeader = [
  'donor',
  'amount',
  'currency',
  'announcedOn',
  'forum',
  'source',
  'stage',
  'committedOn',
];

function csv(rows: readonly (readonly string[])[]): Buffer {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return Buffer.from(rows.map((row) => row.map(quote).join(',')).join('\r\n'), 'utf8');
}

async function xlsx(rows: readonly (readonly unknown[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('requirements');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The cells of every row of a CSV or XLSX download, as text. */
async function cellsOf(format: 'csv' | 'xlsx', body: Buffer): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of readSheet(sourceOfBuffer(format, body))) {
    rows.push(
      row.cells.map((cell) => (cell.kind === 'text' || cell.kind === 'number' ? cell.text : cell.kind)),
    );
  }
  return rows;
}

const contentTypes = { csv: 'text/csv', xlsx: xlsxContentType } as const;

describe.each(dialects)('requirement and pledge imports and list exports on %s', (dialect) => {
  let api: TestApi;
  let recipient: Client;
  let coordinator: Client;
  let donor: Client;

  beforeAll(async () => {
    api = await startApi(dialect);
    await addOrganization(api.database.context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
    recipient = await api.as('recipient');
    coordinator = await api.as('coordinator');
    donor = await api.as('donor');
  });
  afterAll(async () => api?.close());

  async function count(table: 'requirement' | 'pledge' | 'audit_event'): Promise<number> {
    const row = await api.database.context.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Posts a file and checks that a refused one wrote nothing at all (no line, pledge or audit event). */
  async function post(
    client: Client,
    kind: 'requirements' | 'pledges',
    format: 'csv' | 'xlsx',
    body: Buffer,
    query = '',
  ) {
    const before = [await count('requirement'), await count('pledge'), await count('audit_event')];
    const response = await client.request('POST', `/api/v1/imports/${kind}${query}`, {
      body,
      headers: { 'content-type': contentTypes[format] },
    });
    if (response.statusCode !== 201) {
      expect([await count('requirement'), await count('pledge'), await count('audit_event')]).toEqual(before);
    }
    return response;
  }

  test('serves the templates as XLSX and CSV, header row only', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const response = await donor.request('GET', `/api/v1/import/templates/requirements?format=${format}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain(contentTypes[format]);
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="requirements-template.${format}"`,
      );
      const rows = await cellsOf(format, response.rawPayload);
      expect(rows).toEqual([
        [
          'ref',
          'title',
          'category',
          'quantity',
          'unit',
          'unitCost',
          'currency',
          'status',
          'visibility',
          'notes',
        ],
      ]);
    }
    const pledges = await coordinator.request('GET', '/api/v1/import/templates/pledges?format=csv');
    expect(pledges.body.split('\r\n')[0]).toContain('donor,amount,currency,announcedOn');
  });

  test('a dry run checks every row and writes nothing; the import then writes them all', async () => {
    const file = csv([
      // Header order and case do not matter.
      ['Unit', 'TITLE', 'category', 'quantity', 'Unit Cost', 'currency'],
      ['each', 'Interceptors', 'air-defence', '4', '1000000.00', 'USD'],
      ['round', '155mm rounds', 'artillery', '1000', '8000.00', 'EUR'],
    ]);
    const dry = await post(recipient, 'requirements', 'csv', file, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, rows: 2, created: 0 });
    const before = await count('requirement');
    const done = await post(recipient, 'requirements', 'csv', file);
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({ dryRun: false, rows: 2, created: 2 });
    expect(await count('requirement')).toBe(before + 2);
    const list = await recipient.request('GET', '/api/v1/priority-list');
    expect(list.json().items.map((item: { rank: number }) => item.rank)).toEqual([1, 2]);
  });

  test('lists every problem of every row by row and column, with the rest counted, and imports nothing', async () => {
    const file = csv([
      requirementHeader,
      ['REQ-9001', 'Interceptors', 'air-defense', '4', 'each', '1000000.00', 'USD', 'draft'],
      ['REQ-9002', 'Rounds', 'artillery', '10', 'each', '12,5', 'USD', 'draft'],
      ['REQ-9003', 'Rounds', 'artillery', '10', 'each', '100.0', 'USD', 'draft'],
      ['REQ-9004', 'Rounds', 'artillery', '10', 'each', '100.00', 'XYZ', 'draft'],
      ['REQ-9004', 'Rounds', 'artillery', '10', 'each', '100.00', 'USD', 'draft'],
      ['REQ-9006', '', 'artillery', 'ten', 'each', '100.00', 'USD', 'validated'],
      ...Array.from({ length: 60 }, (_, index) => [
        `REQ-${7000 + index}`,
        'x',
        'nope',
        '1',
        'each',
        '1.00',
        'USD',
        '',
      ]),
    ]);
    const response = await post(recipient, 'requirements', 'csv', file);
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(problem.code).toBe('IMPORT_ROWS_INVALID');
    expect(problem.detail).toMatch(/has 68 problems \(the first 50 are listed\); nothing was imported/);
    expect(problem.errors).toHaveLength(51);
    expect(problem.errors.slice(0, 8)).toEqual([
      { path: 'row 2, column category', message: "unknown category 'air-defense'" },
      { path: 'row 3, column unitCost', message: "'12,5' is not a decimal string." },
      { path: 'row 4, column unitCost', message: "USD amounts have exactly 2 decimals; got '100.0'." },
      { path: 'row 5, column currency', message: "'XYZ' is not an ISO 4217 currency code" },
      { path: 'row 6, column ref', message: 'REQ-9004 appears on an earlier row of the file' },
      { path: 'row 7, column title', message: 'required' },
      { path: 'row 7, column quantity', message: "'ten' is not a whole number" },
      { path: 'row 7, column status', message: 'your role may import lines as draft or submitted only' },
    ]);
    expect(problem.errors[50]).toEqual({ path: 'file', message: '18 more problems not listed' });
  });

  test('refuses a reference that exists already', async () => {
    await post(
      recipient,
      'requirements',
      'csv',
      csv([requirementHeader, ['REQ-0500', 't', 'artillery', '1', 'each', '1.00', 'USD', '']]),
    );
    const again = await post(
      recipient,
      'requirements',
      'csv',
      csv([requirementHeader, ['REQ-0500', 't', 'artillery', '1', 'each', '1.00', 'USD', '']]),
    );
    expect(again.statusCode).toBe(422);
    expect(again.json().errors).toEqual([{ path: 'row 2, column ref', message: 'REQ-0500 exists already' }]);
    // The sequence moved past the imported reference: the next line made by hand does not collide.
    const next = await recipient.request('POST', '/api/v1/requirements', { body: newRequirement() });
    expect(next.json().ref).toBe('REQ-0501');
  });

  test('refuses formulas, dates and number cells in amount columns of a workbook', async () => {
    const file = await xlsx([
      ['title', 'category', 'quantity', 'unit', 'unitCost', 'currency'],
      ['Formula', 'artillery', 1, 'each', { formula: '1000*2', result: 2000 }, 'USD'],
      ['Date', 'artillery', 1, 'each', new Date(Date.UTC(2026, 1, 12)), 'USD'],
      ['Number', 'artillery', 1, 'each', 2000, 'USD'],
      [{ formula: 'CONCAT("a","b")', result: 'ab' }, 'artillery', 1, 'each', '2000.00', 'USD'],
    ]);
    const response = await post(recipient, 'requirements', 'xlsx', file);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      {
        path: 'row 2, column unitCost',
        message: 'a formula where an amount belongs; amounts are decimal strings',
      },
      { path: 'row 3, column unitCost', message: 'a date where an amount belongs' },
      {
        path: 'row 4, column unitCost',
        message: `a number cell (2000); write the amount as text with the currency's decimals, e.g. "4000000.00"`,
      },
      {
        path: 'row 5, column title',
        message: 'a formula; paste its value as text (formulas are never imported)',
      },
    ]);
  });

  test('writes nothing when the last row is bad, after whole batches of good rows were read', async () => {
    const good = Array.from({ length: 700 }, (_, index) => [
      `REQ-${3000 + index}`,
      `Line ${index}`,
      'artillery',
      '1',
      'each',
      '1.00',
      'USD',
      '',
    ]);
    const file = csv([
      requirementHeader,
      ...good,
      ['REQ-3999', 'Bad', 'artillery', '1', 'each', '1.000', 'USD', ''],
    ]);
    const response = await post(recipient, 'requirements', 'csv', file);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { path: 'row 702, column unitCost', message: "USD amounts have exactly 2 decimals; got '1.000'." },
    ]);
  });

  test.for(['csv', 'xlsx'] as const)('refuses a %s body that is no spreadsheet, or empty', async (format) => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    for (const body of [png, Buffer.alloc(0)]) {
      const response = await post(recipient, 'requirements', format, body);
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('IMPORT_FILE_INVALID');
    }
  });

  test('refuses a CSV file with the wrong header or no data rows', async () => {
    const header = await post(recipient, 'requirements', 'csv', csv([['title', 'category', 'cost']]));
    expect(header.statusCode).toBe(422);
    expect(header.json().errors).toEqual([
      {
        path: 'row 1, column 3',
        message: "unknown column 'cost' (see docs/import.md for the requirements template)",
      },
      { path: 'row 1', message: 'the required column quantity is missing' },
      { path: 'row 1', message: 'the required column unit is missing' },
      { path: 'row 1', message: 'the required column unitCost is missing' },
      { path: 'row 1', message: 'the required column currency is missing' },
    ]);
    const empty = await post(recipient, 'requirements', 'csv', csv([requirementHeader]));
    expect(empty.json().detail).toBe('The file has a header row but no data rows.');
  });

  test('refuses a 50 MB body of garbage with 413 before reading it', async () => {
    const garbage = randomBytes(50 * 1024 * 1024);
    const response = await post(recipient, 'requirements', 'xlsx', garbage);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({
      code: 'BODY_TOO_LARGE',
      detail: 'The body limit is 33554432 bytes.',
    });
  });

  test.for(['csv', 'xlsx'] as const)('refuses a %s row of 10,000 columns', async (format) => {
    const wide = Array.from({ length: 10_000 }, (_, index) => `c${index}`);
    const rows = [requirementHeader, ['', 't', 'artillery', '1', 'each', '1.00', 'USD'], wide];
    const response = await post(
      recipient,
      'requirements',
      format,
      format === 'csv' ? csv(rows) : await xlsx(rows),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'IMPORT_FILE_INVALID',
      detail: 'Row 3 has 10000 cells; a row has at most 64.',
    });
  });

  test('refuses another media type with 415 and other roles with 403', async () => {
    const json = await recipient.request('POST', '/api/v1/imports/requirements', { body: { rows: [] } });
    expect(json.statusCode).toBe(415);
    const supplier = await api.as('supplier');
    const forbidden = await supplier.request('POST', '/api/v1/imports/requirements', {
      body: csv([requirementHeader]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(forbidden.statusCode).toBe(403);
    const donorRequirements = await post(donor, 'requirements', 'csv', csv([requirementHeader]));
    expect(donorRequirements.statusCode).toBe(403);
  });

  test('neutralises formula injection in text cells on export, and imports the text back unchanged', async () => {
    const titles = ['=HYPERLINK("http://evil.example","x")', '+cmd|calc', '-2+3', '@SUM(A1)', '\tTabbed'];
    const file = csv([
      ['title', 'category', 'quantity', 'unit', 'unitCost', 'currency', 'notes'],
      ...titles.map((title) => [title, 'artillery', '1', 'each', '1.00', 'USD', title]),
    ]);
    expect((await post(recipient, 'requirements', 'csv', file)).statusCode).toBe(201);
    const stored = await recipient.request('GET', '/api/v1/requirements?limit=500');
    const storedTitles = stored.json().items.map((line: { title: string }) => line.title);
    for (const title of titles) expect(storedTitles).toContain(title.trim());

    for (const format of ['csv', 'xlsx'] as const) {
      const response = await recipient.request('GET', `/api/v1/requirements?format=${format}`);
      expect(response.statusCode).toBe(200);
      const rows = await cellsOf(format, response.rawPayload);
      const header = rows[0] ?? [];
      const title = header.indexOf('title');
      const notes = header.indexOf('notes');
      const exported = rows.slice(1).map((row) => row[title]);
      expect(exported).toContain(`'=HYPERLINK("http://evil.example","x")`);
      expect(exported).toContain("'+cmd|calc");
      expect(exported).toContain("'-2+3");
      expect(exported).toContain("'@SUM(A1)");
      expect(rows.slice(1).map((row) => row[notes])).toContain("'@SUM(A1)");
      // No exported text cell starts with a formula trigger.
      for (const row of rows.slice(1))
        for (const cell of [row[title], row[notes]]) expect(cell ?? '').not.toMatch(/^[=+\-@\t\r]/);
    }
    {
      const response = await recipient.request('GET', '/api/v1/requirements?format=xlsx');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      workbook.worksheets[0]?.eachRow((row) =>
        row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
      );
    }
  });

  test('pledges: a coordinator cites sources, a donor imports its own only', async () => {
    const noSource = await post(
      coordinator,
      'pledges',
      'csv',
      csv([pledgeHeader, ['GBR', '1000.00', 'USD', '2026-02-12', 'UDCG', '', '', '']]),
    );
    expect(noSource.statusCode).toBe(422);
    expect(noSource.json().errors).toEqual([
      {
        path: 'row 2, column source',
        message: 'required: a pledge recorded on a donor’s behalf cites its public source',
      },
    ]);
    const foreign = await post(
      donor,
      'pledges',
      'csv',
      csv([pledgeHeader, ['DEU', '1000.00', 'USD', '2026-02-12', 'UDCG', '', '', '']]),
    );
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toEqual([
      { path: 'row 2, column donor', message: 'a donor imports its own pledges only; you act for GBR' },
    ]);
    const own = await post(
      donor,
      'pledges',
      'csv',
      csv([pledgeHeader, ['GBR', '2000.00', 'USD', '2026-02-12', 'UDCG', '', 'committed', '2026-02-13']]),
    );
    expect(own.statusCode).toBe(201);
    const stages = await post(
      coordinator,
      'pledges',
      'csv',
      csv([
        pledgeHeader,
        ['DEU', '3000.00', 'USD', '2026-02-12', 'UDCG', 'https://example.org/deu', 'committed', '2026-02-11'],
        ['DEU', '3000.00', 'USD', '2026-02-12', 'UDCG', 'https://example.org/deu', 'paid', ''],
        ['DEU', '3000.00', 'EUR', '2026-02-12', 'UDCG', 'https://example.org/deu', '', ''],
      ]),
    );
    expect(stages.statusCode).toBe(422);
    expect(stages.json().errors).toEqual([
      {
        path: 'row 2, column committedOn',
        message: 'The stage dates of a pledge follow each other in time.',
      },
      { path: 'row 3, column stage', message: 'A paid pledge has the dates of the stages it reached, only.' },
      { path: 'row 4, column currency', message: expect.stringMatching(/EUR/) },
    ]);
    const deu = await post(
      coordinator,
      'pledges',
      'csv',
      csv([pledgeHeader, ['DEU', '3000.00', 'USD', '2026-02-12', 'UDCG', 'https://example.org/deu', '', '']]),
    );
    expect(deu.statusCode).toBe(201);
  });

  test('exports the whole pledge list with the caller’s rights: a donor sees its own rows only', async () => {
    await coordinator.request('POST', '/api/v1/pledges', {
      body: {
        donor: 'DEU',
        amount: usd('5000.00'),
        announcedOn: '2026-02-12',
        forum: 'UDCG',
        source: 'https://x.example',
      },
    });
    const all = await coordinator.request('GET', '/api/v1/pledges?format=json');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-disposition']).toMatch(
      /^attachment; filename="pledges-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const everyDonor = new Set(all.json().map((row: { donor: string }) => row.donor));
    expect(everyDonor).toEqual(new Set(['GBR', 'DEU']));
    const own = await donor.request('GET', '/api/v1/pledges?format=json');
    expect(own.json().length).toBeGreaterThan(0);
    expect(new Set(own.json().map((row: { donor: string }) => row.donor))).toEqual(new Set(['GBR']));
    const csvExport = await donor.request('GET', '/api/v1/pledges?format=csv');
    expect(csvExport.body).not.toContain('DEU');
    const row = own.json()[0];
    expect(Object.keys(row)).toEqual([
      'id',
      'ref',
      'donor',
      'amount',
      'currency',
      'announcedOn',
      'forum',
      'source',
      'stage',
      'committedOn',
      'paidOn',
      'earmarkCategories',
      'earmarkPackageId',
      'visibility',
      'duplicateOf',
      'notes',
      'usdAmount',
      'usdRate',
      'usdRateDate',
      'usdRateSource',
    ]);
    const supplier = await api.as('supplier');
    expect((await supplier.request('GET', '/api/v1/pledges?format=csv')).statusCode).toBe(403);
    expect((await donor.request('GET', '/api/v1/requirements?format=csv')).statusCode).toBe(403);
    expect((await supplier.request('GET', '/api/v1/requirements?format=xlsx')).statusCode).toBe(200);
  });
});
