const formatters = new Map<string, Intl.DateTimeFormat>();

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date of the API (YYYY-MM-DD, a UTC day) in the locale's words. It is read and shown
 * in UTC, so that no time zone moves it to the day before.
 */
export function formatDate(isoDate: string, locale: string): string {
  if (!isoDatePattern.test(isoDate)) return isoDate;
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    formatters.set(locale, formatter);
  }
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : formatter.format(date);
}

/** Today's date in UTC (YYYY-MM-DD), the default of a date field. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
