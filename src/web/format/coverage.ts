import { formatDecimal } from './money.ts';

/**
 * A package's coverage as a percentage, digit for digit from the API's exact fraction: "0.4123"
 * (funded ÷ price, 4 places, rounded down by the server) → "41.23". Nothing is rounded here: a
 * fraction with more places keeps them all, one with fewer is padded with zeros.
 */
export function coveragePercent(coverage: string): string | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(coverage);
  if (!match) return null;
  const [, integerDigits = '0', fraction = ''] = match;
  const padded = fraction.padEnd(4, '0');
  const whole = BigInt(integerDigits) * 100n + BigInt(padded.slice(0, 2));
  return `${whole}.${padded.slice(2)}`;
}

const templates = new Map<string, Intl.NumberFormatPart[]>();

/** "41.23" → "41.23%" (en-GB), "41,23%" (uk-UA): the locale places the sign and the separator. */
export function formatPercent(percent: string, locale: string): string {
  let template = templates.get(locale);
  if (!template) {
    template = new Intl.NumberFormat(locale, { style: 'percent', numberingSystem: 'latn' }).formatToParts(1);
    templates.set(locale, template);
  }
  const digits = formatDecimal(percent, locale);
  return template
    .filter((part) => part.type === 'integer' || part.type === 'percentSign' || part.type === 'literal')
    .map((part) => (part.type === 'integer' ? digits : part.value))
    .join('');
}

/** The share of `part` in `whole` (decimal strings of one currency), as an exact fraction rounded down to 4 places. */
export function shareOf(part: string, whole: string): string | null {
  const minor = (text: string): bigint | null => {
    const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) return null;
    const [, integerDigits = '0', fraction = ''] = match;
    return BigInt(`${integerDigits}${fraction.padEnd(4, '0').slice(0, 4)}`);
  };
  const a = minor(part);
  const b = minor(whole);
  if (a === null || b === null || b === 0n) return null;
  const scaled = (a * 10_000n) / b;
  return `${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, '0')}`;
}
