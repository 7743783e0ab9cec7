/**
 * The one catalogue of stable error codes. Every expected failure in PURL Desk carries one of these
 * codes; the HTTP status of each lives in `src/server/http-errors.ts`, the CLI exit code in
 * `src/cli/exit-codes.ts`, and the explanation in `docs/errors.md`. A test fails when a code is
 * missing from any of them.
 */
export const ErrorCatalogue = {
  VALIDATION_FAILED: 'The request does not match the contract.',
  MALFORMED_REQUEST: 'The request body could not be parsed.',
  UNSUPPORTED_MEDIA_TYPE: 'The request body has a content type this route does not accept.',
  BODY_TOO_LARGE: 'The request body is larger than the limit.',
  ROUTE_NOT_FOUND: 'No route matches this method and path.',
  NOT_FOUND: 'The object does not exist, or the caller may not see it.',
  UNAUTHENTICATED: 'The route needs a logged-in user or a bearer token.',
  INVALID_CREDENTIALS: 'The email or the password is wrong.',
  FORBIDDEN: 'The caller is authenticated but its role may not perform this action.',
  CSRF_TOKEN_INVALID:
    'A state-changing request with a session cookie lacks the matching x-csrf-token header.',
  RATE_LIMITED: 'Too many requests; try again later.',
  IF_MATCH_REQUIRED: 'An edit must send the If-Match header with the version it read.',
  VERSION_MISMATCH: 'The object changed since the caller read it; nothing was written.',
  INVALID_TRANSITION: 'The object cannot move to that status from its current one.',
  REQUIREMENT_LOCKED: 'The requirement can no longer be edited in its current status.',
  RANK_NOT_PERMUTATION: 'The new order is not a permutation of the active lines.',
  PRIORITY_LIST_ALREADY_APPROVED: 'The current version of the priority list is already approved.',
  MONEY_INVALID: 'An amount is not a decimal string.',
  MONEY_SCALE_INVALID: 'An amount has more or fewer decimals than its currency allows.',
  MONEY_OUT_OF_RANGE:
    'An amount is negative, zero where it may not be, or beyond the largest amount handled.',
  CURRENCY_UNKNOWN: 'The currency is not an ISO 4217 code.',
  CURRENCY_MISMATCH: 'Two amounts in different currencies were combined.',
  FX_FILE_INVALID:
    'The exchange-rate file is corrupt, truncated or not in a known format; nothing was imported.',
  FX_RATE_INVALID: 'An exchange rate is not a positive decimal number.',
  FX_RATE_MISSING: 'No exchange rate for the currency on or shortly before the date; none is guessed.',
  PLEDGE_DATE_OUT_OF_ORDER: "A pledge's stage change is dated before its announcement or its previous stage.",
  IMPORT_FILE_INVALID:
    'The imported file is not a spreadsheet of the template (not CSV or XLSX, empty, a bad header, too many rows or columns); nothing was imported.',
  IMPORT_ROWS_INVALID:
    'Rows of the imported file have problems, listed by row and column; nothing was imported.',
  CATEGORY_UNKNOWN: 'The capability category does not exist.',
  PACKAGE_UNKNOWN: 'The package does not exist.',
  REQUIREMENT_UNKNOWN: 'A requirement named in the request does not exist.',
  REQUIREMENT_NOT_VALIDATED: 'Only validated requirements with units not yet in a package go into a package.',
  PACKAGE_QUANTITY_EXCEEDS_REQUIREMENT:
    'A package line asks for more units than the requirement has outside other packages.',
  PACKAGE_PRICING_INCOMPLETE: 'A pricing must give one amount for every line of the package, each line once.',
  PACKAGE_LOCKED: 'The package can no longer be edited in its current status.',
  DELIVERY_EXCEEDS_LINE: 'A delivery ships more units than remain to be delivered on the package line.',
  DELIVERY_ALREADY_RECEIVED: 'The delivery has been confirmed received already.',
  PLAN_STALE: 'The allocation plan changed since it was read; nothing was applied.',
  CATEGORY_EXISTS: 'A category with this code exists already.',
  ORGANIZATION_UNKNOWN: 'The organisation does not exist.',
  ORGANIZATION_EXISTS: 'An organisation with this code exists already.',
  USER_EXISTS: 'A user with this email exists already.',
  ROLE_NOT_ALLOWED_FOR_ORGANIZATION: 'The role does not fit the kind of the organisation.',
  PASSWORD_TOO_WEAK: 'The password is shorter than the minimum length.',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was already used with a different request.',
  NOT_READY: 'The database is unreachable or its migrations are not applied.',
  DATABASE_NOT_EMPTY: 'The database to restore into holds data already; nothing was overwritten.',
  BACKUP_INVALID: 'The backup file is not a readable PURL Desk backup, or it did not verify after a restore.',
  INTERNAL: 'An unexpected error; it has been logged.',
} as const;

export type ErrorCode = keyof typeof ErrorCatalogue;

export const errorCodes = Object.keys(ErrorCatalogue) as ErrorCode[];

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/**
 * An expected failure: a value with a stable code, thrown to unwind the current use case and its
 * transaction. A broken invariant is not a Failure: it is an `InvariantViolation` (see `assert`).
 */
export class Failure extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors: readonly FieldError[];

  constructor(code: ErrorCode, detail?: string, errors: readonly FieldError[] = []) {
    super(detail ?? ErrorCatalogue[code]);
    this.name = 'Failure';
    this.code = code;
    this.detail = detail ?? ErrorCatalogue[code];
    this.errors = errors;
  }
}

export class InvariantViolation extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = 'InvariantViolation';
  }
}

/** Stops the current operation when an invariant does not hold. Never catch and ignore it. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message);
}
