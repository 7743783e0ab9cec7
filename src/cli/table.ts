import type { ReportCell, ReportColumn, ReportTable } from '../core/reports/report-table.ts';

/**
 * A report table for a person at a terminal: aligned columns, text on the left, numbers and money on
 * the right, money exact with its currency code and digit grouping (`150,000,000.00 USD`).
 */

const textWidthMax = 40;
const gap = '  ';

/** `1234567.50` → `1,234,567.50`: the digits are the amount's own, only separators are added. */
export function groupDigits(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '', fraction] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function shown(cell: ReportCell | undefined, column: ReportColumn): string {
  if (cell === null || cell === undefined) return '—';
  if (typeof cell === 'object') return `${groupDigits(cell.amount)} ${cell.currency}`;
  const text = String(cell).replace(/\p{Cc}/gu, ' ');
  if (column.kind === 'text' && text.length > textWidthMax) return `${text.slice(0, textWidthMax - 1)}…`;
  return text;
}

const rightAligned = (column: ReportColumn) => column.kind !== 'text' && column.kind !== 'date';

/** The table as lines of text; `heading` paints the title and the header row (bold on a terminal). */
export function renderTable(table: ReportTable, heading: (text: string) => string): string[] {
  const cells = table.rows.map((row) => table.columns.map((column) => shown(row[column.key], column)));
  const widths = table.columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => (row[index] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    table.columns
      .map((column, index) => {
        const value = values[index] ?? '';
        const width = widths[index] ?? 0;
        return rightAligned(column) ? value.padStart(width) : value.padEnd(width);
      })
      .join(gap)
      .trimEnd();
  const lines = [heading(table.title), heading(line(table.columns.map((column) => column.header)))];
  lines.push(widths.map((width) => '─'.repeat(width)).join(gap));
  for (const row of cells) lines.push(line(row));
  if (cells.length === 0) lines.push('(none)');
  return lines;
}
