import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type ErrorCode, Failure } from '../../src/core/errors.ts';
import { Limits } from '../../src/core/limits.ts';
import { Currency, type CurrencyCode } from '../../src/core/money/currency.ts';
import { Money } from '../../src/core/money/money.ts';

/**
 * Money at the edges: the decimal strings of the JSON contract, parsed and formatted exactly, and
 * every way a string can be refused, with its stable code. (Arithmetic, rounding and conversion
 * are in money.test.ts.)
 */

/** The code of the Failure that `run` throws; fails the test when it throws something else or nothing. */
function failureCode(run: () => unknown): ErrorCode {
  try {
    run();
  } catch (error) {
    if (error instanceof Failure) return error.code;
    throw error;
  }
  throw new Error('expected a Failure, but nothing was thrown');
}

describe('decimal strings', () => {
  test.each([
    ['150000000.00', 'GBP', 15_000_000_000n],
    ['0.01', 'USD', 1n],
    ['1234567.89', 'USD', 123_456_789n],
    ['5000', 'JPY', 5000n],
    ['0', 'JPY', 0n],
    ['1.250', 'KWD', 1250n],
    ['-0.05', 'EUR', -5n],
    ['999999999999999.99', 'USD', 99_999_999_999_999_999n],
  ])('parses %s %s exactly into %s minor units and formats it back', (amount, currency, minor) => {
    const money = Money.parse(amount, currency);
    expect(money).toEqual({ minor, currency });
    expect(Money.format(money)).toBe(amount);
    expect(Money.toJson(money)).toEqual({ amount, currency });
  });

  test('keeps amounts beyond 2^53 exact', () => {
    const money = Money.parse('90071992547409.93', 'USD');
    expect(money.minor).toBe(9_007_199_254_740_993n);
    expect(Money.format(money)).toBe('90071992547409.93');
  });

  test('adds exactly where floats do not: 0.10 + 0.20 is 0.30', () => {
    expect(Money.format(Money.add(Money.parse('0.10', 'USD'), Money.parse('0.20', 'USD')))).toBe('0.30');
  });

  test.each([
    ['10.5', 'USD'],
    ['10', 'USD'],
    ['10.000', 'USD'],
    ['10.00', 'JPY'],
    ['10.0', 'JPY'],
    ['1.25', 'KWD'],
    ['1.2500', 'KWD'],
  ])('rejects %s %s: the wrong number of decimals for the currency', (amount, currency) => {
    expect(failureCode(() => Money.parse(amount, currency))).toBe('MONEY_SCALE_INVALID');
  });

  test('names the scale in the detail of a wrong-scale failure', () => {
    expect(() => Money.parse('10.00', 'JPY')).toThrow(/JPY amounts have exactly 0 decimals/);
    expect(() => Money.parse('1.2', 'KWD')).toThrow(/KWD amounts have exactly 3 decimals/);
  });

  test.each(['', '1e5', '1,000.00', ' 1.00', '1.00 ', '+1.00', '.50', '1.', 'ten', '0x10', '１.00'])(
    "rejects '%s': not a decimal string",
    (amount) => {
      expect(failureCode(() => Money.parse(amount, 'USD'))).toBe('MONEY_INVALID');
    },
  );

  test('refuses a JS number instead of a string: a programming error, never coerced', () => {
    expect(() => Money.parse(10.5 as unknown as string, 'USD')).toThrow(TypeError);
  });

  test.each(['XYZ', 'usd', 'US', 'USDD', '', 'XAU', 'XDR'])("rejects the currency '%s'", (currency) => {
    expect(failureCode(() => Money.parse('1.00', currency))).toBe('CURRENCY_UNKNOWN');
  });

  test('knows the ISO 4217 scales: JPY 0, USD 2, KWD 3', () => {
    expect(Currency.scale(Currency.parse('JPY'))).toBe(0);
    expect(Currency.scale(Currency.parse('USD'))).toBe(2);
    expect(Currency.scale(Currency.parse('KWD'))).toBe(3);
  });

  test('accepts the largest amount handled and refuses one digit more', () => {
    const largest = `${'9'.repeat(Limits.amountIntegerDigitsMax)}.99`;
    expect(Money.format(Money.parse(largest, 'USD'))).toBe(largest);
    expect(failureCode(() => Money.parse(`1${'0'.repeat(Limits.amountIntegerDigitsMax)}.00`, 'USD'))).toBe(
      'MONEY_OUT_OF_RANGE',
    );
  });

  test('format(parse(x)) gives x back for every canonical amount of every currency', () => {
    /** A canonical decimal string of the currency: no leading zeros, no negative zero. */
    const canonicalAmount = fc.constantFrom<CurrencyCode>(...Currency.codes()).chain((currency) => {
      const scale = Currency.scale(currency);
      return fc
        .record({
          negative: fc.boolean(),
          integer: fc.stringMatching(new RegExp(`^(0|[1-9][0-9]{0,${Limits.amountIntegerDigitsMax - 1}})$`)),
          fraction: fc.stringMatching(new RegExp(`^[0-9]{${scale}}$`)),
        })
        .map(({ negative, integer, fraction }) => {
          const digits = scale === 0 ? integer : `${integer}.${fraction}`;
          const zero = /^[0.]+$/.test(digits);
          return { amount: negative && !zero ? `-${digits}` : digits, currency };
        });
    });
    fc.assert(
      fc.property(canonicalAmount, ({ amount, currency }) => {
        expect(Money.format(Money.parse(amount, currency))).toBe(amount);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
