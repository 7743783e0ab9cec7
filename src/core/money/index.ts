export { Currency, type CurrencyCode } from './currency.ts';
export { Money } from './money.ts';
