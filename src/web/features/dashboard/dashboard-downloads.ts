import type { MoneyJson, PublicSummaryJson } from '../../../contract/index.ts';
import { shareOf } from '../../format/coverage.ts';
import { saveFile } from '../layout/save-file.ts';

/** A value of a downloaded table: text, a count, exact money, or nothing (an unpriced package). */
export type DownloadValue = string | number | MoneyJson | null;

/** One table of the dashboard as it is downloaded: stable column keys, the same figures as the page. */
export interface DownloadTable {
  /** The file's name stem and the table's key in the JSON, e.g. "by-donor". */
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, DownloadValue>>[];
  /** The rules of the summary that say what the figures count, carried into the JSON file. */
  readonly rules: Readonly<Record<string, string>>;
}

type Row = PublicSummaryJson['byDonor'][number];
const stageColumns = ['announced', 'committed', 'paid', 'pledges', 'undisclosed_pledges'] as const;

function stageValues(row: Omit<Row, 'code' | 'name'>) {
  return {
    announced: row.announced,
    committed: row.committed,
    paid: row.paid,
    pledges: row.pledges,
    undisclosed_pledges: row.undisclosedPledges,
  };
}

/** Every table of the dashboard, in the order the page shows them, ready to download. */
export function downloadTables(summary: PublicSummaryJson): Record<DashboardTableName, DownloadTable> {
  const { rules } = summary;
  return {
    totals: {
      name: 'totals-by-stage',
      columns: ['stage', 'amount', 'pledges', 'counts', 'note', 'fx_rule'],
      rows: summary.totals.map((total) => ({
        stage: total.stage,
        amount: total.amount,
        pledges: total.pledges,
        counts: total.counts.join(' '),
        note: total.note,
        fx_rule: total.fxRule,
      })),
      rules: { stages: rules.stages, fx: rules.fx },
    },
    packages: {
      name: 'packages',
      columns: ['rank', 'package', 'status', 'price', 'funded', 'coverage'],
      rows: summary.packages.map((pkg) => ({
        rank: pkg.rank,
        package: pkg.ref,
        status: pkg.status,
        price: pkg.price,
        funded: pkg.funded,
        coverage: pkg.coverage,
      })),
      rules: { packages: rules.packages, fx: rules.fx },
    },
    packageDonors: {
      name: 'package-donors',
      columns: ['package', 'donor_code', 'donor_name', 'allocated', 'share_of_price'],
      rows: summary.packages.flatMap((pkg) =>
        pkg.donors.map((donor) => ({
          package: pkg.ref,
          donor_code: donor.code,
          donor_name: donor.name,
          allocated: donor.allocated,
          share_of_price: pkg.price ? shareOf(donor.allocated.amount, pkg.price.amount) : null,
        })),
      ),
      rules: { packages: rules.packages, fx: rules.fx },
    },
    donors: {
      name: 'by-donor',
      columns: ['donor_code', 'donor_name', ...stageColumns],
      rows: summary.byDonor.map((row) => ({
        donor_code: row.code,
        donor_name: row.name,
        ...stageValues(row),
      })),
      rules: { stages: rules.stages, fx: rules.fx, undisclosed: rules.undisclosed },
    },
    categories: {
      name: 'by-category',
      columns: ['category_key', 'category', ...stageColumns],
      rows: summary.byCategory.map((row) => ({
        category_key: row.key,
        category: row.label,
        ...stageValues(row),
      })),
      rules: { stages: rules.stages, fx: rules.fx, categories: rules.categories },
    },
    months: {
      name: 'by-month',
      columns: ['month', ...stageColumns],
      rows: summary.byMonth.map((row) => ({ month: row.month, ...stageValues(row) })),
      rules: { stages: rules.stages, fx: rules.fx, months: rules.months },
    },
    forums: {
      name: 'by-forum',
      columns: ['forum', ...stageColumns],
      rows: summary.byForum.map((row) => ({ forum: row.forum, ...stageValues(row) })),
      rules: { stages: rules.stages, fx: rules.fx, forums: rules.forums },
    },
  };
}

export type DashboardTableName =
  | 'totals'
  | 'packages'
  | 'packageDonors'
  | 'donors'
  | 'categories'
  | 'months'
  | 'forums';

function isMoney(value: DownloadValue): value is MoneyJson {
  return typeof value === 'object' && value !== null;
}

/**
 * A cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return that some
 * programs strip before one) is written as text, with a single quote in front.
 */
export function neutralised(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * The table as CSV records: a header of column keys, every amount as its exact decimal string, and
 * the currency of the amounts in a column of its own (one column `currency` when every amount of
 * the table shares it, else one `<column>_currency` after each amount column).
 */
export function csvRecords(table: DownloadTable): string[][] {
  const moneyColumns = table.columns.filter((column) =>
    table.rows.some((row) => isMoney(row[column] ?? null)),
  );
  const currencies = new Set(
    table.rows.flatMap((row) =>
      moneyColumns
        .map((column) => row[column] ?? null)
        .flatMap((value) => (isMoney(value) ? [value.currency] : [])),
    ),
  );
  const currencyOf = (value: DownloadValue | undefined): MoneyJson | null =>
    value !== undefined && isMoney(value) ? value : null;
  const oneCurrency = currencies.size <= 1;
  const header = oneCurrency
    ? [...table.columns, ...(moneyColumns.length > 0 ? ['currency'] : [])]
    : table.columns.flatMap((column) =>
        moneyColumns.includes(column) ? [column, `${column}_currency`] : [column],
      );
  const text = (value: DownloadValue | undefined): string =>
    value === null || value === undefined ? '' : isMoney(value) ? value.amount : String(value);
  const rows = table.rows.map((row) => {
    if (oneCurrency) {
      const currency =
        moneyColumns.map((column) => currencyOf(row[column])).find((value) => value !== null)?.currency ?? '';
      return [
        ...table.columns.map((column) => text(row[column])),
        ...(moneyColumns.length > 0 ? [currency] : []),
      ];
    }
    return table.columns.flatMap((column) =>
      moneyColumns.includes(column)
        ? [text(row[column]), currencyOf(row[column])?.currency ?? '']
        : [text(row[column])],
    );
  });
  return [header, ...rows].map((record) => record.map(neutralised));
}

/** The table as a JSON document: its rows with money as { amount, currency }, and what it counts. */
export function jsonDocument(table: DownloadTable, asOf: string): string {
  return `${JSON.stringify({ table: table.name, asOf, rules: table.rules, rows: table.rows }, null, 2)}\n`;
}

/** "purl-public-by-donor-2026-03-01.csv": the table and the day (UTC) of its figures. */
export function fileNameOf(table: DownloadTable, asOf: string, extension: 'csv' | 'json'): string {
  return `purl-public-${table.name}-${asOf.slice(0, 10)}.${extension}`;
}

/** Saves the table as a CSV file; the CSV writer is loaded on the first download only. */
export async function downloadCsv(table: DownloadTable, asOf: string): Promise<void> {
  const { stringify } = await import('csv-stringify/browser/esm/sync');
  const text = stringify(csvRecords(table), { record_delimiter: 'windows' });
  saveFile(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileNameOf(table, asOf, 'csv'));
}

export function downloadJson(table: DownloadTable, asOf: string): void {
  saveFile(
    new Blob([jsonDocument(table, asOf)], { type: 'application/json' }),
    fileNameOf(table, asOf, 'json'),
  );
}
