import { IsoDate } from '../calendar/iso-date.ts';
import { Failure } from '../errors.ts';
import { Limits } from '../limits.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Fraction } from '../money/fraction.ts';
import { type Conversion, Money } from '../money/money.ts';
import { Rate } from '../money/rate.ts';
import type { RoundingMode } from '../money/rounding-mode.ts';
import { type EcbRatesFile, EcbReferenceRates } from './ecb-reference-rates.ts';

const usd = 'USD' as CurrencyCode;
const eur = 'EUR' as CurrencyCode;

/** The stored form of a rate (`GET/POST /api/v1/fx-rates`): units of `currency` per 1 USD. */
export interface FxRateRecord {
  readonly currency: string;
  readonly date: IsoDate;
  readonly perUsd: string;
  readonly source: string;
}

/** What an ECB file import yields: the per-USD rates to store, and the file's own per-EUR rates. */
export interface EcbImport {
  readonly rates: readonly Rate[];
  readonly file: EcbRatesFile;
}

export interface RateLookupOptions {
  /** How many days before `date` the rate used may be; `Limits.fxRateAgeDaysMax` unless given. */
  readonly ageDaysMax?: number;
}

function requireString(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${where} takes a string, never a JS number`);
}

function requireRates(value: unknown, where: string): asserts value is readonly Rate[] {
  if (!Array.isArray(value)) throw new TypeError(`${where} takes an array of Rates`);
}

export const FxTable = {
  /** Decimal places of a derived per-USD rate. */
  perUsdDecimalPlaces: 10,
  /** How a derived per-USD rate is rounded, once. */
  perUsdRounding: 'half-even' as RoundingMode,
  /** How money is rounded when converted to USD for a total. */
  conversionRounding: 'half-even' as RoundingMode,

  /**
   * Derives per-USD rates from per-EUR reference rates (the ECB publishes "units of currency per
   * 1 EUR"). For a currency C on a date D:
   *
   *     perUsd(C) = perEur(C) / perEur(USD)      computed exactly as a fraction, then
   *     rounded ONCE to `perUsdDecimalPlaces` (10) decimal places, half-even;
   *     perUsd(EUR) = 1 / perEur(USD)            rounded the same way.
   *
   * No cross rate is derived from another derived rate, so no rounding compounds. A date without a
   * EUR/USD rate is `FX_RATE_MISSING`; a cross rate that rounds to zero is `FX_RATE_INVALID`.
   * The result is sorted by date, then currency; its source is `"<source> (USD cross)"`.
   */
  usdCrossRates(eurRates: readonly Rate[]): Rate[] {
    requireRates(eurRates, 'FxTable.usdCrossRates');
    const byDate = new Map<IsoDate, Rate[]>();
    for (const rate of eurRates) {
      if (rate.base !== eur) throw new TypeError('FxTable.usdCrossRates takes per-EUR rates (base EUR)');
      const list = byDate.get(rate.date) ?? [];
      list.push(rate);
      byDate.set(rate.date, list);
    }
    const result: Rate[] = [];
    for (const [date, rates] of [...byDate].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const eurUsd = rates.find((rate) => rate.quote === usd);
      if (!eurUsd)
        throw new Failure('FX_RATE_MISSING', `No EUR/USD rate on ${date}: no USD cross rate can be derived.`);
      const source = `${eurUsd.source} (USD cross)`;
      const derive = (currency: CurrencyCode, perUsdExact: Fraction): Rate => {
        const text = Fraction.toFixed(perUsdExact, FxTable.perUsdDecimalPlaces, FxTable.perUsdRounding);
        const value = Fraction.parseDecimal(text);
        if (!value || value.numerator <= 0n) {
          throw new Failure(
            'FX_RATE_INVALID',
            `The USD cross rate of ${currency} on ${date} rounds to zero.`,
          );
        }
        return Rate.of({ base: usd, quote: currency, value, date, source });
      };
      result.push(derive(eur, Fraction.inverse(eurUsd.value)));
      for (const rate of rates) {
        if (rate.quote === usd) continue;
        result.push(derive(rate.quote, Fraction.divide(rate.value, eurUsd.value)));
      }
    }
    return result.sort((a, b) =>
      a.date === b.date ? (a.quote < b.quote ? -1 : 1) : a.date < b.date ? -1 : 1,
    );
  },

  /** Parses an ECB file (see `EcbReferenceRates.parse`) and derives its per-USD rates, all or nothing. */
  fromEcbCsv(text: string, source: string = EcbReferenceRates.source): EcbImport {
    const file = EcbReferenceRates.parse(text, source);
    return Object.freeze({ rates: FxTable.usdCrossRates(file.rates), file });
  },

  /** A per-USD rate entered by hand (`POST /api/v1/fx-rates`); a bad value is `FX_RATE_INVALID`. */
  perUsd(currency: CurrencyCode, perUsd: string, date: IsoDate, source: string): Rate {
    requireString(currency, 'FxTable.perUsd');
    requireString(perUsd, 'FxTable.perUsd');
    requireString(date, 'FxTable.perUsd');
    requireString(source, 'FxTable.perUsd');
    if (currency === usd) throw new Failure('FX_RATE_INVALID', 'USD per USD is always 1; it is not stored.');
    return Rate.parse(perUsd, { base: usd, quote: currency, date: IsoDate.parse(date), source });
  },

  /** The stored form of a per-USD rate; `perUsd` is its exact decimal text. */
  toRecord(rate: Rate): FxRateRecord {
    if (typeof rate !== 'object' || rate === null || rate.base !== usd) {
      throw new TypeError('FxTable.toRecord takes a per-USD Rate');
    }
    return { currency: rate.quote, date: rate.date, perUsd: Rate.format(rate), source: rate.source };
  },

  /**
   * The per-USD rate of `currency` in force on `date`: the latest rate dated on or before it, which
   * may be older because the ECB publishes nothing at weekends and on holidays. The returned rate's
   * `date` says which day was used. No rate, or only one more than `ageDaysMax` days old, is
   * `FX_RATE_MISSING`: a rate is never guessed. USD itself gets the identity rate of that date.
   * Only rates with base USD in `rates` are considered.
   */
  rateOn(
    rates: readonly Rate[],
    currency: CurrencyCode,
    date: IsoDate,
    options: RateLookupOptions = {},
  ): Rate {
    requireRates(rates, 'FxTable.rateOn');
    requireString(currency, 'FxTable.rateOn');
    requireString(date, 'FxTable.rateOn');
    const on = IsoDate.parse(date);
    if (currency === usd) return Rate.identity(usd, on);
    let best: Rate | undefined;
    for (const rate of rates) {
      if (rate.base !== usd || rate.quote !== currency || rate.date > on) continue;
      if (!best || rate.date > best.date) best = rate;
    }
    if (!best) throw new Failure('FX_RATE_MISSING', `No ${currency} rate on or before ${on}.`);
    const ageDaysMax = options.ageDaysMax ?? Limits.fxRateAgeDaysMax;
    const age = IsoDate.daysBetween(best.date, on);
    if (age > ageDaysMax) {
      throw new Failure(
        'FX_RATE_MISSING',
        `The latest ${currency} rate on or before ${on} is from ${best.date}, more than ${ageDaysMax} days earlier.`,
      );
    }
    return best;
  },

  /** `money` in USD with the rate in force on `date` (`rateOn`), rounded once, half-even. */
  toUsd(money: Money, rates: readonly Rate[], date: IsoDate, options: RateLookupOptions = {}): Conversion {
    if (typeof money !== 'object' || money === null || typeof money.minor !== 'bigint') {
      throw new TypeError('FxTable.toUsd takes Money, never a JS number');
    }
    const rate = FxTable.rateOn(rates, money.currency, date, options);
    return Money.convert(money, rate, usd, FxTable.conversionRounding);
  },
} as const;
