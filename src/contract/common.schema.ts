import Type, { type Static, type TSchema } from 'typebox';
import { errorCodes } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';

/** A string that is one of `values`, as a JSON Schema `enum`, typed as their union. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** Money in JSON: a decimal string with exactly the currency's scale, and an ISO 4217 code. */
export const MoneySchema = Type.Object(
  {
    amount: Type.String({
      pattern: '^-?[0-9]{1,18}(\\.[0-9]{1,4})?$',
      maxLength: 24,
      description: 'A decimal string with exactly the currency scale, e.g. "150000000.00"; never a number.',
      examples: ['150000000.00'],
    }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code', examples: ['GBP'] }),
  },
  { additionalProperties: false, title: 'Money' },
);
export type MoneyJson = Static<typeof MoneySchema>;

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: StringEnum(errorCodes),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { title: 'Problem', description: 'application/problem+json (RFC 9457)' },
);
export type ProblemJson = Static<typeof ProblemSchema>;

export const PageQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Limits.pageSizeMax, default: Limits.pageSizeDefault }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

/** `?format=` of a list route: the whole list as a file instead of a page (docs/import.md, "Every other list"). */
export function exportFormat(description: string) {
  return StringEnum(['csv', 'xlsx', 'json'] as const, { description });
}

export const ExportFormatSchema = exportFormat(
  'Download the whole list (not paged; the caller’s rights and the other filters applied) as an attachment in this format instead',
);

/** A page query that can also ask for the whole list as a file. */
export const PageExportQuerySchema = Type.Object(
  { ...PageQuerySchema.properties, format: Type.Optional(ExportFormatSchema) },
  { additionalProperties: false },
);

export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const IdParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const IfMatchHeaderSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ maxLength: 64, description: 'The version read, e.g. "3" or W/"3"' }),
  ),
});

/** Headers of a money write: a retry-safe Idempotency-Key, and If-Match where the object is edited. */
export const WriteHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      maxLength: 128,
      description: 'Retry-safe key: the same key and body return the first response',
    }),
  ),
  'if-match': Type.Optional(
    Type.String({ maxLength: 64, description: 'The version read, e.g. "3" or W/"3"' }),
  ),
});

/** The problem responses a write may answer with, for the OpenAPI document. */
export const WriteProblemResponses = {
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
};

export const DateTimeSchema = Type.String({ format: 'date-time', description: 'UTC, with Z' });

export const text = (maxLength: number, options: { minLength?: number; description?: string } = {}) =>
  Type.String({
    minLength: options.minLength ?? 1,
    maxLength,
    ...(options.description ? { description: options.description } : {}),
  });
