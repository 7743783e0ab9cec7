import { CsvError, parse } from 'csv-parse/sync';
import { IsoDate } from '../calendar/iso-date.ts';
import { Limits } from '../limits.ts';
import { Currency, type CurrencyCode } from '../money/currency.ts';
import { Fraction } from '../money/fraction.ts';
import { Rate } from '../money/rate.ts';
import { FileProblems } from './file-problem.ts';

/** The reference rates of one ECB file: units of each currency per 1 EUR, by date. */
export interface EcbRatesFile {
  /** Base EUR, quote the currency; sorted by date, then currency. `N/A` cells give no rate. */
  readonly rates: readonly Rate[];
  /** The dates of the file, ascending. */
  readonly dates: readonly IsoDate[];
  /** The currencies with at least one rate, sorted. */
  readonly currencies: readonly CurrencyCode[];
  /**
   * Header codes that are not current ISO 4217 currencies with a minor unit (the historical file
   * keeps columns for CYP, EEK, SIT...). Their columns are skipped: no money is held in them.
   */
  readonly ignoredCurrencies: readonly string[];
}

const ecbSource = 'ECB';
const missingValue = 'N/A';
const currencyCodePattern = /^[A-Z]{3}$/;
const rateTextPattern = /^\d+(?:\.\d+)?$/;

interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function readDate(text: string): IsoDate | undefined {
  if (IsoDate.isValid(text)) return text;
  return IsoDate.fromLongEnglish(text);
}

function recordsOf(text: string, problems: FileProblems): CsvRecord[] | undefined {
  try {
    return parse(text, {
      info: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    problems.add(line, null, `The file is not valid CSV: ${error.message}`);
    return undefined;
  }
}

export const EcbReferenceRates = {
  /** The source recorded with rates read from an ECB file. */
  source: ecbSource,

  /**
   * Reads an ECB euro foreign exchange reference-rate file from its text: the daily file
   * (`eurofxref.csv`: `Date, USD, JPY, ...` then one row `26 November 2026, 1.0834, 162.51, ...`)
   * or the historical one (`eurofxref-hist.csv`: `Date,USD,...` then rows `2026-11-26,1.0834,...`
   * with `N/A` where a currency was not quoted). Both end each line with a comma; either date form
   * is accepted on any row.
   *
   * All or nothing: a corrupt or truncated file is `FX_FILE_INVALID`, whose `errors` name each
   * problem by line and column (`path: "line 7, column 3"`), at most `Limits.importErrorsMax` of
   * them. A line missing the trailing comma its header has is reported as a cut line, which catches
   * a file truncated in the middle of its last value.
   */
  parse(text: string, source: string = ecbSource): EcbRatesFile {
    if (typeof text !== 'string') throw new TypeError('EcbReferenceRates.parse takes the file as a string');
    if (typeof source !== 'string')
      throw new TypeError('EcbReferenceRates.parse takes the source as a string');
    const problems = new FileProblems();
    // One line ending, so that csv-parse counts lines the way an editor shows them.
    const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const lineCount = normalized.split('\n').length;
    if (normalized.trim() === '') {
      problems.add(1, null, 'The file is empty.');
      throw problems.failure('FX_FILE_INVALID', 'The ECB file');
    }
    if (lineCount > Limits.fxFileLinesMax) {
      problems.add(Limits.fxFileLinesMax + 1, null, `The file has more than ${Limits.fxFileLinesMax} lines.`);
      throw problems.failure('FX_FILE_INVALID', 'The ECB file');
    }
    const records = recordsOf(normalized, problems);
    if (!records) throw problems.failure('FX_FILE_INVALID', 'The ECB file');
    const [header, ...rows] = records;
    if (!header) {
      problems.add(1, null, 'The file has no header line.');
      throw problems.failure('FX_FILE_INVALID', 'The ECB file');
    }

    const headerLine = header.info.lines;
    const headerCells = [...header.record];
    const trailingComma = headerCells.length > 1 && headerCells[headerCells.length - 1] === '';
    if (trailingComma) headerCells.pop();
    if ((headerCells[0] ?? '').toLowerCase() !== 'date') {
      problems.add(
        headerLine,
        1,
        `The header starts with '${(headerCells[0] ?? '').slice(0, 20)}'; expected 'Date'.`,
      );
    }
    /** Per column (index in the line): the currency it holds, or null for an ignored one. */
    const columns: (CurrencyCode | null)[] = [null];
    const seen = new Set<string>();
    const ignored: string[] = [];
    headerCells.slice(1).forEach((cell, offset) => {
      const column = offset + 2;
      if (!currencyCodePattern.test(cell)) {
        problems.add(headerLine, column, `'${cell.slice(0, 20)}' is not a currency code.`);
        columns.push(null);
      } else if (seen.has(cell)) {
        problems.add(headerLine, column, `${cell} appears twice in the header.`);
        columns.push(null);
      } else if (cell === 'EUR') {
        problems.add(headerLine, column, 'EUR is the base of the file; it cannot be a column.');
        columns.push(null);
      } else if (Currency.isKnown(cell)) {
        columns.push(cell);
      } else {
        ignored.push(cell);
        columns.push(null);
      }
      seen.add(cell);
    });
    const usdColumn = columns.indexOf('USD' as CurrencyCode);
    if (usdColumn < 0 && headerCells[0]?.toLowerCase() === 'date') {
      problems.add(headerLine, null, 'The header has no USD column: USD cross rates cannot be derived.');
    }
    if (rows.length === 0) {
      problems.add(headerLine + 1, null, 'The file has no rates after its header.');
    }

    const rates: Rate[] = [];
    const dateLines = new Map<IsoDate, number>();
    for (const { record, info } of rows) {
      const line = info.lines;
      const cells = [...record];
      if (trailingComma) {
        if (cells[cells.length - 1] !== '') {
          problems.add(line, null, 'The line does not end with a comma like the header: it looks cut off.');
          continue;
        }
        cells.pop();
      }
      if (cells.length !== headerCells.length) {
        problems.add(
          line,
          null,
          `The line has ${cells.length} values; the header has ${headerCells.length}.`,
        );
        continue;
      }
      const dateText = cells[0] ?? '';
      const date = readDate(dateText);
      if (date === undefined) {
        problems.add(line, 1, `'${dateText.slice(0, 30)}' is not a date (2026-11-26 or 26 November 2026).`);
        continue;
      }
      const earlierLine = dateLines.get(date);
      if (earlierLine !== undefined) {
        problems.add(line, 1, `${date} appears already on line ${earlierLine}.`);
        continue;
      }
      dateLines.set(date, line);
      cells.forEach((cell, index) => {
        const currency = columns[index];
        if (index === 0 || currency === null || currency === undefined) return;
        const column = index + 1;
        if (cell === missingValue) {
          if (currency === 'USD') {
            problems.add(line, column, 'USD is N/A: the USD cross rates of this date cannot be derived.');
          }
          return;
        }
        const value =
          cell.length <= Limits.rateLengthMax && rateTextPattern.test(cell)
            ? Fraction.parseDecimal(cell)
            : undefined;
        if (value === undefined || value.numerator <= 0n) {
          problems.add(line, column, `'${cell.slice(0, 30)}' is not a positive rate or N/A (${currency}).`);
          return;
        }
        rates.push(Rate.of({ base: 'EUR' as CurrencyCode, quote: currency, value, date, source }));
      });
    }
    if (problems.count > 0) throw problems.failure('FX_FILE_INVALID', 'The ECB file');

    rates.sort((a, b) => (a.date === b.date ? (a.quote < b.quote ? -1 : 1) : a.date < b.date ? -1 : 1));
    return Object.freeze({
      rates,
      dates: [...dateLines.keys()].sort(),
      currencies: [...new Set(rates.map((rate) => rate.quote))].sort(),
      ignoredCurrencies: ignored,
    });
  },
} as const;
