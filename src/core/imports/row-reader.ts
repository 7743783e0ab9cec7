import { IsoDate } from '../calendar/iso-date.ts';
import { Failure, type FieldError } from '../errors.ts';
import { Currency } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import { type Cell, Cells } from './cell.ts';
import type { HeaderMap } from './import-template.ts';

/**
 * Reads the typed values of one data row and collects every problem with its place ("row 12,
 * column unitCost"), so that one pass over a file reports all of them, not the first.
 */
export class RowReader {
  readonly errors: FieldError[] = [];
  readonly #cells: ReadonlyMap<string, Cell>;

  constructor(
    readonly row: number,
    map: HeaderMap,
    cells: readonly Cell[],
  ) {
    const byKey = new Map<string, Cell>();
    cells.forEach((cell, index) => {
      if (cell.kind === 'empty') return;
      const key = map.positions[index];
      if (key === undefined) this.problem(`column ${index + 1}`, 'a value outside the columns of the header');
      else if (key !== null) byKey.set(key, cell);
    });
    this.#cells = byKey;
  }

  problem(column: string, message: string): void {
    this.errors.push({
      path: `row ${this.row}, ${column.startsWith('column') ? column : `column ${column}`}`,
      message,
    });
  }

  /** A Failure of a core check (Money.parse, Pledges.check) as a problem of `column`. */
  failure(column: string, error: unknown): void {
    if (!(error instanceof Failure)) throw error;
    this.problem(column, error.detail);
  }

  has(key: string): boolean {
    return !Cells.isEmpty(this.#cells.get(key));
  }

  /** Text (or a number written as text); formulas, dates and other values are problems. */
  text(key: string, options: { required?: boolean; max: number }): string | undefined {
    const cell = this.#cells.get(key) ?? Cells.empty;
    switch (cell.kind) {
      case 'empty':
        if (options.required) this.problem(key, 'required');
        return undefined;
      case 'text':
      case 'number': {
        const text = Cells.unneutralise(cell.kind === 'text' ? cell.text.trim() : cell.text);
        if (text.length > options.max) {
          this.problem(key, `longer than ${options.max} characters`);
          return undefined;
        }
        return text;
      }
      case 'date':
        return this.refuse(key, 'a date where text belongs');
      case 'formula':
        return this.refuse(key, 'a formula; paste its value as text (formulas are never imported)');
      case 'other':
        return this.refuse(key, `${cell.what} where text belongs`);
    }
  }

  /** One of `choices`, or `fallback` when the cell is empty. */
  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T | undefined {
    const text = this.text(key, { max: 40 });
    if (text === undefined) return this.has(key) ? undefined : fallback;
    const found = choices.find((choice) => choice === text.toLowerCase());
    if (!found) this.problem(key, `'${text.slice(0, 40)}' is not one of ${choices.join(', ')}`);
    return found;
  }

  /** A whole number in [min, max], from a numeric cell or digits in a text cell. */
  integer(key: string, min: number, max: number): number | undefined {
    const text = this.text(key, { required: true, max: 20 });
    if (text === undefined) return undefined;
    if (!/^\d{1,10}$/.test(text)) return this.refuse(key, `'${text.slice(0, 20)}' is not a whole number`);
    const value = Number.parseInt(text, 10);
    if (value < min || value > max) return this.refuse(key, `must be from ${min} to ${max}`);
    return value;
  }

  /** A date YYYY-MM-DD: a date cell of a workbook or the text of one. */
  date(key: string, options: { required?: boolean } = {}): IsoDate | undefined {
    const cell = this.#cells.get(key) ?? Cells.empty;
    if (cell.kind === 'date') return cell.date;
    const text = this.text(key, { ...options, max: 10 });
    if (text === undefined) return undefined;
    if (!IsoDate.isValid(text)) return this.refuse(key, `'${text}' is not a date (YYYY-MM-DD)`);
    return text;
  }

  /**
   * Money from an amount column and a currency column. The amount must be text with exactly the
   * currency's scale: a numeric cell has lost its decimals, a date or a formula is no amount.
   */
  money(amountKey: string, currencyKey: string, options: { required: boolean }): Money | null | undefined {
    const amountCell = this.#cells.get(amountKey) ?? Cells.empty;
    const currency = this.text(currencyKey, { required: options.required, max: 3 })?.toUpperCase();
    if (currency !== undefined && !Currency.isKnown(currency)) {
      this.problem(currencyKey, `'${currency}' is not an ISO 4217 currency code`);
    }
    switch (amountCell.kind) {
      case 'empty':
        if (options.required) this.problem(amountKey, 'required');
        else if (currency !== undefined) this.problem(amountKey, `required when ${currencyKey} is given`);
        return options.required ? undefined : null;
      case 'number':
        return this.refuse(
          amountKey,
          `a number cell (${amountCell.text.slice(0, 20)}); write the amount as text with the currency's decimals, e.g. "4000000.00"`,
        );
      case 'date':
        return this.refuse(amountKey, 'a date where an amount belongs');
      case 'formula':
        return this.refuse(amountKey, 'a formula where an amount belongs; amounts are decimal strings');
      case 'other':
        return this.refuse(amountKey, `${amountCell.what} where an amount belongs`);
      case 'text':
        break;
    }
    if (currency === undefined) {
      if (!options.required) this.problem(currencyKey, `required when ${amountKey} is given`);
      return undefined;
    }
    if (!Currency.isKnown(currency)) return undefined;
    try {
      return Money.parse(amountCell.text.trim(), currency);
    } catch (error) {
      this.failure(amountKey, error);
      return undefined;
    }
  }

  private refuse(key: string, message: string): undefined {
    this.problem(key, message);
    return undefined;
  }
}
