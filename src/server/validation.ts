import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldError } from '../core/errors.ts';

// ajv-formats is CommonJS; under ESM its function is the default export's default.
const addFormats =
  (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

function makeAjv(coerceTypes: boolean): Ajv {
  // Unknown fields are errors, not silently removed; bodies are never coerced ("5" is not 5).
  const ajv = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    allErrors: true,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const strictAjv = makeAjv(false);
const queryAjv = makeAjv(true);

/** The JSON pointer of the first string holding a NUL character, or undefined. */
function nulPointer(value: unknown, pointer: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nulPointer(item, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold a NUL character (the insert fails, a 500), SQLite can: refuse it in
 * every part of every request, so both dialects answer the same 422 and no such string reaches a query.
 */
function refusingNul(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown, context?: object) => {
    const valid = (validate as (data: unknown, context?: object) => boolean)(data, context);
    wrapped.errors = validate.errors ?? null;
    if (!valid) return false;
    const pointer = nulPointer(data, '');
    if (pointer === undefined) return true;
    wrapped.errors = [
      {
        instancePath: pointer,
        schemaPath: '#',
        keyword: 'nul',
        params: {},
        message: 'must not contain a NUL character',
      },
    ];
    return false;
  }) as ValidateFunction;
  // Fastify passes the parent object (so defaults can be applied) only to functions with a schemaEnv.
  Object.assign(wrapped, { schemaEnv: validate.schemaEnv, schema: validate.schema });
  return wrapped;
}

/** Bodies, params and headers are validated as sent; query strings are text, so they are coerced. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'querystring' ? queryAjv : strictAjv;
  const validate = ajv.compile(schema as object);
  // A whole-body string is an uploaded file (the ECB rates): its own parser reports what is wrong.
  const upload = httpPart === 'body' && (schema as { type?: unknown }).type === 'string';
  return (upload ? validate : refusingNul(validate)) as ReturnType<FastifySchemaCompiler<unknown>>;
};

export function fieldErrors(errors: readonly ErrorObject[], part: string | undefined): FieldError[] {
  return errors.slice(0, 50).map((error) => {
    const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
    const extra =
      error.keyword === 'additionalProperties' ? `/${String(error.params.additionalProperty)}` : '';
    const path =
      `${part === 'body' || part === undefined ? '' : `${part}:`}${error.instancePath}${missing}${extra}` ||
      '/';
    const message =
      error.keyword === 'additionalProperties'
        ? 'is not a field of this object'
        : (error.message ?? 'is invalid');
    return { path, message };
  });
}
