export * from './access/index.ts';
export * from './audit/index.ts';
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
export { Limits } from './limits.ts';
export * from './money/index.ts';
export * from './requirements/index.ts';
