import { Ajv, type ErrorObject } from 'ajv';
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

/** Bodies, params and headers are validated as sent; query strings are text, so they are coerced. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'querystring' ? queryAjv : strictAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
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
