const formatters = new Map<string, Intl.NumberFormat>();

/** A whole number that is not money (a quantity, a rank), grouped for the locale. */
export function formatCount(value: number, locale: string): string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, numberingSystem: 'latn' });
    formatters.set(locale, formatter);
  }
  return formatter.format(value);
}
