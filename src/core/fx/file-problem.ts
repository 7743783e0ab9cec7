import { Failure, type FieldError } from '../errors.ts';
import { Limits } from '../limits.ts';

/** One problem of an imported file, where a person can find it: 1-based line and column. */
export interface FileProblem {
  readonly line: number;
  /** The 1-based field of the line, or null when the problem is the whole line or file. */
  readonly column: number | null;
  readonly message: string;
}

/**
 * Collects the problems of a file, keeping the first `Limits.importErrorsMax` and counting the rest,
 * so that a rejected file says where it is wrong without an unbounded error list.
 */
export class FileProblems {
  readonly #listed: FileProblem[] = [];
  #count = 0;

  add(line: number, column: number | null, message: string): void {
    this.#count += 1;
    if (this.#listed.length < Limits.importErrorsMax) this.#listed.push({ line, column, message });
  }

  get count(): number {
    return this.#count;
  }

  get listed(): readonly FileProblem[] {
    return this.#listed;
  }

  /** The failure that rejects the whole file: `code`, a count, and each listed problem as a FieldError. */
  failure(code: 'FX_FILE_INVALID', what: string): Failure {
    const shown = this.#listed.length < this.#count ? ` (the first ${this.#listed.length} are listed)` : '';
    const plural = this.#count === 1 ? 'problem' : 'problems';
    return new Failure(
      code,
      `${what} has ${this.#count} ${plural}${shown}; nothing was imported.`,
      this.#listed.map(FileProblems.toFieldError),
    );
  }

  /** `path` reads "line 7, column 3" (or "line 7"): the place a person opens the file at. */
  static toFieldError(problem: FileProblem): FieldError {
    const path =
      problem.column === null ? `line ${problem.line}` : `line ${problem.line}, column ${problem.column}`;
    return { path, message: problem.message };
  }
}
