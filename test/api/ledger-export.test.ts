import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BeancountJournal } from '../../src/core/ledger/beancount-journal.ts';
import { type Client, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import {
  type BalanceFigures,
  beanCheck,
  differences,
  hledgerBalances,
  hledgerCheck,
  ledgerCliBalances,
  purlFigures,
  readBeancount,
} from '../support/plain-text-accounting.ts';

/**
 * The auditor's cross-check of issue 3: a ledger built through the API, exported as an hledger
 * journal through the API, balances in Debian's real `hledger` (and `ledger`) to exactly the figures
 * PURL Desk reports itself, account by account, currency by currency.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'purl-ledger-export-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The ECB's historical file (rates per EUR), newest first, with its trailing commas. */
const ecbFile = [
  'Date,USD,JPY,GBP,NOK,',
  '2026-03-02,1.0834,162.51,0.83175,11.4320,',
  '2026-02-23,1.0812,162.95,0.83090,11.3975,',
  '2026-02-12,1.0790,163.20,0.83010,11.3450,',
  '',
].join('\n');

const source = 'https://www.nato.int/cps/en/natohq/news.htm';

function money(amount: string, currency: string) {
  return { amount, currency };
}

/** The journal text with every amount of the entries tagged `pledge:<id>, stage:<stage>` replaced. */
function tamper(journal: string, pledge: string, stage: string, from: string, to: string): string {
  const blocks = journal.split('\n\n');
  const index = blocks.findIndex((block) => block.includes(`; pledge:${pledge}, stage:${stage}`));
  expect(index).toBeGreaterThan(-1);
  const block = blocks[index] ?? '';
  const changed = block.replace(
    new RegExp(`(\\s-?)${from.replace('.', '\\.')}( [A-Z]{3})`, 'g'),
    `$1${to}$2`,
  );
  expect(changed).not.toBe(block);
  blocks[index] = changed;
  return blocks.join('\n\n');
}

function runPurl(
  args: readonly string[],
  databaseUrl: string,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'purl.js'), ...args], {
      cwd: root,
      env: {
        ...process.env,
        PURL_DATABASE_URL: databaseUrl,
        PURL_AUDIT_KEY_FILE: join(scratch, 'audit-signing-key.pem'),
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe.each(dialects)('the hledger export on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  let journal: string;
  let journalFile: string;
  let ours: BalanceFigures;
  const pledges: Record<string, string> = {};

  async function record(key: string, body: Record<string, unknown>): Promise<string> {
    const response = await coordinator.request('POST', '/api/v1/pledges', {
      body: { forum: 'UDCG', source, ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
    pledges[key] = response.json().id as string;
    return pledges[key];
  }

  async function move(key: string, to: 'committed' | 'paid', on: string): Promise<void> {
    const response = await coordinator.request('POST', `/api/v1/pledges/${pledges[key]}/transitions`, {
      body: { to, on },
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  beforeAll(async () => {
    api = await startApi(dialect);
    coordinator = await api.as('coordinator');
    const admin = await api.as('admin');
    for (const code of ['DEU', 'NOR', 'JPN', 'CAN']) {
      const added = await admin.request('POST', '/api/v1/organizations', {
        body: { code, name: `Donor ${code}`, kind: 'donor' },
      });
      expect(added.statusCode, added.body).toBe(201);
    }
    const imported = await coordinator.request('POST', '/api/v1/fx-rates/import', {
      body: ecbFile,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.statusCode, imported.body).toBe(200);

    await record('gbr', { donor: 'GBR', amount: money('150000000.00', 'GBP'), announcedOn: '2026-02-12' });
    await record('deu', { donor: 'DEU', amount: money('300000000.05', 'EUR'), announcedOn: '2026-02-12' });
    await record('deu-small', { donor: 'DEU', amount: money('1.99', 'EUR'), announcedOn: '2026-02-20' });
    await record('nor', { donor: 'NOR', amount: money('2000000000.00', 'NOK'), announcedOn: '2026-02-12' });
    await record('jpn', { donor: 'JPN', amount: money('5000000001', 'JPY'), announcedOn: '2026-02-13' });
    await record('can', {
      donor: 'CAN',
      amount: money('123456789.07', 'USD'),
      announcedOn: '2026-02-12',
      stage: 'paid',
      committedOn: '2026-02-20',
      paidOn: '2026-03-04',
    });
    // Neither writes an entry: a re-announcement of Norway's money, and a classified amount.
    await record('nor-again', {
      donor: 'NOR',
      amount: money('2000000000.00', 'NOK'),
      announcedOn: '2026-02-24',
      duplicateOf: pledges.nor,
    });
    await record('gbr-classified', {
      donor: 'GBR',
      amount: null,
      visibility: 'amount-undisclosed',
      announcedOn: '2026-02-24',
    });
    await move('gbr', 'committed', '2026-03-02');
    await move('gbr', 'paid', '2026-03-05');
    await move('deu', 'committed', '2026-03-03');
    await move('jpn', 'paid', '2026-03-04');

    const response = await coordinator.request('GET', '/api/v1/ledger/export?format=hledger');
    expect(response.statusCode, response.body).toBe(200);
    journal = response.body;
    journalFile = join(scratch, `${dialect}.journal`);
    writeFileSync(journalFile, journal);

    const accounts = await coordinator.request('GET', '/api/v1/ledger/accounts');
    expect(accounts.statusCode, accounts.body).toBe(200);
    ours = purlFigures(accounts.json().items);
  }, 120_000);
  afterAll(async () => api?.close());

  test('serves the journal as a text attachment named after the day', async () => {
    const response = await (await api.as('auditor')).request('GET', '/api/v1/ledger/export?format=hledger');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const today = new Date().toISOString().slice(0, 10);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="purl-ledger-${today}.journal"`,
    );
    expect(response.body.split('\n').filter((line) => line.startsWith('commodity'))).toEqual([
      'commodity 1000.00 EUR',
      'commodity 1000.00 GBP',
      'commodity 1000. JPY',
      'commodity 1000.00 NOK',
      'commodity 1000.00 USD',
    ]);
  });

  test('the PURL Desk report holds what was recorded, in every currency at its scale', () => {
    expect(ours.amounts.get('pledges:paid:GBR GBP')).toBe('150000000.00');
    expect(ours.amounts.get('pledges:committed:DEU EUR')).toBe('300000000.05');
    expect(ours.amounts.get('pledges:announced:DEU EUR')).toBe('1.99');
    expect(ours.amounts.get('pledges:announced:NOR NOK')).toBe('2000000000.00');
    expect(ours.amounts.get('pledges:paid:JPN JPY')).toBe('5000000001');
    expect(ours.amounts.get('assets:pool USD')).toBe('123456789.07');
    expect(ours.accounts).toContain('pledges:announced:GBR');
    expect(ours.amounts.has('pledges:announced:GBR GBP')).toBe(false);
  });

  test('hledger parses the journal and finds every entry balanced', async () => {
    await expect(hledgerCheck(journalFile)).resolves.toBeUndefined();
  });

  test("hledger's balances equal PURL Desk's, account by account, currency by currency", async () => {
    const theirs = await hledgerBalances(journalFile);
    expect(theirs.accounts.size).toBeGreaterThan(15);
    expect(differences(ours, theirs, ['PURL Desk', 'hledger'])).toEqual([]);
  });

  test('ledger-cli reads the same journal to the same balances', async () => {
    expect(differences(ours, await ledgerCliBalances(journalFile), ['PURL Desk', 'ledger-cli'])).toEqual([]);
  });

  test('the cross-check notices an amount off by one minor unit', async () => {
    // Both postings of one entry move, so the entry still balances and only the figures differ.
    const cases = [
      ['gbr', 'announced', '150000000.00', '150000000.01'],
      ['jpn', 'announced', '5000000001', '5000000002'],
    ] as const;
    for (const [pledge, stage, from, to] of cases) {
      const file = join(scratch, `${dialect}-${pledge}-tampered.journal`);
      writeFileSync(file, tamper(journal, pledges[pledge] ?? '', stage, from, to));
      await hledgerCheck(file);
      const found = differences(ours, await hledgerBalances(file), ['PURL Desk', 'hledger']);
      expect(found.length, found.join('\n')).toBe(2);
      expect(found.every((line) => line.includes(`:${pledge.toUpperCase()} `))).toBe(true);
    }
  });

  test('purl export ledger writes the same journal from the same database', async () => {
    const outcome = await runPurl(['export', 'ledger', '--format', 'hledger'], api.database.url);
    expect(outcome.code).toBe(0);
    const withoutTime = (text: string) => text.replace(/^; Exported .*\n/m, '');
    expect(withoutTime(outcome.stdout)).toBe(withoutTime(journal));
  }, 60_000);

  test('serves the ledger as a Beancount file that balances to the same figures', async () => {
    const response = await coordinator.request('GET', '/api/v1/ledger/export?format=beancount');
    expect(response.statusCode, response.body).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="purl-ledger-${today}.beancount"`,
    );
    const reading = readBeancount(response.body, BeancountJournal.accountOf);
    expect(reading.problems).toEqual([]);
    expect(reading.transactions).toBe(
      journal.split('\n').filter((line) => /^; entry:|^ {4}; entry:/.test(line)).length,
    );
    expect(differences(ours, reading.figures, ['PURL Desk', 'Beancount'])).toEqual([]);
    expect(response.body).toContain('1970-01-01 commodity JPY');
    expect(response.body).toMatch(/^ {2}Equity:Memorandum:Pledges:Paid:JPN +5000000001 JPY$/m);
    // Beancount's own check (Debian's `beancount` package): it exits non-zero on any error.
    const file = join(scratch, `${dialect}.beancount`);
    writeFileSync(file, response.body);
    await beanCheck(file);
  });

  test('the Beancount reading notices an unbalanced transaction', () => {
    const text = [
      '2026-01-01 commodity GBP',
      '2026-01-01 open Assets:Pool',
      '2026-01-01 open Income:Contributions:GBR',
      '',
      '2026-02-01 * "paid"',
      '  entry: "e1"',
      '  Assets:Pool                 10.00 GBP',
      '  Income:Contributions:GBR   -10.01 GBP',
      '',
    ].join('\n');
    expect(readBeancount(text, BeancountJournal.accountOf).problems).toEqual([
      'line 5: the transaction does not balance in GBP',
    ]);
  });

  test('purl export ledger --format beancount writes the same file as the API', async () => {
    const outcome = await runPurl(['export', 'ledger', '--format', 'beancount'], api.database.url);
    expect(outcome.code).toBe(0);
    const response = await coordinator.request('GET', '/api/v1/ledger/export?format=beancount');
    const withoutTime = (text: string) => text.replace(/^; Exported .*\n/m, '');
    expect(withoutTime(outcome.stdout)).toBe(withoutTime(response.body));
  }, 60_000);

  test('refuses an unknown or missing format with VALIDATION_FAILED', async () => {
    for (const url of ['/api/v1/ledger/export?format=gnucash', '/api/v1/ledger/export']) {
      const response = await coordinator.request('GET', url);
      expect(response.statusCode, url).toBe(422);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
  });

  test('is for coordinators and auditors only', async () => {
    expect(
      (await (await api.as('donor')).request('GET', '/api/v1/ledger/export?format=hledger')).statusCode,
    ).toBe(403);
    expect((await api.public.request('GET', '/api/v1/ledger/export?format=hledger')).statusCode).toBe(401);
  });
});
