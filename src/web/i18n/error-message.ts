import { ApiError } from '../api/client.ts';
import type { Messages } from './en.ts';

/** The sentence to show for a failed call, in the user's language; the server's detail only as a fallback. */
export function errorMessage(t: Messages, error: unknown): string {
  if (error instanceof ApiError) return t.errors.byCode[error.code] ?? t.errors.generic(error.detail);
  return t.errors.generic(error instanceof Error ? error.message : String(error));
}
