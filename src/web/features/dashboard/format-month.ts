const formatters = new Map<string, Intl.DateTimeFormat>();

/** A month of the API ("2026-02") in the locale's words ("February 2026"), read in UTC. */
export function formatMonth(month: string, locale: string, style: 'long' | 'short' = 'long'): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const key = `${locale}|${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { year: 'numeric', month: style, timeZone: 'UTC' });
    formatters.set(key, formatter);
  }
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : formatter.format(date);
}
