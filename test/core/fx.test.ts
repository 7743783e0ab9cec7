import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { IsoDate } from '../../src/core/calendar/iso-date.ts';
import { Failure } from '../../src/core/errors.ts';
import { EcbReferenceRates } from '../../src/core/fx/ecb-reference-rates.ts';
import { FxTable } from '../../src/core/fx/fx-table.ts';
import { Limits } from '../../src/core/limits.ts';
import { Currency } from '../../src/core/money/currency.ts';
import { Fraction } from '../../src/core/money/fraction.ts';
import { Money } from '../../src/core/money/money.ts';
import { Rate } from '../../src/core/money/rate.ts';

const seed = 42;
const usd = Currency.parse('USD');
const gbp = Currency.parse('GBP');
const jpy = Currency.parse('JPY');

/** eurofxref.csv as the ECB publishes it: spaces after commas, a trailing comma, one data line. */
const dailyFile = [
  'Date, USD, JPY, BGN, CZK, DKK, GBP, HUF, PLN, RON, SEK, CHF, ISK, NOK, TRY, AUD, BRL, CAD, CNY, HKD, IDR, ILS, INR, KRW, MXN, MYR, NZD, PHP, SGD, THB, ZAR, KWD, ',
  '26 November 2026, 1.0834, 162.51, 1.9558, 24.312, 7.4598, 0.83175, 386.45, 4.2215, 5.0901, 11.1245, 0.9402, 152.30, 11.7590, 45.1230, 1.6642, 6.2110, 1.5087, 7.7021, 8.4270, 17251.23, 3.9805, 93.6120, 1512.44, 19.8775, 4.6110, 1.8431, 63.1280, 1.4233, 36.482, 19.1004, 0.33281, ',
  '',
].join('\n');

/** eurofxref-hist.csv: no spaces, newest first, N/A where a currency was not quoted, retired CYP. */
const historicalFile = [
  'Date,USD,JPY,CYP,GBP,RUB,',
  '2026-11-26,1.0834,162.51,N/A,0.83175,N/A,',
  '2026-11-25,1.0812,162.02,N/A,0.83310,N/A,',
  '2026-11-24,1.0790,161.88,N/A,0.83402,N/A,',
  '2026-11-20,1.0751,161.20,N/A,0.83511,N/A,',
  '2008-01-02,1.4717,164.91,0.5853,0.74335,35.9390,',
  '',
].join('\n');

function problemsOf(text: string): { detail: string; errors: readonly { path: string; message: string }[] } {
  try {
    EcbReferenceRates.parse(text);
  } catch (error) {
    if (error instanceof Failure && error.code === 'FX_FILE_INVALID') return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('ECB reference-rate files', () => {
  test('reads the daily file with its long date, spaces and trailing comma', () => {
    const file = EcbReferenceRates.parse(dailyFile);
    expect(file.dates).toEqual(['2026-11-26']);
    expect(file.currencies).toHaveLength(31);
    expect(file.ignoredCurrencies).toEqual([]);
    const eurUsd = file.rates.find((rate) => rate.quote === 'USD');
    expect(eurUsd).toMatchObject({ base: 'EUR', date: '2026-11-26', source: 'ECB' });
    expect(eurUsd?.value).toEqual(Fraction.parseDecimal('1.0834'));
    expect(Rate.format(file.rates.find((rate) => rate.quote === 'IDR')!)).toBe('17251.23');
  });

  test('reads the historical file, skipping N/A cells and retired currencies', () => {
    const file = EcbReferenceRates.parse(historicalFile);
    expect(file.dates).toEqual(['2008-01-02', '2026-11-20', '2026-11-24', '2026-11-25', '2026-11-26']);
    expect(file.ignoredCurrencies).toEqual(['CYP']);
    expect(file.rates.filter((rate) => rate.quote === 'RUB').map((rate) => rate.date)).toEqual([
      '2008-01-02',
    ]);
    expect(file.rates).toHaveLength(5 * 3 + 1);
  });

  test('reads a file with Windows line endings and a byte-order mark the same way', () => {
    const windows = `\uFEFF${historicalFile.replace(/\n/g, '\r\n')}`;
    expect(EcbReferenceRates.parse(windows)).toEqual(EcbReferenceRates.parse(historicalFile));
  });

  test('rejects a file truncated in the middle of a line, naming the line, and imports nothing', () => {
    const truncated = historicalFile.slice(0, historicalFile.indexOf('2026-11-24') + 20);
    expect(truncated.endsWith('\n')).toBe(false);
    const failure = problemsOf(truncated);
    expect(failure.errors).toEqual([{ path: 'line 4', message: expect.stringContaining('cut off') }]);
    expect(failure.detail).toContain('nothing was imported');
  });

  test('rejects a file truncated inside its last value, which the missing trailing comma betrays', () => {
    const truncated = historicalFile.slice(0, historicalFile.indexOf('0.83511') + 5);
    expect(problemsOf(truncated).errors).toEqual([
      { path: 'line 5', message: expect.stringContaining('cut off') },
    ]);
  });

  test('reports corrupt values by line and column', () => {
    const corrupt = historicalFile
      .replace('2026-11-25,1.0812,162.02', '2026-11-25,1.08x2,-162.02')
      .replace('2026-11-20', '2026-11-31');
    expect(problemsOf(corrupt).errors).toEqual([
      { path: 'line 3, column 2', message: expect.stringContaining("'1.08x2'") },
      { path: 'line 3, column 3', message: expect.stringContaining("'-162.02'") },
      { path: 'line 5, column 1', message: expect.stringContaining("'2026-11-31' is not a date") },
    ]);
  });

  test('reports a repeated date, a line of the wrong width and a missing USD rate', () => {
    const lines = historicalFile.split('\n');
    lines[2] = '2026-11-26,1.0812,162.02,N/A,0.83310,N/A,';
    lines[3] = '2026-11-24,1.0790,161.88,0.83402,N/A,';
    lines[4] = '2026-11-20,N/A,161.20,N/A,0.83511,N/A,';
    expect(problemsOf(lines.join('\n')).errors).toEqual([
      { path: 'line 3, column 1', message: '2026-11-26 appears already on line 2.' },
      { path: 'line 4', message: 'The line has 5 values; the header has 6.' },
      { path: 'line 5, column 2', message: expect.stringContaining('USD is N/A') },
    ]);
  });

  test('reports a header that is not an ECB header', () => {
    expect(problemsOf('Day,USD,usd,USD,EUR,\n2026-11-26,1,1,1,1,\n').errors).toEqual([
      { path: 'line 1, column 1', message: "The header starts with 'Day'; expected 'Date'." },
      { path: 'line 1, column 3', message: "'usd' is not a currency code." },
      { path: 'line 1, column 4', message: 'USD appears twice in the header.' },
      { path: 'line 1, column 5', message: 'EUR is the base of the file; it cannot be a column.' },
    ]);
    expect(problemsOf('Date,JPY,\n2026-11-26,162.51,\n').errors).toEqual([
      { path: 'line 1', message: expect.stringContaining('no USD column') },
    ]);
  });

  test('rejects an empty file, a header alone and broken CSV quoting', () => {
    expect(problemsOf('').errors).toEqual([{ path: 'line 1', message: 'The file is empty.' }]);
    expect(problemsOf('Date, USD, JPY, \n').errors).toEqual([
      { path: 'line 2', message: 'The file has no rates after its header.' },
    ]);
    expect(problemsOf('Date,USD,\n2026-11-26,"1.0834,\n').errors[0]?.message).toContain('not valid CSV');
  });

  test(`lists at most ${Limits.importErrorsMax} problems and counts the rest`, () => {
    const rows = Array.from(
      { length: 80 },
      (_, index) => `2026-01-${String((index % 28) + 1).padStart(2, '0')}x,1.1,`,
    );
    const failure = problemsOf(['Date,USD,', ...rows].join('\n'));
    expect(failure.errors).toHaveLength(Limits.importErrorsMax);
    expect(failure.detail).toBe(
      `The ECB file has 80 problems (the first ${Limits.importErrorsMax} are listed); nothing was imported.`,
    );
  });
});

describe('USD cross rates', () => {
  test('derives per-USD rates exactly from per-EUR rates and rounds them once to 10 decimals', () => {
    const { rates } = FxTable.fromEcbCsv(dailyFile);
    const perUsd = (currency: string) => FxTable.toRecord(rates.find((rate) => rate.quote === currency)!);
    expect(perUsd('EUR')).toEqual({
      currency: 'EUR',
      date: '2026-11-26',
      perUsd: '0.9230201218',
      source: 'ECB (USD cross)',
    });
    expect(perUsd('JPY').perUsd).toBe('150');
    expect(perUsd('GBP').perUsd).toBe('0.7677219863');
    expect(perUsd('IDR').perUsd).toBe('15923.2324164667');
    expect(rates.some((rate) => rate.quote === 'USD')).toBe(false);
    expect(rates).toHaveLength(31);
  });

  test('every derived rate is within half of the tenth decimal of the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 5_000n, max: 20_000n }),
        (perEurMicros, usdTenThousandths) => {
          const on = '2026-01-02';
          const eurRate = (quote: 'USD' | 'GBP', value: Fraction) =>
            Rate.of({
              base: Currency.parse('EUR'),
              quote: Currency.parse(quote),
              value,
              date: on,
              source: 'ECB',
            });
          const perEurUsd = Fraction.of(usdTenThousandths, 10_000n);
          const perEurGbp = Fraction.of(perEurMicros, 1_000_000n);
          const exact = Fraction.divide(perEurGbp, perEurUsd);
          fc.pre(Fraction.compare(exact, Fraction.of(1n, 10n ** 10n)) > 0);
          const [gbpRate] = FxTable.usdCrossRates([
            eurRate('USD', perEurUsd),
            eurRate('GBP', perEurGbp),
          ]).filter((rate) => rate.quote === 'GBP');
          const error = Fraction.subtract(gbpRate!.value, exact);
          const halfUnit = Fraction.of(1n, 2n * 10n ** 10n);
          expect(Fraction.compare(error, halfUnit)).toBeLessThan(1);
          expect(Fraction.compare(Fraction.negate(error), halfUnit)).toBeLessThan(1);
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});

describe('rate lookup', () => {
  const { rates } = FxTable.fromEcbCsv(historicalFile);

  test('uses the rate of the day when there is one', () => {
    expect(FxTable.rateOn(rates, gbp, '2026-11-25').date).toBe('2026-11-25');
  });

  test('uses the latest earlier rate over a weekend and says which date it used', () => {
    const rate = FxTable.rateOn(rates, gbp, '2026-11-23');
    expect(rate.date).toBe('2026-11-20');
    expect(FxTable.toRecord(rate).perUsd).toBe(
      Fraction.toFixed(
        Fraction.divide(Fraction.parseDecimal('0.83511')!, Fraction.parseDecimal('1.0751')!),
        10,
        'half-even',
      ).replace(/0+$/, ''),
    );
  });

  test('refuses a date before every rate, an unknown currency and a rate too old', () => {
    expect(() => FxTable.rateOn(rates, gbp, '2001-01-01')).toThrow(
      expect.objectContaining({ code: 'FX_RATE_MISSING' }),
    );
    expect(() => FxTable.rateOn(rates, Currency.parse('CHF'), '2026-11-26')).toThrow(
      expect.objectContaining({ code: 'FX_RATE_MISSING' }),
    );
    expect(() => FxTable.rateOn(rates, gbp, '2012-06-01')).toThrow(
      expect.objectContaining({ code: 'FX_RATE_MISSING', detail: expect.stringContaining('2008-01-02') }),
    );
    expect(FxTable.rateOn(rates, gbp, '2012-06-01', { ageDaysMax: 10_000 }).date).toBe('2008-01-02');
  });

  test('gives USD the identity rate of the day', () => {
    const rate = FxTable.rateOn(rates, usd, '2026-11-22');
    expect(rate).toMatchObject({ base: 'USD', quote: 'USD', date: '2026-11-22' });
    expect(FxTable.toUsd(Money.of(12345n, usd), rates, '2026-11-22').to).toEqual(Money.of(12345n, usd));
  });

  test('converts money to USD with the rate in force, rounding once', () => {
    const conversion = FxTable.toUsd(Money.parse('1000000', 'JPY'), rates, '2026-11-26');
    // 1,000,000 JPY / (162.51 / 1.0834 = 150 JPY per USD) = 6666.666… USD
    expect(Money.format(conversion.to)).toBe('6666.67');
    expect(conversion.rate.date).toBe('2026-11-26');
  });

  test('always picks the latest rate dated on or before the day', () => {
    const dates = fc.integer({ min: 0, max: 400 }).map((offset) => {
      const day = (offset % 28) + 1;
      const month = (Math.floor(offset / 28) % 12) + 1;
      return `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    });
    fc.assert(
      fc.property(fc.uniqueArray(dates, { minLength: 1, maxLength: 30 }), dates, (rateDates, on) => {
        const table = rateDates.map((date, index) =>
          Rate.of({ base: usd, quote: jpy, value: Fraction.of(BigInt(index + 100)), date, source: 'test' }),
        );
        const earlier = rateDates.filter((date) => date <= on).sort();
        if (earlier.length === 0) {
          expect(() => FxTable.rateOn(table, jpy, on, { ageDaysMax: 1_000 })).toThrow(
            expect.objectContaining({ code: 'FX_RATE_MISSING' }),
          );
        } else {
          const rate = FxTable.rateOn(table, jpy, on, { ageDaysMax: 1_000 });
          expect(rate.date).toBe(earlier[earlier.length - 1]);
          expect(IsoDate.daysBetween(rate.date, on)).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed, numRuns: 500 },
    );
  });

  test('a rate entered by hand is stored as its exact decimal text', () => {
    const rate = FxTable.perUsd(gbp, '0.7677219863', '2026-11-26', 'Bank of England');
    expect(FxTable.toRecord(rate)).toEqual({
      currency: 'GBP',
      date: '2026-11-26',
      perUsd: '0.7677219863',
      source: 'Bank of England',
    });
    expect(() => FxTable.perUsd(gbp, '0', '2026-11-26', 'x')).toThrow(
      expect.objectContaining({ code: 'FX_RATE_INVALID' }),
    );
    expect(() => FxTable.perUsd(gbp, '1.2', '2026-13-01', 'x')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});

describe('calendar dates', () => {
  test('knows real dates, leap years and the ECB long form', () => {
    expect(IsoDate.isValid('2028-02-29')).toBe(true);
    expect(IsoDate.isValid('2026-02-29')).toBe(false);
    expect(IsoDate.isValid('2026-2-01')).toBe(false);
    expect(IsoDate.fromLongEnglish('1 December 2026')).toBe('2026-12-01');
    expect(IsoDate.fromLongEnglish('31 November 2026')).toBeUndefined();
    expect(IsoDate.daysBetween('2025-12-31', '2026-03-01')).toBe(60);
    expect(IsoDate.daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });
});
