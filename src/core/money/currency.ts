import currencyCodes from 'currency-codes';
import { Failure } from '../errors.ts';

/** An ISO 4217 alphabetic code, checked against the published ISO 4217 list one. */
export type CurrencyCode = string & { readonly __brand: 'CurrencyCode' };

const scales: ReadonlyMap<string, number> = new Map(
  currencyCodes.data
    // Funds, precious metals and testing codes (X..) have no minor unit for money we keep.
    .filter((record) => Number.isInteger(record.digits) && !record.code.startsWith('X'))
    .map((record) => [record.code, record.digits]),
);

export const Currency = {
  /** Parses an ISO 4217 code; `CURRENCY_UNKNOWN` when the list does not have it. */
  parse(code: string): CurrencyCode {
    if (typeof code !== 'string') throw new TypeError('Currency.parse takes a currency code string');
    if (!scales.has(code))
      throw new Failure('CURRENCY_UNKNOWN', `'${code.slice(0, 10)}' is not an ISO 4217 currency code.`);
    return code as CurrencyCode;
  },
  isKnown(code: string): code is CurrencyCode {
    if (typeof code !== 'string') throw new TypeError('Currency.isKnown takes a currency code string');
    return scales.has(code);
  },
  /** The number of decimals of the currency's minor unit (JPY 0, USD 2, KWD 3). */
  scale(code: CurrencyCode): number {
    if (typeof code !== 'string') throw new TypeError('Currency.scale takes a currency code string');
    const scale = scales.get(code);
    if (scale === undefined)
      throw new Failure('CURRENCY_UNKNOWN', `'${code}' is not an ISO 4217 currency code.`);
    return scale;
  },
  codes(): readonly CurrencyCode[] {
    return [...scales.keys()] as CurrencyCode[];
  },
  /** The date of the ISO 4217 list the table follows. */
  listPublished: currencyCodes.publishDate,
} as const;
