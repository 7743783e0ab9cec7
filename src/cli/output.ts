import { Failure } from '../core/errors.ts';
import { exitCodeOf } from './exit-codes.ts';

/** Colour only for a person at a terminal, and never when NO_COLOR is set (https://no-color.org). */
function colourFor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}
const useColour = colourFor(process.stdout);
const useErrorColour = colourFor(process.stderr);
const paint =
  (code: number, enabled = useColour) =>
  (text: string) =>
    enabled ? `\u001b[${code}m${text}\u001b[0m` : text;
export const bold = paint(1);
export const red = paint(31);
export const green = paint(32);
export const dim = paint(2);
const errorRed = paint(31, useErrorColour);
const errorDim = paint(2, useErrorColour);

/** Whether standard output is a terminal that takes colour (tables colour their headings then). */
export const colourOnStdout = useColour;

// `purl … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A progress line of long work, on standard error so that standard output stays the result. */
export function progress(line: string): void {
  warn(errorDim(line));
}

/** `value` as one JSON document, indented, bigints as decimal strings, ending with a newline. */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2)}\n`;
}

/** Prints `value` as one JSON document (bigints as decimal strings), for scripts (`--json`). */
export function sayJson(value: unknown): void {
  process.stdout.write(jsonDocument(value));
}

/** What to try next, for the codes an operator meets at the command line; docs/errors.md has them all. */
const hints: Partial<Record<string, string>> = {
  VALIDATION_FAILED: 'check the options and the input against `purl <command> --help`',
  NOT_FOUND: 'check the name or the path; `purl <command> --help` shows what is expected',
  NOT_READY: 'check PURL_DATABASE_URL and that the database answers, then run `purl migrate`',
  DATABASE_NOT_EMPTY: 'restore into a new, empty database, or pass --force to replace what is there',
  BACKUP_INVALID: 'use another backup file; a backup restores into the same kind of database',
  INTERNAL: 'a bug or an environment problem (a missing program, an unreachable database): read the message',
  USAGE: 'run the command with --help for its usage and examples',
};

/** The hint line printed under an error. */
export function hintFor(code: string): string {
  const hint = hints[code] ?? 'see docs/errors.md for what this code means and what to do';
  return code === 'USAGE' ? `  hint: ${hint}` : `  hint: ${hint} (docs/errors.md#${code.toLowerCase()})`;
}

/** Prints an error with its stable code and a hint, and returns the exit code for it. */
export function reportError(error: unknown): number {
  if (error instanceof Failure) {
    warn(`${errorRed(`error ${error.code}`)}: ${error.detail}`);
    for (const fieldError of error.errors) warn(`  ${fieldError.path}: ${fieldError.message}`);
    warn(errorDim(hintFor(error.code)));
    return exitCodeOf[error.code];
  }
  const message = error instanceof Error ? error.message : String(error);
  warn(`${errorRed('error INTERNAL')}: ${message}`);
  warn(errorDim(hintFor('INTERNAL')));
  return exitCodeOf.INTERNAL;
}

/** Prints one of commander's own errors (an unknown option, a missing argument) as `error USAGE:`. */
export function reportUsageError(message: string): void {
  const text = message.trim().replace(/^error: /, '');
  warn(`${errorRed('error USAGE')}: ${text}`);
  warn(errorDim(hintFor('USAGE')));
}

/** Runs a command body, printing a failure with its code and setting the exit code. */
export function run<A extends unknown[]>(body: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

/** Reads standard input whole (for --password-stdin), without the trailing newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
