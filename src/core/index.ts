export * from './access/index.ts';
export * from './allocation/index.ts';
export * from './audit/index.ts';
export * from './calendar/index.ts';
export * from './directory/index.ts';
export {
  assert,
  ErrorCatalogue,
  type ErrorCode,
  errorCodes,
  Failure,
  type FieldError,
  InvariantViolation,
} from './errors.ts';
export * from './fx/index.ts';
export * from './imports/index.ts';
export * from './ledger/index.ts';
export { Limits } from './limits.ts';
export * from './money/index.ts';
export * from './packages/index.ts';
export * from './pledges/index.ts';
export * from './reports/index.ts';
export * from './requirements/index.ts';
