import { stringify } from 'csv-stringify/browser/esm/sync';
import { describe, expect, test } from 'vitest';
import type { PublicSummaryJson } from '../../src/contract/index.ts';
import {
  csvRecords,
  type DownloadTable,
  downloadTables,
  fileNameOf,
  jsonDocument,
  neutralised,
} from '../../src/web/features/dashboard/dashboard-downloads.ts';

const usd = (amount: string) => ({ amount, currency: 'USD' });
const row = { announced: usd('300.00'), committed: usd('200.00'), paid: usd('0.00'), pledges: 2 };

const summary: PublicSummaryJson = {
  asOf: '2026-03-01T12:00:00.000Z',
  currency: 'USD',
  totals: [
    {
      stage: 'announced',
      counts: ['announced', 'committed', 'paid'],
      amount: usd('300.00'),
      pledges: 2,
      fxRule: 'rule',
      note: null,
    },
  ],
  byDonor: [
    { code: 'GBR', name: 'United Kingdom', ...row, undisclosedPledges: 0 },
    { code: 'SVN', name: 'Slovenia', ...row, pledges: 0, undisclosedPledges: 1 },
  ],
  byCategory: [],
  byMonth: [],
  byForum: [{ forum: '=HYPERLINK("http://evil.example")', ...row, undisclosedPledges: 0 }],
  packages: [
    {
      ref: 'PKG-1',
      rank: 1,
      status: 'open',
      price: usd('1000.00'),
      funded: usd('333.33'),
      coverage: '0.3333',
      donors: [{ code: 'GBR', name: 'United Kingdom', allocated: usd('333.33') }],
    },
  ],
  pledgesCounted: 2,
  reAnnouncementsExcluded: 0,
  undisclosedPledges: 1,
  rules: {
    stages: 's',
    fx: 'f',
    reAnnouncements: 'r',
    undisclosed: 'u',
    restricted: 'x',
    categories: 'c',
    months: 'm',
    forums: 'o',
    packages: 'p',
  },
};

describe('the dashboard downloads', () => {
  test('write every amount as its exact decimal string, with the currency in a column of its own', () => {
    const tables = downloadTables(summary);
    expect(csvRecords(tables.donors)).toEqual([
      [
        'donor_code',
        'donor_name',
        'announced',
        'committed',
        'paid',
        'pledges',
        'undisclosed_pledges',
        'currency',
      ],
      ['GBR', 'United Kingdom', '300.00', '200.00', '0.00', '2', '0', 'USD'],
      ['SVN', 'Slovenia', '300.00', '200.00', '0.00', '0', '1', 'USD'],
    ]);
    expect(csvRecords(tables.packageDonors)).toEqual([
      ['package', 'donor_code', 'donor_name', 'allocated', 'share_of_price', 'currency'],
      ['PKG-1', 'GBR', 'United Kingdom', '333.33', '0.3333', 'USD'],
    ]);
  });

  test('give each amount column its own currency column when a table mixes currencies', () => {
    const mixed: DownloadTable = {
      name: 'mixed',
      columns: ['ref', 'price'],
      rows: [
        { ref: 'A', price: usd('1.00') },
        { ref: 'B', price: { amount: '2', currency: 'JPY' } },
        { ref: 'C', price: null },
      ],
      rules: {},
    };
    expect(csvRecords(mixed)).toEqual([
      ['ref', 'price', 'price_currency'],
      ['A', '1.00', 'USD'],
      ['B', '2', 'JPY'],
      ['C', '', ''],
    ]);
  });

  test('neutralise a cell a spreadsheet would run as a formula', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(neutralised(cell)).toBe(`'${cell}`);
    for (const cell of ['GBR', '150000000.00', 'a=b', '']) expect(neutralised(cell)).toBe(cell);
    const text = stringify(csvRecords(downloadTables(summary).forums));
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text.split('\n').some((line) => line.startsWith('='))).toBe(false);
  });

  test('carry the rows, the day and the rules into the JSON file, money as amount and currency', () => {
    const table = downloadTables(summary).packages;
    expect(fileNameOf(table, summary.asOf, 'json')).toBe('purl-public-packages-2026-03-01.json');
    expect(JSON.parse(jsonDocument(table, summary.asOf))).toEqual({
      table: 'packages',
      asOf: '2026-03-01T12:00:00.000Z',
      rules: { packages: 'p', fx: 'f' },
      rows: [
        {
          rank: 1,
          package: 'PKG-1',
          status: 'open',
          price: usd('1000.00'),
          funded: usd('333.33'),
          coverage: '0.3333',
        },
      ],
    });
  });
});
