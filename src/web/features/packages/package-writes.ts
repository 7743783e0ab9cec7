import type { PackageJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import type { Messages } from '../../i18n/en.ts';

/** A message about the last action, a function of the catalogue so that a language switch translates it. */
export interface Notice {
  readonly tone: 'success' | 'warning' | 'error';
  readonly message: (t: Messages) => string;
}

/** What a write on the package reports to the page: a new version, a stale read, or a failure. */
export interface PackageWriteHandlers {
  readonly onChanged: (pkg: PackageJson, notice: Notice) => void;
  readonly onStale: () => void;
  readonly onError: (error: unknown) => void;
}

/** The package changed since the page read it (If-Match refused): reload, never overwrite. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 412 || error.code === 'VERSION_MISMATCH');
}
