import { IsoDate } from '../calendar/iso-date.ts';
import { assert, Failure } from '../errors.ts';
import { Limits } from '../limits.ts';
import { Currency, type CurrencyCode } from './currency.ts';
import { Fraction } from './fraction.ts';
import type { RoundingMode } from './rounding-mode.ts';

/**
 * An exchange rate: one unit of `base` is worth `value` units of `quote`, as published on `date` by
 * `source`. The value is an exact fraction (the ECB's "1.0834" is 10834/10000), so a conversion
 * multiplies exactly and rounds once.
 *
 * PURL Desk's stored rates are "per USD": base USD, quote the other currency (the ECB's file is
 * "per EUR": base EUR). A rate whose base and quote are the same currency is the identity (value 1).
 */
export interface Rate {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly value: Fraction;
  readonly date: IsoDate;
  readonly source: string;
}

export interface RateFacts {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly date: IsoDate;
  readonly source: string;
}

const rateTextPattern = /^\d+(?:\.\d+)?$/;

function requireString(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${where} takes a string, never a JS number`);
}

function requireRate(value: unknown, where: string): asserts value is Rate {
  if (typeof value !== 'object' || value === null || typeof (value as Rate).base !== 'string') {
    throw new TypeError(`${where} takes a Rate`);
  }
}

export const Rate = {
  /** A rate from an exact value. A non-positive value or a bad date is a programming error. */
  of(facts: RateFacts & { readonly value: Fraction }): Rate {
    requireString(facts.base, 'Rate.of');
    requireString(facts.quote, 'Rate.of');
    requireString(facts.date, 'Rate.of');
    requireString(facts.source, 'Rate.of');
    const value = Fraction.of(facts.value.numerator, facts.value.denominator);
    Currency.scale(facts.base);
    Currency.scale(facts.quote);
    assert(value.numerator > 0n, 'a rate is positive');
    assert(facts.base !== facts.quote || value.numerator === value.denominator, 'an identity rate is 1');
    assert(IsoDate.isValid(facts.date), 'a rate has a valid date');
    assert(facts.source.length > 0, 'a rate names its source');
    return Object.freeze({
      base: facts.base,
      quote: facts.quote,
      value,
      date: facts.date,
      source: facts.source,
    });
  },

  /**
   * Parses a rate written as a positive decimal string ("1.0834", "162.51"), exactly. Anything
   * else (zero, a sign, an exponent, a comma, more than `Limits.rateLengthMax` characters) is
   * `FX_RATE_INVALID`.
   */
  parse(text: string, facts: RateFacts): Rate {
    requireString(text, 'Rate.parse');
    const value =
      text.length <= Limits.rateLengthMax && rateTextPattern.test(text)
        ? Fraction.parseDecimal(text)
        : undefined;
    if (value === undefined || value.numerator <= 0n) {
      throw new Failure(
        'FX_RATE_INVALID',
        `'${text.slice(0, 40)}' is not a positive decimal rate (e.g. "1.0834").`,
      );
    }
    return Rate.of({ ...facts, value });
  },

  /** The identity rate of a currency on a date: converting with it changes nothing. */
  identity(currency: CurrencyCode, date: IsoDate, source = 'identity'): Rate {
    return Rate.of({ base: currency, quote: currency, value: Fraction.of(1n), date, source });
  },

  /** The same rate seen from the other side: one unit of `quote` in units of `base`. */
  invert(rate: Rate): Rate {
    requireRate(rate, 'Rate.invert');
    return Rate.of({
      base: rate.quote,
      quote: rate.base,
      value: Fraction.inverse(rate.value),
      date: rate.date,
      source: rate.source,
    });
  },

  /** The exact value as text (see `Fraction.format`): "1.0834", or "10000/10834" for a non-decimal. */
  format(rate: Rate): string {
    requireRate(rate, 'Rate.format');
    return Fraction.format(rate.value);
  },

  /** The value rounded once to `places` decimals, all written ("0.9230201218"). */
  toFixed(rate: Rate, places: number, mode: RoundingMode): string {
    requireRate(rate, 'Rate.toFixed');
    return Fraction.toFixed(rate.value, places, mode);
  },

  equals(a: Rate, b: Rate): boolean {
    requireRate(a, 'Rate.equals');
    requireRate(b, 'Rate.equals');
    return (
      a.base === b.base &&
      a.quote === b.quote &&
      a.date === b.date &&
      a.source === b.source &&
      Fraction.equals(a.value, b.value)
    );
  },
} as const;
