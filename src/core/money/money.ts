import { Failure } from '../errors.ts';
import { Limits } from '../limits.ts';
import { Currency, type CurrencyCode } from './currency.ts';

/** An exact amount: integer minor units of an ISO 4217 currency. Never a JS number. */
export interface Money {
  readonly minor: bigint;
  readonly currency: CurrencyCode;
}

const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/;
const amountMinorMax = 10n ** BigInt(Limits.amountIntegerDigitsMax + 3);

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new Failure('CURRENCY_MISMATCH', `Cannot combine ${a.currency} and ${b.currency}.`);
  }
}

export const Money = {
  of(minor: bigint, currency: CurrencyCode): Money {
    if (typeof minor !== 'bigint') throw new TypeError('Money.of takes minor units as a bigint');
    if (minor >= amountMinorMax || minor <= -amountMinorMax) {
      throw new Failure('MONEY_OUT_OF_RANGE', 'The amount is beyond the largest amount handled.');
    }
    return Object.freeze({ minor, currency });
  },

  zero(currency: CurrencyCode): Money {
    return Money.of(0n, currency);
  },

  /**
   * Parses a decimal string with exactly the currency's scale ("150000000.00" GBP, "5000" JPY).
   * No rounding ever happens here: a wrong scale is `MONEY_SCALE_INVALID`.
   */
  parse(amount: string, currencyCode: string): Money {
    if (typeof amount !== 'string') throw new Failure('MONEY_INVALID', 'An amount must be a decimal string.');
    const currency = Currency.parse(currencyCode);
    const match = decimalPattern.exec(amount);
    if (!match) throw new Failure('MONEY_INVALID', `'${amount.slice(0, 40)}' is not a decimal string.`);
    const [, sign = '', integerPart = '', fraction = ''] = match;
    const scale = Currency.scale(currency);
    if (fraction.length !== scale) {
      throw new Failure(
        'MONEY_SCALE_INVALID',
        `${currency} amounts have exactly ${scale} decimal${scale === 1 ? '' : 's'}; got '${amount.slice(0, 40)}'.`,
      );
    }
    if (
      integerPart.length > Limits.amountIntegerDigitsMax &&
      /[1-9]/.test(integerPart.slice(0, -Limits.amountIntegerDigitsMax))
    ) {
      throw new Failure('MONEY_OUT_OF_RANGE', 'The amount is beyond the largest amount handled.');
    }
    const magnitude = BigInt(integerPart + fraction);
    return Money.of(sign === '-' ? -magnitude : magnitude, currency);
  },

  /** The decimal string with exactly the currency's scale; the inverse of `parse`. */
  format(money: Money): string {
    const scale = Currency.scale(money.currency);
    const negative = money.minor < 0n;
    const digits = (negative ? -money.minor : money.minor).toString().padStart(scale + 1, '0');
    const integerPart = digits.slice(0, digits.length - scale);
    const fraction = scale === 0 ? '' : `.${digits.slice(digits.length - scale)}`;
    return `${negative ? '-' : ''}${integerPart}${fraction}`;
  },

  add(a: Money, b: Money): Money {
    sameCurrency(a, b);
    return Money.of(a.minor + b.minor, a.currency);
  },

  subtract(a: Money, b: Money): Money {
    sameCurrency(a, b);
    return Money.of(a.minor - b.minor, a.currency);
  },

  /** Multiplies by an integer count (a quantity), exactly. */
  times(money: Money, count: bigint): Money {
    if (typeof count !== 'bigint') throw new TypeError('Money.times takes a bigint count');
    return Money.of(money.minor * count, money.currency);
  },

  compare(a: Money, b: Money): -1 | 0 | 1 {
    sameCurrency(a, b);
    return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
  },

  equals(a: Money, b: Money): boolean {
    return a.currency === b.currency && a.minor === b.minor;
  },

  isPositive(money: Money): boolean {
    return money.minor > 0n;
  },

  /** The JSON form of the contract: `{ amount: "150000000.00", currency: "GBP" }`. */
  toJson(money: Money): { amount: string; currency: string } {
    return { amount: Money.format(money), currency: money.currency };
  },
} as const;
