import { Failure } from '../errors.ts';

/**
 * A calendar date in ISO 8601 form, `YYYY-MM-DD`. Dates are plain strings so that they compare
 * correctly as strings and cross every boundary (JSON, SQL, CSV) unchanged; the functions here check
 * them and compute with them without `Date`, which would bring a time zone into a calendar date.
 */
export type IsoDate = string;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function requireText(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${where} takes a date as a 'YYYY-MM-DD' string`);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function parts(date: IsoDate): [number, number, number] {
  const match = isoDatePattern.exec(date);
  if (!match) throw new Failure('VALIDATION_FAILED', `'${date.slice(0, 20)}' is not a date (YYYY-MM-DD).`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export const IsoDate = {
  /** True for a real calendar date written `YYYY-MM-DD` (2026-02-29 is not one). */
  isValid(text: string): boolean {
    requireText(text, 'IsoDate.isValid');
    const match = isoDatePattern.exec(text);
    if (!match) return false;
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  },

  /** The date itself, or `VALIDATION_FAILED` when it is not a real `YYYY-MM-DD` date. */
  parse(text: string): IsoDate {
    requireText(text, 'IsoDate.parse');
    if (!IsoDate.isValid(text)) {
      throw new Failure('VALIDATION_FAILED', `'${text.slice(0, 20)}' is not a date (YYYY-MM-DD).`);
    }
    return text;
  },

  /**
   * Reads the long English form the ECB daily file uses (`26 November 2026`, `1 December 2026`);
   * undefined when the text is not such a date.
   */
  fromLongEnglish(text: string): IsoDate | undefined {
    requireText(text, 'IsoDate.fromLongEnglish');
    const match = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(text);
    if (!match) return undefined;
    const month = monthNames.indexOf((match[2] ?? '').toLowerCase() as (typeof monthNames)[number]) + 1;
    if (month === 0) return undefined;
    const date = `${match[3]}-${String(month).padStart(2, '0')}-${(match[1] ?? '').padStart(2, '0')}`;
    return IsoDate.isValid(date) ? date : undefined;
  },

  /** The number of days from `from` to `to` (negative when `to` is earlier). */
  daysBetween(from: IsoDate, to: IsoDate): number {
    requireText(from, 'IsoDate.daysBetween');
    requireText(to, 'IsoDate.daysBetween');
    return dayNumber(...parts(to)) - dayNumber(...parts(from));
  },

  compare(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
    requireText(a, 'IsoDate.compare');
    requireText(b, 'IsoDate.compare');
    return a < b ? -1 : a > b ? 1 : 0;
  },
} as const;
