import { type ErrorCode, Failure, type FieldError } from '../errors.ts';
import { Limits } from '../limits.ts';

/**
 * The problems of an imported file: the first `Limits.importErrorsMax` are kept, the rest counted,
 * so that a rejected file says where it is wrong without an unbounded error list.
 */
export class ImportProblems {
  readonly #listed: FieldError[] = [];
  #count = 0;

  add(errors: readonly FieldError[]): void {
    for (const error of errors) {
      this.#count += 1;
      if (this.#listed.length < Limits.importErrorsMax) this.#listed.push(error);
    }
  }

  get count(): number {
    return this.#count;
  }

  get listed(): readonly FieldError[] {
    return this.#listed;
  }

  /** The listed problems, and one last entry that counts those left out. */
  fieldErrors(): FieldError[] {
    const rest = this.#count - this.#listed.length;
    return rest > 0
      ? [
          ...this.#listed,
          { path: 'file', message: `${rest} more problem${rest === 1 ? '' : 's'} not listed` },
        ]
      : [...this.#listed];
  }

  failure(code: ErrorCode, what: string): Failure {
    const plural = this.#count === 1 ? 'problem' : 'problems';
    const shown = this.#listed.length < this.#count ? ` (the first ${this.#listed.length} are listed)` : '';
    return new Failure(
      code,
      `${what} has ${this.#count} ${plural}${shown}; nothing was imported.`,
      this.fieldErrors(),
    );
  }
}
