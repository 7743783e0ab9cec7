import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountFromInput, formatMoney } from '../../src/web/format/money.ts';

const nbsp = '\u00a0';

describe('formatMoney', () => {
  it('keeps every digit of an amount beyond 2^53 and shows the currency code', () => {
    expect(formatMoney({ amount: '123456789012345678.99', currency: 'USD' }, 'en-GB')).toBe(
      `USD${nbsp}123,456,789,012,345,678.99`,
    );
  });

  it('groups and separates decimals the Ukrainian way', () => {
    expect(formatMoney({ amount: '150000000.00', currency: 'GBP' }, 'uk-UA')).toBe(
      `150${nbsp}000${nbsp}000,00${nbsp}GBP`,
    );
  });

  it('shows the scale of the string: none for JPY, three for KWD', () => {
    expect(formatMoney({ amount: '5000', currency: 'JPY' }, 'en-GB')).toBe(`JPY${nbsp}5,000`);
    expect(formatMoney({ amount: '1.005', currency: 'KWD' }, 'en-GB')).toBe(`KWD${nbsp}1.005`);
  });

  it('keeps the sign of a negative amount below one', () => {
    expect(formatMoney({ amount: '-0.50', currency: 'USD' }, 'en-GB')).toBe(`-USD${nbsp}0.50`);
  });

  it('never loses or changes a digit, whatever the amount', () => {
    const amounts = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }), fc.constantFrom(0, 2, 3))
      .map(([minor, scale]) => {
        const digits = minor.toString().padStart(scale + 1, '0');
        return scale === 0
          ? digits
          : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
      });
    fc.assert(
      fc.property(amounts, fc.constantFrom('en-GB', 'uk-UA'), (amount, locale) => {
        const shown = formatMoney({ amount, currency: 'USD' }, locale);
        expect(shown.replace(/\D/g, '')).toBe(amount.replace(/\D/g, ''));
        expect(shown).toContain('USD');
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('amountFromInput', () => {
  it('accepts group spaces and a decimal comma, and pads to the currency scale', () => {
    expect(amountFromInput('4 000 000,5', 'USD')).toEqual({ ok: true, amount: '4000000.50' });
    expect(amountFromInput('1.5', 'KWD')).toEqual({ ok: true, amount: '1.500' });
    expect(amountFromInput('100', 'JPY')).toEqual({ ok: true, amount: '100' });
  });

  it('refuses more decimals than the currency has instead of rounding them away', () => {
    expect(amountFromInput('1.234', 'USD')).toEqual({ ok: false, reason: 'decimals', scale: 2 });
    expect(amountFromInput('100.5', 'JPY')).toEqual({ ok: false, reason: 'decimals', scale: 0 });
  });

  it('refuses what is not a plain decimal', () => {
    expect(amountFromInput('1e5', 'USD')).toEqual({ ok: false, reason: 'format' });
    expect(amountFromInput('-5', 'USD')).toEqual({ ok: false, reason: 'format' });
  });
});
