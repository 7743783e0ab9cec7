import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumUsd } from '../../src/web/features/allocation/plan-figures.ts';
import { coveragePercent, formatPercent, shareOf } from '../../src/web/format/coverage.ts';
import { amountOfCents, centsOf } from '../../src/web/format/usd-cents.ts';

describe('coveragePercent', () => {
  it('moves the decimal point of the exact fraction, digit for digit', () => {
    expect(coveragePercent('0.4123')).toBe('41.23');
    expect(coveragePercent('1.0000')).toBe('100.00');
    expect(coveragePercent('0.0001')).toBe('0.01');
    expect(coveragePercent('0.0000')).toBe('0.00');
  });

  it('never rounds: more places are kept, fewer are padded', () => {
    expect(coveragePercent('0.412399')).toBe('41.2399');
    expect(coveragePercent('0.5')).toBe('50.00');
    expect(coveragePercent('0.99999')).toBe('99.999');
  });

  it('refuses what is not a decimal', () => {
    expect(coveragePercent('41%')).toBeNull();
    expect(coveragePercent('-0.1')).toBeNull();
  });

  it('is the fraction times one hundred for every four-place fraction', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000n }), (basisPoints) => {
        const fraction = `${basisPoints / 10_000n}.${(basisPoints % 10_000n).toString().padStart(4, '0')}`;
        const percent = coveragePercent(fraction) ?? '';
        expect(centsOf(percent)).toBe(basisPoints);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('formatPercent', () => {
  it('places the sign and the decimal separator as the locale does', () => {
    expect(formatPercent('41.23', 'en-GB')).toBe('41.23%');
    expect(formatPercent('41.23', 'uk-UA')).toBe('41,23%');
  });
});

describe('shareOf', () => {
  it('is the exact share rounded down to four places', () => {
    expect(shareOf('1.00', '3.00')).toBe('0.3333');
    expect(shareOf('2.00', '3.00')).toBe('0.6666');
    expect(shareOf('500000000.00', '500000000.00')).toBe('1.0000');
    expect(shareOf('1.00', '0.00')).toBeNull();
  });
});

describe('USD cents', () => {
  it('sums amounts beyond 2^53 cents exactly', () => {
    expect(sumUsd([{ amount: '90071992547409.93' }, { amount: '0.07' }])).toEqual({
      amount: '90071992547410.00',
      currency: 'USD',
    });
    expect(amountOfCents(-5n)).toBe('-0.05');
    expect(centsOf('1.5')).toBeNull();
  });
});
