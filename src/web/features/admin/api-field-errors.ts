import { ApiError } from '../../api/client.ts';

/**
 * The field errors of a refused form, from the problem document's `errors[]` (`/code` → `code`)
 * and from the codes that name one field; what names no field of the form is left to a notice.
 */
export function apiFieldErrors<Field extends string>(
  error: unknown,
  fields: readonly Field[],
  fieldOfCode: Partial<Record<string, Field>> = {},
): { readonly byField: Partial<Record<Field, string>>; readonly matched: boolean } {
  const byField: Partial<Record<Field, string>> = {};
  if (!(error instanceof ApiError)) return { byField, matched: false };
  for (const each of error.errors) {
    const name = each.path.replace(/^(?:body)?:?\//, '').split('/')[0] ?? '';
    const field = fields.find((candidate) => candidate === name);
    if (field && byField[field] === undefined) byField[field] = each.message;
  }
  const named = fieldOfCode[error.code];
  if (named && byField[named] === undefined) byField[named] = error.detail;
  return { byField, matched: Object.keys(byField).length > 0 };
}
