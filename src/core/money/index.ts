export { Currency, type CurrencyCode } from './currency.ts';
export { Fraction } from './fraction.ts';
export { type Conversion, Money } from './money.ts';
export { Rate, type RateFacts } from './rate.ts';
export { RoundingMode, roundingModes } from './rounding-mode.ts';
