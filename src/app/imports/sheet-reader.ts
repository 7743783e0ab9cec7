import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Failure } from '../../core/errors.ts';
import { type Cell, Cells, type SheetRow } from '../../core/imports/cell.ts';
import { Limits } from '../../core/limits.ts';

export const sheetFormats = ['csv', 'xlsx'] as const;
export type SheetFormat = (typeof sheetFormats)[number];

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Where an import reads from: opened once per pass, so a file is streamed and never held whole. */
export interface SheetSource {
  readonly format: SheetFormat;
  open(): Readable;
}

export interface ReadProgress {
  /** Data rows read so far. */
  readonly rows: number;
  /** Bytes of the file read so far (of `size`, when the caller knows it). */
  readonly bytes: number;
}

export function sourceOfBuffer(format: SheetFormat, body: Buffer): SheetSource {
  return { format, open: () => Readable.from([body]) };
}

function fileInvalid(detail: string): Failure {
  return new Failure('IMPORT_FILE_INVALID', detail);
}

/** Counts the bytes that pass, for the progress bar. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** UTF-8 only, decoded strictly: a binary file is refused instead of read as garbage text. */
class StrictUtf8 extends Transform {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#push(() => this.#decoder.decode(chunk, { stream: true }), done);
  }
  override _flush(done: TransformCallback): void {
    this.#push(() => this.#decoder.decode(), done);
  }
  #push(decode: () => string, done: TransformCallback): void {
    let text: string;
    try {
      text = decode();
    } catch {
      done(fileInvalid('The file is not UTF-8 text: not a CSV file (save it as "CSV UTF-8", or send XLSX).'));
      return;
    }
    if (text.includes('\u0000')) {
      done(fileInvalid('The file holds binary data: not a CSV file.'));
      return;
    }
    done(null, text);
  }
}

function checkWidth(row: number, width: number): void {
  if (width > Limits.importColumnsMax) {
    throw fileInvalid(`Row ${row} has ${width} cells; a row has at most ${Limits.importColumnsMax}.`);
  }
}

async function* csvRows(input: Readable): AsyncGenerator<SheetRow> {
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: Limits.importCellLengthMax * 4,
  });
  input.on('error', (error) => parser.destroy(error));
  const text = input.pipe(new StrictUtf8());
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      checkWidth(row, record.length);
      yield { row, cells: record.map(Cells.text) };
    }
  } catch (error) {
    if (error instanceof Failure) throw error;
    throw fileInvalid(`The file is not CSV: ${(error as Error).message.slice(0, 200)}`);
  }
}

/** A value as exceljs's streaming reader gives it, as a Cell; numbers keep their text. */
function cellOfValue(value: unknown): Cell {
  if (value === null || value === undefined) return Cells.empty;
  if (typeof value === 'string') return Cells.text(value);
  if (typeof value === 'number') return { kind: 'number', text: String(value) };
  if (typeof value === 'boolean') return { kind: 'other', what: 'a true/false value' };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { kind: 'other', what: 'an invalid date' }
      : { kind: 'date', date: value.toISOString().slice(0, 10) };
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('formula' in record || 'sharedFormula' in record) {
      return { kind: 'formula', formula: String(record.formula ?? record.sharedFormula ?? '') };
    }
    if (Array.isArray(record.richText)) {
      return Cells.text(
        (record.richText as { text?: unknown }[]).map((part) => String(part.text ?? '')).join(''),
      );
    }
    if (typeof record.text === 'string') return Cells.text(record.text);
    if ('error' in record) return { kind: 'other', what: `an error value (${String(record.error)})` };
  }
  return { kind: 'other', what: 'a value that is no text' };
}

async function* xlsxRows(input: Readable): AsyncGenerator<SheetRow> {
  // Styles are read so that a date cell is a Date (a date in an amount column is refused by name);
  // shared strings are cached because rows refer to them by index.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let sheets = 0;
  try {
    for await (const worksheet of workbook) {
      sheets += 1;
      if (sheets > 1) continue; // only the first sheet is the data; the others are drained
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        checkWidth(row.number, Math.max(0, values.length - 1));
        const cells: Cell[] = [];
        for (let index = 1; index < values.length; index += 1) cells.push(cellOfValue(values[index]));
        yield { row: row.number, cells };
      }
    }
  } catch (error) {
    if (error instanceof Failure) throw error;
    throw fileInvalid(`The file is not an XLSX workbook: ${(error as Error).message.slice(0, 200)}`);
  }
  if (sheets === 0) throw fileInvalid('The file is not an XLSX workbook with a worksheet.');
}

/**
 * Streams the rows of a CSV or XLSX file, header first, skipping blank rows; memory stays flat
 * whatever the file's length. More than `Limits.importRowsMax` data rows, or a row wider than
 * `Limits.importColumnsMax`, is `IMPORT_FILE_INVALID`.
 */
export async function* readSheet(
  source: SheetSource,
  onProgress?: (progress: ReadProgress) => void,
): AsyncGenerator<SheetRow> {
  const counter = new ByteCounter();
  const input = source.open();
  input.on('error', (error) => counter.destroy(error));
  input.pipe(counter);
  const rows = source.format === 'csv' ? csvRows(counter) : xlsxRows(counter);
  let dataRows = -1;
  try {
    for await (const row of rows) {
      if (row.cells.every((cell) => cell.kind === 'empty')) continue;
      dataRows += 1;
      if (dataRows > Limits.importRowsMax) {
        throw fileInvalid(`The file has more than ${Limits.importRowsMax} data rows; split it.`);
      }
      if (onProgress && dataRows % 1000 === 0) onProgress({ rows: dataRows, bytes: counter.bytes });
      yield row;
    }
  } finally {
    input.destroy();
    counter.destroy();
  }
  onProgress?.({ rows: Math.max(0, dataRows), bytes: counter.bytes });
}
