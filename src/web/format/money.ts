import type { MoneyJson } from '../../contract/index.ts';

/**
 * Money is shown from its decimal string, never through a JS number: the integer part is grouped
 * by Intl as a BigInt, the fraction is copied digit for digit, and the currency code is always
 * shown (a symbol such as "$" is ambiguous between currencies).
 */
const amountPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

const templates = new Map<string, Intl.NumberFormatPart[]>();
const groupers = new Map<string, Intl.NumberFormat>();

/** Where the locale puts the code, the sign and the digits: the parts of "1" (or "-1") in the currency. */
function templateOf(locale: string, currency: string, negative: boolean): Intl.NumberFormatPart[] {
  const key = `${locale}|${currency}|${negative}`;
  let template = templates.get(key);
  if (!template) {
    template = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
      numberingSystem: 'latn',
    }).formatToParts(negative ? -1n : 1n);
    templates.set(key, template);
  }
  return template;
}

function grouperOf(locale: string): Intl.NumberFormat {
  let grouper = groupers.get(locale);
  if (!grouper) {
    grouper = new Intl.NumberFormat(locale, {
      maximumFractionDigits: 0,
      useGrouping: true,
      numberingSystem: 'latn',
    });
    groupers.set(locale, grouper);
  }
  return grouper;
}

const separators = new Map<string, string>();

function decimalSeparatorOf(locale: string): string {
  let separator = separators.get(locale);
  if (separator === undefined) {
    separator =
      new Intl.NumberFormat(locale, { minimumFractionDigits: 1, numberingSystem: 'latn' })
        .formatToParts(0.5)
        .find((part) => part.type === 'decimal')?.value ?? '.';
    separators.set(locale, separator);
  }
  return separator;
}

/** "150000000.00" GBP → "GBP 150,000,000.00" (en-GB) or "150 000 000,00 GBP" (uk-UA). */
export function formatMoney(money: MoneyJson, locale: string): string {
  const match = amountPattern.exec(money.amount);
  if (!match) return `${money.amount} ${money.currency}`;
  const [, sign = '', integerDigits = '0', fraction = ''] = match;
  const negative = sign === '-' && /[1-9]/.test(`${integerDigits}${fraction}`);
  let template: Intl.NumberFormatPart[];
  try {
    template = templateOf(locale, money.currency, negative);
  } catch {
    // Intl refuses a malformed currency code; show the exact figures rather than nothing.
    return `${money.amount} ${money.currency}`;
  }
  const grouped = grouperOf(locale).format(BigInt(integerDigits));
  const digits = fraction ? `${grouped}${decimalSeparatorOf(locale)}${fraction}` : grouped;
  return template.map((part) => (part.type === 'integer' ? digits : part.value)).join('');
}

/**
 * An exact decimal that is not money (an exchange rate) with the locale's decimal separator, digit
 * for digit: "0.7288" → "0,7288" (uk-UA). Anything else (a fraction "10000/10834") is shown as it is.
 */
export function formatDecimal(text: string, locale: string): string {
  return /^\d+\.\d+$/.test(text) ? text.replace('.', decimalSeparatorOf(locale)) : text;
}

/** The number of decimals of a currency as Intl knows it; the server's ISO 4217 table decides. */
export function currencyScale(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return undefined;
  }
}

export type AmountInput =
  | { readonly ok: true; readonly amount: string }
  | { readonly ok: false; readonly reason: 'format' | 'decimals'; readonly scale?: number };

/**
 * What a person typed ("4 000 000,5", "1500") → the decimal string the API takes ("4000000.50").
 * Spaces between digit groups and a decimal comma are accepted; missing decimals are padded with
 * zeros; decimals beyond the currency's scale are refused, never rounded away.
 */
export function amountFromInput(input: string, currency: string): AmountInput {
  const compact = input.replace(/[\s\u00a0\u202f]/g, '');
  const match = /^(\d{1,15})(?:[.,](\d+))?$/.exec(compact);
  if (!match) return { ok: false, reason: 'format' };
  const [, integerDigits = '0', fraction = ''] = match;
  const scale = currencyScale(currency);
  if (scale === undefined)
    return { ok: true, amount: fraction ? `${integerDigits}.${fraction}` : integerDigits };
  if (fraction.length > scale) return { ok: false, reason: 'decimals', scale };
  const integer = integerDigits.replace(/^0+(?=\d)/, '');
  return { ok: true, amount: scale === 0 ? integer : `${integer}.${fraction.padEnd(scale, '0')}` };
}
