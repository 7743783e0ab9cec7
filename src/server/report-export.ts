import type { Readable } from 'node:stream';
import {
  anyTable,
  type CellValue,
  downloadBytes,
  type ExportColumn,
  type ExportTable,
  exportContentTypes,
  tableDownload,
  xlsxStream,
} from '../app/export/table-export.ts';
import type { PublicSummaryJson } from '../contract/index.ts';
import {
  type PublicSummaryTableName,
  publicSummaryTableNames,
  type ReportCell,
  type ReportColumn,
  type ReportTable,
} from '../core/reports/report-table.ts';

/**
 * Reports (the public summary, the operator's reports of `purl report`) as tables, and their
 * downloads: CSV of one table, XLSX of every table with one sheet each, both through the shared
 * table writer (src/app/export/table-export.ts): text neutralised against formula injection, amounts
 * as exact text cells.
 */

export const summaryTableNames = publicSummaryTableNames;
export type SummaryTableName = PublicSummaryTableName;

const rowColumns: readonly ReportColumn[] = [
  { key: 'announced', header: 'Announced', kind: 'money' },
  { key: 'committed', header: 'Committed', kind: 'money' },
  { key: 'paid', header: 'Paid', kind: 'money' },
  { key: 'pledges', header: 'Pledges', kind: 'integer' },
  { key: 'undisclosedPledges', header: 'Undisclosed pledges', kind: 'integer' },
];

type SummaryRowJson = PublicSummaryJson['byDonor'][number];

function rowCells(row: Omit<SummaryRowJson, 'code' | 'name'>): Record<string, ReportCell> {
  return {
    announced: row.announced,
    committed: row.committed,
    paid: row.paid,
    pledges: row.pledges,
    undisclosedPledges: row.undisclosedPledges,
  };
}

/** The public summary's tables, cell for cell from the API's own JSON document. */
export function summaryTables(summary: PublicSummaryJson): ReportTable[] {
  return [
    {
      name: 'totals',
      title: 'Totals by stage (USD)',
      columns: [
        { key: 'stage', header: 'Stage', kind: 'text' },
        { key: 'amount', header: 'Amount', kind: 'money' },
        { key: 'pledges', header: 'Pledges', kind: 'integer' },
        { key: 'counts', header: 'Counts stages', kind: 'text' },
        { key: 'note', header: 'Note', kind: 'text' },
      ],
      rows: summary.totals.map((total) => ({
        stage: total.stage,
        amount: total.amount,
        pledges: total.pledges,
        counts: total.counts.join('+'),
        note: total.note,
      })),
    },
    {
      name: 'donors',
      title: 'By donor (USD)',
      columns: [
        { key: 'code', header: 'Donor', kind: 'text' },
        { key: 'name', header: 'Name', kind: 'text' },
        ...rowColumns,
      ],
      rows: summary.byDonor.map((donor) => ({ code: donor.code, name: donor.name, ...rowCells(donor) })),
    },
    {
      name: 'categories',
      title: 'By earmarked category (USD)',
      columns: [
        { key: 'key', header: 'Key', kind: 'text' },
        { key: 'label', header: 'Category', kind: 'text' },
        ...rowColumns,
      ],
      rows: summary.byCategory.map((category) => ({
        key: category.key,
        label: category.label,
        ...rowCells(category),
      })),
    },
    {
      name: 'months',
      title: 'By month of announcement (USD)',
      columns: [{ key: 'month', header: 'Month', kind: 'date' }, ...rowColumns],
      rows: summary.byMonth.map((month) => ({ month: month.month, ...rowCells(month) })),
    },
    {
      name: 'forums',
      title: 'By forum (USD)',
      columns: [{ key: 'forum', header: 'Forum', kind: 'text' }, ...rowColumns],
      rows: summary.byForum.map((forum) => ({ forum: forum.forum, ...rowCells(forum) })),
    },
    {
      name: 'packages',
      title: 'Packages (USD)',
      columns: [
        { key: 'rank', header: 'Rank', kind: 'integer' },
        { key: 'ref', header: 'Package', kind: 'text' },
        { key: 'status', header: 'Status', kind: 'text' },
        { key: 'price', header: 'Price', kind: 'money' },
        { key: 'funded', header: 'Funded', kind: 'money' },
        { key: 'coverage', header: 'Coverage', kind: 'decimal' },
        { key: 'donors', header: 'Donors', kind: 'text' },
      ],
      rows: summary.packages.map((pkg) => ({
        rank: pkg.rank,
        ref: pkg.ref,
        status: pkg.status,
        price: pkg.price,
        funded: pkg.funded,
        coverage: pkg.coverage,
        donors: pkg.donors
          .map((donor) => `${donor.code} ${donor.allocated.amount} ${donor.allocated.currency}`)
          .join('; '),
      })),
    },
  ];
}

function moneyOf(cell: ReportCell | undefined): { amount: string; currency: string } | null {
  return typeof cell === 'object' && cell !== null ? cell : null;
}

/**
 * The columns as the file writers take them: a money column becomes two, the exact amount
 * (`announced`) and its currency code (`announced_currency`), so that no amount is ever parsed.
 */
export function exportColumns(table: ReportTable): ExportColumn<Readonly<Record<string, ReportCell>>>[] {
  return table.columns.flatMap((column): ExportColumn<Readonly<Record<string, ReportCell>>>[] => {
    if (column.kind === 'money') {
      return [
        { key: column.key, kind: 'amount', value: (row) => moneyOf(row[column.key])?.amount ?? null },
        {
          key: `${column.key}_currency`,
          kind: 'code',
          value: (row) => moneyOf(row[column.key])?.currency ?? null,
        },
      ];
    }
    const kind = column.kind === 'text' ? 'text' : column.kind === 'integer' ? 'integer' : 'code';
    return [
      {
        key: column.key,
        kind,
        value: (row): CellValue => {
          const cell = row[column.key];
          return cell === undefined || (typeof cell === 'object' && cell !== null) ? null : cell;
        },
      },
    ];
  });
}

function exportTable(
  table: ReportTable,
  fileName: string,
): ExportTable<Readonly<Record<string, ReportCell>>> {
  return { name: fileName, sheetName: table.name, columns: exportColumns(table), rows: table.rows };
}

/** One table as CSV text (header row of column keys, CRLF records), through the shared writer. */
export async function tableCsv(table: ReportTable): Promise<string> {
  return (await downloadBytes(tableDownload('csv', exportTable(table, table.name)))).toString('utf8');
}

/** Every table in one workbook, one sheet each, headed by the column keys as the CSV is. */
export function tablesXlsx(tables: readonly ReportTable[]): Readable {
  return xlsxStream(tables.map((table) => anyTable(exportTable(table, table.name))));
}

export type ReportDownloadFormat = 'csv' | 'xlsx';

/**
 * The public summary as a file: CSV of one table (`totals` unless named), or XLSX with one sheet per
 * table. Whole in memory: the summary is a few hundred rows at most, and it is cached per state.
 */
export async function summaryFile(
  summary: PublicSummaryJson,
  format: ReportDownloadFormat,
  table: SummaryTableName = 'totals',
): Promise<Buffer> {
  const tables = summaryTables(summary);
  if (format === 'xlsx') return downloadBytes({ body: tablesXlsx(tables) });
  const chosen = tables.find((candidate) => candidate.name === table);
  if (chosen === undefined) throw new Error(`the summary has no table '${table}'`);
  return Buffer.from(await tableCsv(chosen), 'utf8');
}

/** The download's file name and content type: `purl-public-summary-2026-11-26-donors.csv`. */
export function summaryFileName(
  asOf: string,
  format: ReportDownloadFormat,
  table: SummaryTableName = 'totals',
): { fileName: string; contentType: string } {
  const base = `purl-public-summary-${asOf.slice(0, 10)}`;
  return {
    fileName: format === 'csv' ? `${base}-${table}.csv` : `${base}.xlsx`,
    contentType: exportContentTypes[format],
  };
}
