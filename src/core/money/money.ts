import { Failure } from '../errors.ts';
import { Limits } from '../limits.ts';
import { Currency, type CurrencyCode } from './currency.ts';
import { Fraction } from './fraction.ts';
import type { Rate } from './rate.ts';
import { RoundingMode } from './rounding-mode.ts';

/** An exact amount: integer minor units of an ISO 4217 currency. Never a JS number. */
export interface Money {
  readonly minor: bigint;
  readonly currency: CurrencyCode;
}

/**
 * The result of `Money.convert`: the converted amount and everything needed to recompute it. The
 * residue is what rounding dropped (`exact − to`), in minor units of the target currency, so that
 * a ledger can record it: `|residueMinor| < 1`, and `≤ 1/2` with the half-* modes.
 */
export interface Conversion {
  readonly from: Money;
  readonly to: Money;
  readonly rate: Rate;
  readonly rounding: RoundingMode;
  readonly residueMinor: Fraction;
}

const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/;
const amountMinorMax = 10n ** BigInt(Limits.amountIntegerDigitsMax + 3);

/** Guards every entry point: a JS number where money belongs is a programming error, never coerced. */
function requireMoney(value: unknown, where: string): asserts value is Money {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Money).minor !== 'bigint' ||
    typeof (value as Money).currency !== 'string'
  ) {
    throw new TypeError(`${where} takes Money ({ minor: bigint, currency }), never a JS number`);
  }
}

function requireBigint(value: unknown, where: string): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${where} takes a bigint, never a JS number`);
}

function requireString(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${where} takes a string, never a JS number`);
}

function requireRounding(value: unknown, where: string): asserts value is RoundingMode {
  if (!RoundingMode.isValid(value)) throw new TypeError(`${where} takes a rounding mode name`);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new Failure('CURRENCY_MISMATCH', `Cannot combine ${a.currency} and ${b.currency}.`);
  }
}

/**
 * Splits a non-negative magnitude by non-negative ratios with the largest-remainder method: each
 * part first gets the floor of its exact share; the units left over (fewer than the number of
 * parts) go one each to the parts with the largest remainders, and among equal remainders to the
 * EARLIER index. The parts therefore sum to the whole and each is within one unit of its share.
 */
function largestRemainder(magnitude: bigint, ratios: readonly bigint[], total: bigint): bigint[] {
  const parts = ratios.map((ratio) => (magnitude * ratio) / total);
  const remainders = ratios.map((ratio) => (magnitude * ratio) % total);
  let leftover = magnitude - parts.reduce((sum, part) => sum + part, 0n);
  const order = ratios
    .map((_, index) => index)
    .sort((a, b) => {
      const difference = (remainders[b] ?? 0n) - (remainders[a] ?? 0n);
      return difference > 0n ? 1 : difference < 0n ? -1 : a - b;
    });
  for (const index of order) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts;
}

export const Money = {
  of(minor: bigint, currency: CurrencyCode): Money {
    requireBigint(minor, 'Money.of');
    requireString(currency, 'Money.of');
    if (minor >= amountMinorMax || minor <= -amountMinorMax) {
      throw new Failure('MONEY_OUT_OF_RANGE', 'The amount is beyond the largest amount handled.');
    }
    return Object.freeze({ minor, currency });
  },

  zero(currency: CurrencyCode): Money {
    requireString(currency, 'Money.zero');
    return Money.of(0n, currency);
  },

  /**
   * Parses a decimal string with exactly the currency's scale ("150000000.00" GBP, "5000" JPY).
   * No rounding ever happens here: a wrong scale is `MONEY_SCALE_INVALID`.
   */
  parse(amount: string, currencyCode: string): Money {
    if (typeof amount === 'number')
      throw new TypeError('Money.parse takes a decimal string, never a JS number');
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
    requireMoney(money, 'Money.format');
    const scale = Currency.scale(money.currency);
    const negative = money.minor < 0n;
    const digits = (negative ? -money.minor : money.minor).toString().padStart(scale + 1, '0');
    const integerPart = digits.slice(0, digits.length - scale);
    const fraction = scale === 0 ? '' : `.${digits.slice(digits.length - scale)}`;
    return `${negative ? '-' : ''}${integerPart}${fraction}`;
  },

  add(a: Money, b: Money): Money {
    requireMoney(a, 'Money.add');
    requireMoney(b, 'Money.add');
    sameCurrency(a, b);
    return Money.of(a.minor + b.minor, a.currency);
  },

  subtract(a: Money, b: Money): Money {
    requireMoney(a, 'Money.subtract');
    requireMoney(b, 'Money.subtract');
    sameCurrency(a, b);
    return Money.of(a.minor - b.minor, a.currency);
  },

  negate(money: Money): Money {
    requireMoney(money, 'Money.negate');
    return Money.of(-money.minor, money.currency);
  },

  /** The sum of amounts in one currency (zero for none); a different currency is `CURRENCY_MISMATCH`. */
  sum(currency: CurrencyCode, amounts: readonly Money[]): Money {
    requireString(currency, 'Money.sum');
    let total = Money.zero(currency);
    for (const amount of amounts) total = Money.add(total, amount);
    return total;
  },

  /** Multiplies by an integer count (a quantity), exactly. */
  times(money: Money, count: bigint): Money {
    requireMoney(money, 'Money.times');
    requireBigint(count, 'Money.times');
    return Money.of(money.minor * count, money.currency);
  },

  /** Multiplies by an exact fraction (a share, a percentage) and rounds once with `rounding`. */
  multiply(money: Money, factor: Fraction, rounding: RoundingMode): Money {
    requireMoney(money, 'Money.multiply');
    requireRounding(rounding, 'Money.multiply');
    const exact = Fraction.multiply(Fraction.of(money.minor), factor);
    return Money.of(Fraction.round(exact, rounding), money.currency);
  },

  /**
   * One quotient `money / divisor`, rounded once with `rounding` (what is left over is the caller's
   * business). To cut money into parts that sum to the whole, use `split` or `allocate`.
   */
  divide(money: Money, divisor: bigint, rounding: RoundingMode): Money {
    requireMoney(money, 'Money.divide');
    requireBigint(divisor, 'Money.divide');
    requireRounding(rounding, 'Money.divide');
    if (divisor === 0n) throw new Failure('VALIDATION_FAILED', 'Money cannot be divided by zero.');
    return Money.of(RoundingMode.divide(money.minor, divisor, rounding), money.currency);
  },

  /** `parts` equal shares that sum to the whole; the earlier shares get the leftover minor units. */
  split(money: Money, parts: bigint): Money[] {
    requireMoney(money, 'Money.split');
    requireBigint(parts, 'Money.split');
    if (parts < 1n || parts > BigInt(Limits.allocationPartsMax)) {
      throw new Failure('VALIDATION_FAILED', `Money splits into 1 to ${Limits.allocationPartsMax} parts.`);
    }
    const ratios: bigint[] = [];
    for (let index = 0n; index < parts; index += 1n) ratios.push(1n);
    return Money.allocate(money, ratios);
  },

  /**
   * Splits `money` in proportion to `ratios` (non-negative bigints, not all zero) by the
   * largest-remainder method. Guarantees: the parts sum exactly to `money`; each part is within one
   * minor unit of its exact share `money × ratio / Σ ratios`; a zero ratio gets zero. Tie-break: when
   * two parts have the same remainder, the part with the EARLIER index gets the extra minor unit, so
   * the result depends only on the inputs. A negative amount splits as the negation of its magnitude.
   */
  allocate(money: Money, ratios: readonly bigint[]): Money[] {
    requireMoney(money, 'Money.allocate');
    if (!Array.isArray(ratios)) throw new TypeError('Money.allocate takes an array of bigint ratios');
    for (const ratio of ratios) requireBigint(ratio, 'Money.allocate');
    if (ratios.length === 0 || ratios.length > Limits.allocationPartsMax) {
      throw new Failure('VALIDATION_FAILED', `Money splits into 1 to ${Limits.allocationPartsMax} parts.`);
    }
    if (ratios.some((ratio) => ratio < 0n)) {
      throw new Failure('VALIDATION_FAILED', 'Allocation ratios cannot be negative.');
    }
    const total = ratios.reduce((sum, ratio) => sum + ratio, 0n);
    if (total === 0n)
      throw new Failure('VALIDATION_FAILED', 'At least one allocation ratio must be positive.');
    const negative = money.minor < 0n;
    const parts = largestRemainder(negative ? -money.minor : money.minor, ratios, total);
    return parts.map((part) => Money.of(negative ? -part : part, money.currency));
  },

  /**
   * Converts `money` into `target` with `rate`, in either direction of the rate's pair (base → quote
   * multiplies by the rate, quote → base divides by it). The product is exact; it is rounded ONCE to
   * the target currency's scale with `rounding`, and the residue is returned with the result.
   * A currency outside the rate's pair is `CURRENCY_MISMATCH`.
   */
  convert(money: Money, rate: Rate, target: CurrencyCode, rounding: RoundingMode): Conversion {
    requireMoney(money, 'Money.convert');
    if (typeof rate !== 'object' || rate === null || typeof rate.value?.numerator !== 'bigint') {
      throw new TypeError('Money.convert takes a Rate, never a JS number');
    }
    requireString(target, 'Money.convert');
    requireRounding(rounding, 'Money.convert');
    let factor: Fraction;
    if (money.currency === rate.base && target === rate.quote) factor = rate.value;
    else if (money.currency === rate.quote && target === rate.base) factor = Fraction.inverse(rate.value);
    else {
      throw new Failure(
        'CURRENCY_MISMATCH',
        `A ${rate.base}/${rate.quote} rate cannot convert ${money.currency} into ${target}.`,
      );
    }
    const scaleShift = Fraction.of(
      10n ** BigInt(Currency.scale(target)),
      10n ** BigInt(Currency.scale(money.currency)),
    );
    const exactMinor = Fraction.multiply(Fraction.multiply(Fraction.of(money.minor), factor), scaleShift);
    const to = Money.of(Fraction.round(exactMinor, rounding), target);
    return Object.freeze({
      from: money,
      to,
      rate,
      rounding,
      residueMinor: Fraction.subtract(exactMinor, Fraction.of(to.minor)),
    });
  },

  /** The amount in major units as an exact fraction (123.45 USD is 12345/100). */
  toMajorUnits(money: Money): Fraction {
    requireMoney(money, 'Money.toMajorUnits');
    return Fraction.of(money.minor, 10n ** BigInt(Currency.scale(money.currency)));
  },

  compare(a: Money, b: Money): -1 | 0 | 1 {
    requireMoney(a, 'Money.compare');
    requireMoney(b, 'Money.compare');
    sameCurrency(a, b);
    return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
  },

  equals(a: Money, b: Money): boolean {
    requireMoney(a, 'Money.equals');
    requireMoney(b, 'Money.equals');
    return a.currency === b.currency && a.minor === b.minor;
  },

  isPositive(money: Money): boolean {
    requireMoney(money, 'Money.isPositive');
    return money.minor > 0n;
  },

  isZero(money: Money): boolean {
    requireMoney(money, 'Money.isZero');
    return money.minor === 0n;
  },

  /** The JSON form of the contract: `{ amount: "150000000.00", currency: "GBP" }`. */
  toJson(money: Money): { amount: string; currency: string } {
    requireMoney(money, 'Money.toJson');
    return { amount: Money.format(money), currency: money.currency };
  },
} as const;
