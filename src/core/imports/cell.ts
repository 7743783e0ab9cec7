import type { IsoDate } from '../calendar/iso-date.ts';

/**
 * One cell of an imported sheet, as the reader found it. The readers (src/app/imports) turn what
 * csv-parse and exceljs give into these; the core never sees a JS number where money may stand: a
 * numeric cell keeps the text the reader wrote for it.
 */
export type Cell =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string }
  /** A numeric cell of a workbook; `text` is its shortest decimal form ("4000000", "12.5"). */
  | { readonly kind: 'number'; readonly text: string }
  /** A cell a workbook stores as a date (a number with a date format). */
  | { readonly kind: 'date'; readonly date: IsoDate }
  | { readonly kind: 'formula'; readonly formula: string }
  /** A boolean, an error value (#N/A) or anything else that is no text. */
  | { readonly kind: 'other'; readonly what: string };

/** One data row: its number as the spreadsheet shows it (the header is row 1) and its cells. */
export interface SheetRow {
  readonly row: number;
  readonly cells: readonly Cell[];
}

/** A formula trigger first, after any single quotes (so that neutralising is undone exactly). */
const formulaTriggers = /^'*[=+\-@\t\r]/;

export const Cells = {
  empty: Object.freeze({ kind: 'empty' }) as Cell,

  text(text: string): Cell {
    return text.trim() === '' ? Cells.empty : { kind: 'text', text };
  },

  isEmpty(cell: Cell | undefined): boolean {
    return cell === undefined || cell.kind === 'empty';
  },

  /**
   * Text that a spreadsheet would run as a formula (= + - @, a tab or a carriage return first)
   * gets a leading single quote on export (OWASP "CSV injection").
   */
  neutralise(text: string): string {
    return formulaTriggers.test(text) ? `'${text}` : text;
  },

  /** The inverse of `neutralise`, on import: an exported file imports back to the same text. */
  unneutralise(text: string): string {
    return text.startsWith("'") && formulaTriggers.test(text.slice(1)) ? text.slice(1) : text;
  },
} as const;
