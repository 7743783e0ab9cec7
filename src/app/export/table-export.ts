import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { Cells } from '../../core/imports/cell.ts';

/**
 * Writes tables (a list, a report) as CSV, XLSX or JSON downloads, streamed row by row. Shared by
 * the list exports (`?format=`), the import templates and `purl export`: reuse it for any table.
 */
export const exportFormats = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportContentTypes: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

/**
 * How a column's values are written. `text`: free text a person typed, neutralised against formula
 * injection (a leading ' before = + - @ tab CR) in CSV and XLSX. `amount`: a decimal string of
 * money, written as a text cell so no spreadsheet turns it into a float. `integer`: a JS number
 * that is a count or a rank (never money), a number cell. `code`: ids, codes, dates, stages.
 */
export type ColumnKind = 'text' | 'amount' | 'integer' | 'code';

export type CellValue = string | number | null;

export interface ExportColumn<Row> {
  readonly key: string;
  readonly kind: ColumnKind;
  readonly value: (row: Row) => CellValue;
}

export interface ExportTable<Row> {
  /** The download's file name without extension (`requirements-2026-11-26`). */
  readonly name: string;
  readonly sheetName: string;
  readonly columns: readonly ExportColumn<Row>[];
  readonly rows: Iterable<Row> | AsyncIterable<Row>;
  /** Extra sheets (XLSX only), e.g. a template's column notes. */
  readonly notes?: { readonly sheetName: string; readonly rows: readonly (readonly string[])[] };
}

export interface TableDownload {
  readonly format: ExportFormat;
  readonly fileName: string;
  readonly contentType: string;
  readonly body: Readable;
}

/** A text cell as CSV and XLSX write it: formula triggers neutralised. */
export function safeText(value: string): string {
  return Cells.neutralise(value);
}

function written<Row>(column: ExportColumn<Row>, row: Row): CellValue {
  const value = column.value(row);
  if (value === null) return null;
  return column.kind === 'text' && typeof value === 'string' ? safeText(value) : value;
}

async function* csvChunks<Row>(table: ExportTable<Row>): AsyncGenerator<string> {
  const stringifier = stringify({ header: false, eof: true, record_delimiter: '\r\n' });
  const output: string[] = [];
  stringifier.on('data', (chunk: Buffer | string) => output.push(chunk.toString()));
  const flush = () => output.splice(0, output.length).join('');
  const write = (record: CellValue[]) =>
    new Promise<void>((resolve, reject) =>
      stringifier.write(
        record.map((value) => (value === null ? '' : String(value))),
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  await write(table.columns.map((column) => column.key));
  yield flush();
  let pending = 0;
  for await (const row of table.rows) {
    await write(table.columns.map((column) => written(column, row)));
    pending += 1;
    if (pending === 500) {
      pending = 0;
      yield flush();
    }
  }
  await new Promise<void>((resolve) => stringifier.end(resolve));
  yield flush();
}

async function* jsonChunks<Row>(table: ExportTable<Row>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const row of table.rows) {
    const record: Record<string, CellValue> = {};
    for (const column of table.columns) record[column.key] = column.value(row);
    yield `${first ? '' : ','}\n${JSON.stringify(record)}`;
    first = false;
  }
  yield '\n]\n';
}

/** A table of any row type, as the several-sheet workbook takes it. */
export type AnyExportTable = ExportTable<never>;

/** The table with its row type forgotten: its columns read the rows it carries, and nothing else. */
export function anyTable<Row>(table: ExportTable<Row>): AnyExportTable {
  return table as unknown as AnyExportTable;
}

/**
 * Tables as one workbook, streamed, one sheet each (and a notes sheet after a table that has notes),
 * headed by the column keys as the CSV is: what every XLSX download and report is written with.
 */
export function xlsxStream(tables: readonly AnyExportTable[]): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const write = async () => {
    for (const table of tables) {
      const sheet = workbook.addWorksheet(table.sheetName);
      sheet.columns = table.columns.map((column) => ({
        header: column.key,
        key: column.key,
        width: column.kind === 'text' ? 40 : 18,
        // Amount and text columns are Text-formatted, so what a person types there stays text (and
        // an amount stays exact); amounts are right-aligned, as numbers read.
        style:
          column.kind === 'integer'
            ? {}
            : { numFmt: '@', ...(column.kind === 'amount' ? { alignment: { horizontal: 'right' } } : {}) },
      }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      for await (const row of table.rows) {
        sheet.addRow(table.columns.map((column) => written(column, row))).commit();
      }
      sheet.commit();
      if (table.notes) {
        const notes = workbook.addWorksheet(table.notes.sheetName);
        for (const line of table.notes.rows) notes.addRow(line.map(safeText)).commit();
        notes.commit();
      }
    }
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error as Error));
  return output;
}

/** The table as a download in `format`, streamed: rows are read as the body is consumed. */
export function tableDownload<Row>(format: ExportFormat, table: ExportTable<Row>): TableDownload {
  const body =
    format === 'xlsx'
      ? xlsxStream([anyTable(table)])
      : Readable.from(format === 'csv' ? csvChunks(table) : jsonChunks(table));
  return {
    format,
    fileName: `${table.name}.${format}`,
    contentType: exportContentTypes[format],
    body,
  };
}

/**
 * Several tables as one download: XLSX with one sheet each; CSV and JSON of the one table named
 * `chosen` (a CSV file holds one table). `name` is the file name without extension; a CSV or
 * JSON file of a table other than the first is named `<name>-<table>`.
 */
export function tablesDownload(
  format: ExportFormat,
  name: string,
  tables: readonly AnyExportTable[],
  chosen?: string,
): TableDownload {
  if (format === 'xlsx') {
    return {
      format,
      fileName: `${name}.xlsx`,
      contentType: exportContentTypes.xlsx,
      body: xlsxStream(tables),
    };
  }
  const table = tables.find((candidate) => candidate.sheetName === (chosen ?? tables[0]?.sheetName));
  if (table === undefined) throw new Error(`no table '${chosen}' to download`);
  const fileName = table === tables[0] ? name : `${name}-${table.sheetName}`;
  return tableDownload(format, { ...table, name: fileName });
}

/** Reads a whole download into memory (tests, small tables). */
export async function downloadBytes(download: Pick<TableDownload, 'body'>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
