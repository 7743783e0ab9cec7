/**
 * A report as tables of typed cells: what the terminal, CSV and spreadsheet writers take, so that
 * every format shows the same figures. Money stays a decimal string with its currency code, exact.
 */

/** How a column's cells are written: text left-aligned; numbers, money and ratios right-aligned. */
export type ColumnKind = 'text' | 'integer' | 'money' | 'decimal' | 'date';

export interface ReportColumn {
  readonly key: string;
  readonly header: string;
  readonly kind: ColumnKind;
}

/** Money as the contract writes it: the exact decimal string and the ISO 4217 code. */
export interface MoneyCell {
  readonly amount: string;
  readonly currency: string;
}

export type ReportCell = string | number | MoneyCell | null;

export interface ReportTable {
  /** A short name to select the table by (`totals`, `donors`): a file or sheet name. */
  readonly name: string;
  readonly title: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Readonly<Record<string, ReportCell>>[];
}

/** The tables of the public summary, as `?table=` and `purl report summary --table` name them. */
export const publicSummaryTableNames = [
  'totals',
  'donors',
  'categories',
  'months',
  'forums',
  'packages',
] as const;
export type PublicSummaryTableName = (typeof publicSummaryTableNames)[number];

export const ReportTables = {
  isMoney(cell: ReportCell): cell is MoneyCell {
    return typeof cell === 'object' && cell !== null;
  },

  /** The table named `name`, or undefined. */
  find(tables: readonly ReportTable[], name: string): ReportTable | undefined {
    return tables.find((table) => table.name === name);
  },
} as const;
