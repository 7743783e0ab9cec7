import { assert } from '../errors.ts';
import { RoundingMode } from './rounding-mode.ts';

/**
 * An exact rational number, always reduced, with a positive denominator. Exchange rates, shares and
 * rounding residues are fractions so that no step between two amounts of money loses a digit.
 */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

function requireBigint(value: unknown, where: string): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${where} takes bigints, never a JS number`);
}

function requireFraction(value: unknown, where: string): asserts value is Fraction {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Fraction).numerator !== 'bigint' ||
    typeof (value as Fraction).denominator !== 'bigint'
  ) {
    throw new TypeError(`${where} takes a Fraction of bigints, never a JS number`);
  }
}

function greatestCommonDivisor(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function make(numerator: bigint, denominator: bigint): Fraction {
  assert(denominator !== 0n, 'a fraction has a non-zero denominator');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = greatestCommonDivisor(numerator, denominator) || 1n;
  return Object.freeze({
    numerator: (sign * numerator) / divisor,
    denominator: (sign * denominator) / divisor,
  });
}

/** The exponents of 2 and 5 in `denominator` when it has no other prime factor; undefined otherwise. */
function decimalPlacesOf(denominator: bigint): number | undefined {
  let rest = denominator;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos += 1;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives += 1;
  }
  return rest === 1n ? Math.max(twos, fives) : undefined;
}

function decimalString(scaled: bigint, places: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const integerPart = digits.slice(0, digits.length - places);
  const fractionPart = places === 0 ? '' : `.${digits.slice(digits.length - places)}`;
  return `${negative ? '-' : ''}${integerPart}${fractionPart}`;
}

export const Fraction = {
  /** `numerator / denominator`, reduced. A zero denominator is a programming error. */
  of(numerator: bigint, denominator = 1n): Fraction {
    requireBigint(numerator, 'Fraction.of');
    requireBigint(denominator, 'Fraction.of');
    return make(numerator, denominator);
  },

  /**
   * Reads a plain decimal string (`"1.0834"`, `"-0.5"`, `"162"`) exactly: "1.0834" is 10834/10000.
   * Undefined when the text is not such a string (no exponent, no thousands separator, no '+').
   */
  parseDecimal(text: string): Fraction | undefined {
    if (typeof text !== 'string')
      throw new TypeError('Fraction.parseDecimal takes a string, never a JS number');
    const match = decimalPattern.exec(text);
    if (!match) return undefined;
    const [, sign = '', integerPart = '', fractionPart = ''] = match;
    const magnitude = BigInt(integerPart + fractionPart);
    return make(sign === '-' ? -magnitude : magnitude, 10n ** BigInt(fractionPart.length));
  },

  add(a: Fraction, b: Fraction): Fraction {
    requireFraction(a, 'Fraction.add');
    requireFraction(b, 'Fraction.add');
    return make(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
  },

  subtract(a: Fraction, b: Fraction): Fraction {
    requireFraction(a, 'Fraction.subtract');
    requireFraction(b, 'Fraction.subtract');
    return make(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator);
  },

  multiply(a: Fraction, b: Fraction): Fraction {
    requireFraction(a, 'Fraction.multiply');
    requireFraction(b, 'Fraction.multiply');
    return make(a.numerator * b.numerator, a.denominator * b.denominator);
  },

  /** `a / b`; dividing by zero is a programming error. */
  divide(a: Fraction, b: Fraction): Fraction {
    requireFraction(a, 'Fraction.divide');
    requireFraction(b, 'Fraction.divide');
    return make(a.numerator * b.denominator, a.denominator * b.numerator);
  },

  inverse(a: Fraction): Fraction {
    requireFraction(a, 'Fraction.inverse');
    return make(a.denominator, a.numerator);
  },

  negate(a: Fraction): Fraction {
    requireFraction(a, 'Fraction.negate');
    return make(-a.numerator, a.denominator);
  },

  compare(a: Fraction, b: Fraction): -1 | 0 | 1 {
    requireFraction(a, 'Fraction.compare');
    requireFraction(b, 'Fraction.compare');
    const left = a.numerator * b.denominator;
    const right = b.numerator * a.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
  },

  equals(a: Fraction, b: Fraction): boolean {
    return Fraction.compare(a, b) === 0;
  },

  sign(a: Fraction): -1 | 0 | 1 {
    requireFraction(a, 'Fraction.sign');
    return a.numerator < 0n ? -1 : a.numerator > 0n ? 1 : 0;
  },

  /** The nearest integer by `mode`. */
  round(a: Fraction, mode: RoundingMode): bigint {
    requireFraction(a, 'Fraction.round');
    return RoundingMode.divide(a.numerator, a.denominator, mode);
  },

  /** Rounds once to exactly `places` decimals and writes them all: `toFixed(2/3, 4, 'half-even')` is "0.6667". */
  toFixed(a: Fraction, places: number, mode: RoundingMode): string {
    requireFraction(a, 'Fraction.toFixed');
    assert(Number.isSafeInteger(places) && places >= 0, 'decimal places are a non-negative integer');
    const scaled = RoundingMode.divide(a.numerator * 10n ** BigInt(places), a.denominator, mode);
    return decimalString(scaled, places);
  },

  /** True when the fraction has a finite decimal expansion (its denominator divides a power of ten). */
  isDecimal(a: Fraction): boolean {
    requireFraction(a, 'Fraction.isDecimal');
    return decimalPlacesOf(a.denominator) !== undefined;
  },

  /**
   * The exact text of the fraction: the shortest decimal when it has one ("1.0834", "-0.005", "3"),
   * otherwise "numerator/denominator" ("1/3"). Never rounded, so it can be recorded and read back.
   */
  format(a: Fraction): string {
    requireFraction(a, 'Fraction.format');
    const places = decimalPlacesOf(a.denominator);
    if (places === undefined) return `${a.numerator}/${a.denominator}`;
    return decimalString((a.numerator * 10n ** BigInt(places)) / a.denominator, places);
  },

  /** Reads what `format` writes: a decimal string or "numerator/denominator". */
  parse(text: string): Fraction | undefined {
    if (typeof text !== 'string') throw new TypeError('Fraction.parse takes a string, never a JS number');
    const ratio = /^(-?\d+)\/(\d+)$/.exec(text);
    if (ratio) {
      const denominator = BigInt(ratio[2] ?? '0');
      return denominator === 0n ? undefined : make(BigInt(ratio[1] ?? '0'), denominator);
    }
    return Fraction.parseDecimal(text);
  },
} as const;
