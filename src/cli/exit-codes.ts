import type { ErrorCode } from '../core/errors.ts';

/**
 * The one code → exit status table of `purl` (documented in docs/errors.md). 0 is success;
 * 1 an unexpected error; 2 a usage error (commander's own); the rest group the catalogue.
 */
export const exitCodeOf: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 3,
  MALFORMED_REQUEST: 3,
  UNSUPPORTED_MEDIA_TYPE: 3,
  BODY_TOO_LARGE: 3,
  MONEY_INVALID: 3,
  MONEY_SCALE_INVALID: 3,
  MONEY_OUT_OF_RANGE: 3,
  CURRENCY_UNKNOWN: 3,
  CURRENCY_MISMATCH: 3,
  CATEGORY_UNKNOWN: 3,
  ORGANIZATION_UNKNOWN: 3,
  ROLE_NOT_ALLOWED_FOR_ORGANIZATION: 3,
  PASSWORD_TOO_WEAK: 3,
  RANK_NOT_PERMUTATION: 3,
  ROUTE_NOT_FOUND: 4,
  NOT_FOUND: 4,
  UNAUTHENTICATED: 5,
  INVALID_CREDENTIALS: 5,
  FORBIDDEN: 5,
  CSRF_TOKEN_INVALID: 5,
  RATE_LIMITED: 5,
  IF_MATCH_REQUIRED: 6,
  VERSION_MISMATCH: 6,
  INVALID_TRANSITION: 6,
  REQUIREMENT_LOCKED: 6,
  PRIORITY_LIST_ALREADY_APPROVED: 6,
  CATEGORY_EXISTS: 7,
  ORGANIZATION_EXISTS: 7,
  USER_EXISTS: 7,
  NOT_READY: 8,
  INTERNAL: 1,
};
