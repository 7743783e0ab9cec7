import type { ErrorCode, FieldError } from '../core/errors.ts';
import { ErrorCatalogue } from '../core/errors.ts';

/** The one code → HTTP status table. A test checks that every catalogue code is here. */
export const httpStatusOf: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 422,
  MALFORMED_REQUEST: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  ROUTE_NOT_FOUND: 404,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  RATE_LIMITED: 429,
  IF_MATCH_REQUIRED: 428,
  VERSION_MISMATCH: 412,
  INVALID_TRANSITION: 409,
  REQUIREMENT_LOCKED: 409,
  RANK_NOT_PERMUTATION: 422,
  PRIORITY_LIST_ALREADY_APPROVED: 409,
  MONEY_INVALID: 422,
  MONEY_SCALE_INVALID: 422,
  MONEY_OUT_OF_RANGE: 422,
  CURRENCY_UNKNOWN: 422,
  CURRENCY_MISMATCH: 422,
  FX_FILE_INVALID: 422,
  FX_RATE_INVALID: 422,
  FX_RATE_MISSING: 422,
  PLEDGE_DATE_OUT_OF_ORDER: 422,
  IMPORT_FILE_INVALID: 422,
  IMPORT_ROWS_INVALID: 422,
  CATEGORY_UNKNOWN: 422,
  PACKAGE_UNKNOWN: 422,
  REQUIREMENT_UNKNOWN: 422,
  REQUIREMENT_NOT_VALIDATED: 422,
  PACKAGE_QUANTITY_EXCEEDS_REQUIREMENT: 422,
  PACKAGE_PRICING_INCOMPLETE: 422,
  PACKAGE_LOCKED: 409,
  DELIVERY_EXCEEDS_LINE: 422,
  DELIVERY_ALREADY_RECEIVED: 409,
  PLAN_STALE: 409,
  CATEGORY_EXISTS: 409,
  ORGANIZATION_UNKNOWN: 422,
  ORGANIZATION_EXISTS: 409,
  USER_EXISTS: 409,
  ROLE_NOT_ALLOWED_FOR_ORGANIZATION: 422,
  PASSWORD_TOO_WEAK: 422,
  IDEMPOTENCY_KEY_REUSED: 409,
  NOT_READY: 503,
  DATABASE_NOT_EMPTY: 409,
  BACKUP_INVALID: 422,
  INTERNAL: 500,
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}

/** An RFC 9457 problem document; `type` names the code, explained in docs/errors.md. */
export function problemOf(code: ErrorCode, detail?: string, errors: readonly FieldError[] = []): Problem {
  return {
    type: `urn:purl-desk:error:${code}`,
    title: ErrorCatalogue[code],
    status: httpStatusOf[code],
    code,
    detail: detail ?? ErrorCatalogue[code],
    ...(errors.length ? { errors } : {}),
  };
}
