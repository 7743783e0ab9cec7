import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Currency, type CurrencyCode } from '../../src/core/money/currency.ts';
import { Fraction } from '../../src/core/money/fraction.ts';
import { Money } from '../../src/core/money/money.ts';
import { Rate } from '../../src/core/money/rate.ts';
import { RoundingMode, roundingModes } from '../../src/core/money/rounding-mode.ts';

const seed = 42;
const code = (text: string) => Currency.parse(text);
const usd = code('USD');
const eur = code('EUR');
const jpy = code('JPY');
const kwd = code('KWD');

/** Amounts within the handled range: at most 15 integer digits plus the scale. */
const minorUnits = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n });
const currencies = fc.constantFrom(...Currency.codes());
const modes = fc.constantFrom(...roundingModes);

function eurUsd(value: string): Rate {
  return Rate.parse(value, { base: eur, quote: usd, date: '2026-11-26', source: 'ECB' });
}

describe('parsing and formatting', () => {
  test('formats and parses back every amount of every ISO 4217 currency exactly', () => {
    fc.assert(
      fc.property(currencies, minorUnits, (currency, generated) => {
        // Within what parse accepts: 15 integer digits (Money.of's own bound is 10^18 minor units).
        const bound = 10n ** BigInt(15 + Currency.scale(currency));
        const minor = generated % (bound < 10n ** 18n ? bound : 10n ** 18n);
        const money = Money.of(minor, currency);
        const text = Money.format(money);
        expect(text.split('.')[1]?.length ?? 0).toBe(Currency.scale(currency));
        expect(Money.parse(text, currency)).toEqual(money);
      }),
      { seed, numRuns: 1000 },
    );
  });

  test('covers the scales 0, 2, 3 and 4 of the ISO list', () => {
    const scales = new Set(Currency.codes().map((currency) => Currency.scale(currency)));
    expect([...scales].sort()).toEqual([0, 2, 3, 4]);
    expect(Money.format(Money.of(5000n, jpy))).toBe('5000');
    expect(Money.format(Money.of(-1n, kwd))).toBe('-0.001');
    expect(Money.format(Money.of(1n, code('CLF')))).toBe('0.0001');
  });

  test('rejects an amount with too many or too few decimals', () => {
    expect(() => Money.parse('1.005', 'USD')).toThrow(
      expect.objectContaining({ code: 'MONEY_SCALE_INVALID' }),
    );
    expect(() => Money.parse('1.0', 'USD')).toThrow(expect.objectContaining({ code: 'MONEY_SCALE_INVALID' }));
    expect(() => Money.parse('100.5', 'JPY')).toThrow(
      expect.objectContaining({ code: 'MONEY_SCALE_INVALID' }),
    );
    expect(() => Money.parse('1e3', 'JPY')).toThrow(expect.objectContaining({ code: 'MONEY_INVALID' }));
  });
});

describe('rounding modes', () => {
  const cases: [bigint, bigint, Record<(typeof roundingModes)[number], bigint>][] = [
    [5n, 2n, { 'half-even': 2n, 'half-up': 3n, down: 2n, up: 3n, floor: 2n, ceiling: 3n }],
    [7n, 2n, { 'half-even': 4n, 'half-up': 4n, down: 3n, up: 4n, floor: 3n, ceiling: 4n }],
    [-5n, 2n, { 'half-even': -2n, 'half-up': -3n, down: -2n, up: -3n, floor: -3n, ceiling: -2n }],
    [7n, 3n, { 'half-even': 2n, 'half-up': 2n, down: 2n, up: 3n, floor: 2n, ceiling: 3n }],
    [-8n, 3n, { 'half-even': -3n, 'half-up': -3n, down: -2n, up: -3n, floor: -3n, ceiling: -2n }],
    [6n, -3n, { 'half-even': -2n, 'half-up': -2n, down: -2n, up: -2n, floor: -2n, ceiling: -2n }],
  ];
  test.each(cases)('rounds %s / %s as each mode names', (numerator, denominator, expected) => {
    for (const mode of roundingModes) {
      expect(RoundingMode.divide(numerator, denominator, mode), mode).toBe(expected[mode]);
    }
  });

  test('rounds to one of the two neighbours of the exact quotient, in the named direction', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        modes,
        (numerator, denominator, mode) => {
          const rounded = RoundingMode.divide(numerator, denominator, mode);
          const difference = numerator - rounded * denominator; // exact − rounded, times denominator
          expect(difference < denominator && difference > -denominator).toBe(true);
          if (mode === 'floor') expect(difference >= 0n).toBe(true);
          if (mode === 'ceiling') expect(difference <= 0n).toBe(true);
          if (mode.startsWith('half'))
            expect(2n * (difference < 0n ? -difference : difference) <= denominator).toBe(true);
        },
      ),
      { seed, numRuns: 1000 },
    );
  });

  test('refuses a mode that is not named', () => {
    expect(() => RoundingMode.divide(1n, 2n, 'nearest' as never)).toThrow(TypeError);
  });
});

describe('fractions', () => {
  test('reads decimal strings exactly and writes them back', () => {
    expect(Fraction.parseDecimal('1.0834')).toEqual({ numerator: 5417n, denominator: 5000n });
    expect(Fraction.format(Fraction.parseDecimal('1.0834')!)).toBe('1.0834');
    expect(Fraction.format(Fraction.of(1n, 3n))).toBe('1/3');
    expect(Fraction.format(Fraction.of(-1n, 8n))).toBe('-0.125');
    expect(Fraction.parse('-2/6')).toEqual(Fraction.of(-1n, 3n));
    expect(Fraction.toFixed(Fraction.of(2n, 3n), 4, 'half-even')).toBe('0.6667');
    expect(Fraction.parseDecimal('1,08')).toBeUndefined();
  });

  test('format and parse are inverse for every fraction', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (n, d) => {
          const fraction = Fraction.of(n, d);
          expect(Fraction.parse(Fraction.format(fraction))).toEqual(fraction);
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});

describe('divide, split and allocate', () => {
  test('divides once with the named rounding', () => {
    expect(Money.divide(Money.of(1000n, usd), 3n, 'half-even')).toEqual(Money.of(333n, usd));
    expect(Money.divide(Money.of(1000n, usd), 3n, 'ceiling')).toEqual(Money.of(334n, usd));
    expect(() => Money.divide(Money.of(1000n, usd), 0n, 'down')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  test('splits into equal parts, the earlier parts taking the leftover cents', () => {
    expect(Money.split(Money.of(100n, usd), 3n).map((part) => part.minor)).toEqual([34n, 33n, 33n]);
    expect(Money.split(Money.of(-100n, usd), 3n).map((part) => part.minor)).toEqual([-34n, -33n, -33n]);
  });

  test('allocates by ratios with the largest remainder, ties to the earlier index', () => {
    // 1000 × 1/6 = 166.67, 1000 × 2/6 = 333.33, 1000 × 3/6 = 500: 1 leftover cent to the first.
    expect(Money.allocate(Money.of(1000n, usd), [1n, 2n, 3n]).map((part) => part.minor)).toEqual([
      167n,
      333n,
      500n,
    ]);
    // Equal remainders: the earlier indices win.
    expect(Money.allocate(Money.of(5n, usd), [1n, 1n, 1n, 1n]).map((part) => part.minor)).toEqual([
      2n,
      1n,
      1n,
      1n,
    ]);
    expect(Money.allocate(Money.of(7n, usd), [0n, 1n, 1n]).map((part) => part.minor)).toEqual([0n, 4n, 3n]);
  });

  test('refuses ratios that are all zero, negative or absent', () => {
    const money = Money.of(100n, usd);
    for (const ratios of [[], [0n, 0n], [1n, -1n]]) {
      expect(() => Money.allocate(money, ratios)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });

  test('allocation always sums to the whole and each part is within one minor unit of its share', () => {
    fc.assert(
      fc.property(
        minorUnits,
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 20 }),
        (minor, ratios) => {
          fc.pre(ratios.some((ratio) => ratio > 0n));
          const parts = Money.allocate(Money.of(minor, usd), ratios);
          expect(parts.reduce((sum, part) => sum + part.minor, 0n)).toBe(minor);
          const total = ratios.reduce((sum, ratio) => sum + ratio, 0n);
          parts.forEach((part, index) => {
            // |part − minor × ratio / total| < 1  ⇔  |part × total − minor × ratio| < total
            const error = part.minor * total - minor * (ratios[index] ?? 0n);
            expect(error < total && error > -total).toBe(true);
          });
        },
      ),
      { seed, numRuns: 1000 },
    );
  });

  test('allocation is deterministic: the same inputs give the same parts', () => {
    fc.assert(
      fc.property(
        minorUnits,
        fc.array(fc.bigInt({ min: 1n, max: 100n }), { minLength: 1, maxLength: 10 }),
        (m, r) => {
          expect(Money.allocate(Money.of(m, usd), r)).toEqual(Money.allocate(Money.of(m, usd), [...r]));
        },
      ),
      { seed, numRuns: 500 },
    );
  });

  test('multiplies by an exact fraction and rounds once', () => {
    expect(Money.multiply(Money.of(1001n, usd), Fraction.of(1n, 2n), 'half-even')).toEqual(
      Money.of(500n, usd),
    );
    expect(Money.multiply(Money.of(1001n, usd), Fraction.of(1n, 2n), 'half-up')).toEqual(Money.of(501n, usd));
  });
});

describe('conversion', () => {
  test('multiplies exactly and rounds once to the target scale, returning the residue', () => {
    const rate = eurUsd('1.0834');
    const conversion = Money.convert(Money.parse('100.00', 'EUR'), rate, usd, 'half-even');
    expect(Money.format(conversion.to)).toBe('108.34');
    expect(conversion.residueMinor).toEqual(Fraction.of(0n));
    const odd = Money.convert(Money.parse('0.05', 'EUR'), rate, usd, 'half-even');
    // 0.05 × 1.0834 = 0.05417 USD = 5.417 cents → 5 cents, residue 0.417 cents.
    expect(odd.to).toEqual(Money.of(5n, usd));
    expect(Fraction.format(odd.residueMinor)).toBe('0.417');
  });

  test('converts in the other direction of the pair by dividing by the rate', () => {
    const rate = eurUsd('1.0834');
    const conversion = Money.convert(Money.parse('108.34', 'USD'), rate, eur, 'half-even');
    expect(Money.format(conversion.to)).toBe('100.00');
    const yen = Rate.parse('162.51', { base: eur, quote: jpy, date: '2026-11-26', source: 'ECB' });
    expect(Money.format(Money.convert(Money.parse('1.00', 'EUR'), yen, jpy, 'half-even').to)).toBe('163');
    expect(Money.format(Money.convert(Money.parse('1.00', 'EUR'), yen, jpy, 'down').to)).toBe('162');
  });

  test('refuses a currency outside the rate pair', () => {
    expect(() => Money.convert(Money.parse('1.00', 'GBP'), eurUsd('1.0834'), usd, 'half-even')).toThrow(
      expect.objectContaining({ code: 'CURRENCY_MISMATCH' }),
    );
  });

  test('the residue is the exact product minus the rounded amount, below one minor unit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 8n }),
        fc.constantFrom(usd, jpy, kwd),
        modes,
        (minor, rateTenThousandths, target, mode) => {
          const rate = Rate.of({
            base: eur,
            quote: target,
            value: Fraction.of(rateTenThousandths, 10_000n),
            date: '2026-01-02',
            source: 'test',
          });
          const conversion = Money.convert(Money.of(minor, eur), rate, target, mode);
          const exact = Fraction.multiply(
            Fraction.multiply(Fraction.of(minor, 100n), rate.value),
            Fraction.of(10n ** BigInt(Currency.scale(target))),
          );
          expect(Fraction.add(Fraction.of(conversion.to.minor), conversion.residueMinor)).toEqual(exact);
          expect(Fraction.compare(conversion.residueMinor, Fraction.of(1n))).toBe(-1);
          expect(Fraction.compare(conversion.residueMinor, Fraction.of(-1n))).toBe(1);
        },
      ),
      { seed, numRuns: 500 },
    );
  });

  test('there and back is within one minor unit when the target unit is worth no more than the source unit', () => {
    // Realistic per-EUR rates whose target minor unit is worth at most one euro cent.
    const finerTargets = fc.oneof(
      fc.bigInt({ min: 1_000_000n, max: 3_000_000n }).map((tenThousandths) => [jpy, tenThousandths] as const),
      fc.bigInt({ min: 3_000n, max: 4_000n }).map((tenThousandths) => [kwd, tenThousandths] as const),
      fc.bigInt({ min: 10_000n, max: 20_000n }).map((tenThousandths) => [usd, tenThousandths] as const),
    );
    fc.assert(
      fc.property(
        minorUnits,
        finerTargets,
        fc.constantFrom('half-even', 'half-up'),
        (minor, [target, tenThousandths], mode) => {
          const rate = Rate.of({
            base: eur,
            quote: target,
            value: Fraction.of(tenThousandths, 10_000n),
            date: '2026-01-02',
            source: 'test',
          });
          const there = Money.convert(Money.of(minor, eur), rate, target, mode);
          const back = Money.convert(there.to, rate, eur, mode);
          const error = back.to.minor - minor;
          expect(error >= -1n && error <= 1n).toBe(true);
        },
      ),
      { seed, numRuns: 1000 },
    );
  });

  test('there and back stays within half a source unit plus half a target unit in general', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }),
        fc.constantFrom(usd, jpy, kwd, eur, code('CLF')),
        fc.constantFrom(usd, jpy, kwd, code('GBP'), code('CLF')),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (minor, source, target, rateMillionths) => {
          fc.pre(source !== target);
          const rate = Rate.of({
            base: source,
            quote: target,
            value: Fraction.of(rateMillionths, 1_000_000n),
            date: '2026-01-02',
            source: 'test',
          });
          const there = Money.convert(Money.of(minor, source), rate, target, 'half-even');
          const back = Money.convert(there.to, rate, source, 'half-even');
          // error ≤ 1/2 + (1/2) × (one target minor unit in source minor units)
          const targetUnitInSource = Fraction.divide(
            Fraction.of(10n ** BigInt(Currency.scale(source))),
            Fraction.multiply(rate.value, Fraction.of(10n ** BigInt(Currency.scale(target)))),
          );
          const bound = Fraction.multiply(
            Fraction.add(Fraction.of(1n), targetUnitInSource),
            Fraction.of(1n, 2n),
          );
          const error = back.to.minor - minor;
          expect(Fraction.compare(Fraction.of(error < 0n ? -error : error), bound)).toBeLessThan(1);
        },
      ),
      { seed, numRuns: 1000 },
    );
  });

  test('rates parse exactly from decimal strings and refuse anything else', () => {
    expect(eurUsd('1.0834').value).toEqual({ numerator: 5417n, denominator: 5000n });
    for (const bad of ['0', '0.0000', '-1.2', '1,08', '1e3', '', ' 1.08', 'N/A']) {
      expect(() => eurUsd(bad), bad).toThrow(expect.objectContaining({ code: 'FX_RATE_INVALID' }));
    }
  });

  test('an identity rate converts a currency into itself unchanged', () => {
    const identity = Rate.identity(usd, '2026-01-02');
    expect(Money.convert(Money.of(12345n, usd), identity, usd, 'half-even').to).toEqual(
      Money.of(12345n, usd),
    );
  });
});

describe('currency safety', () => {
  test('refuses to combine two currencies', () => {
    expect(() => Money.add(Money.of(1n, usd), Money.of(1n, eur))).toThrow(
      expect.objectContaining({ code: 'CURRENCY_MISMATCH' }),
    );
    expect(() => Money.sum(usd, [Money.of(1n, usd), Money.of(1n, eur)])).toThrow(
      expect.objectContaining({ code: 'CURRENCY_MISMATCH' }),
    );
  });

  test('keeps every amount within the handled range', () => {
    expect(() => Money.of(10n ** 18n, usd)).toThrow(expect.objectContaining({ code: 'MONEY_OUT_OF_RANGE' }));
  });

  test('currency codes are the published ISO 4217 list', () => {
    expect(Currency.isKnown('XAU')).toBe(false);
    expect(Currency.isKnown('EUR')).toBe(true);
    expect((eur satisfies CurrencyCode).length).toBe(3);
  });
});
