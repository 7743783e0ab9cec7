/**
 * The named ways to round an exact quotient to an integer number of units. Every division of money
 * names one, so nobody has to guess what happened to the remainder.
 *
 * - `half-even`: to the nearest; a tie goes to the even neighbour (banker's rounding, unbiased).
 * - `half-up`: to the nearest; a tie goes away from zero (2.5 → 3, -2.5 → -3).
 * - `down`: towards zero (truncation).
 * - `up`: away from zero.
 * - `floor`: towards negative infinity.
 * - `ceiling`: towards positive infinity.
 */
export const roundingModes = ['half-even', 'half-up', 'down', 'up', 'floor', 'ceiling'] as const;
export type RoundingMode = (typeof roundingModes)[number];

export const RoundingMode = {
  isValid(mode: unknown): mode is RoundingMode {
    if (typeof mode === 'number') throw new TypeError('A rounding mode is a name, not a number');
    return typeof mode === 'string' && (roundingModes as readonly string[]).includes(mode);
  },

  /**
   * `numerator / denominator` rounded to an integer with `mode`, computed exactly on bigints.
   * A zero denominator is a programming error (RangeError from bigint division).
   */
  divide(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
    if (typeof numerator !== 'bigint' || typeof denominator !== 'bigint') {
      throw new TypeError('RoundingMode.divide takes bigints');
    }
    if (!RoundingMode.isValid(mode)) throw new TypeError(`'${String(mode)}' is not a rounding mode`);
    if (denominator < 0n) {
      numerator = -numerator;
      denominator = -denominator;
    }
    const quotient = numerator / denominator;
    const remainder = numerator % denominator;
    if (remainder === 0n) return quotient;
    const awayFromZero = numerator < 0n ? quotient - 1n : quotient + 1n;
    const twiceRemainder = remainder < 0n ? -2n * remainder : 2n * remainder;
    switch (mode) {
      case 'down':
        return quotient;
      case 'up':
        return awayFromZero;
      case 'floor':
        return numerator < 0n ? awayFromZero : quotient;
      case 'ceiling':
        return numerator > 0n ? awayFromZero : quotient;
      case 'half-up':
        return twiceRemainder >= denominator ? awayFromZero : quotient;
      case 'half-even':
        if (twiceRemainder > denominator) return awayFromZero;
        if (twiceRemainder < denominator) return quotient;
        return quotient % 2n === 0n ? quotient : awayFromZero;
    }
  },
} as const;
