import { Failure } from '../core/errors.ts';
import { exitCodeOf } from './exit-codes.ts';

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint(1);
export const red = paint(31);
export const green = paint(32);
export const dim = paint(2);

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

/** Prints an error with its stable code and a hint, and returns the exit code for it. */
export function reportError(error: unknown): number {
  if (error instanceof Failure) {
    warn(`${red(`error ${error.code}`)}: ${error.detail}`);
    for (const fieldError of error.errors) warn(`  ${fieldError.path}: ${fieldError.message}`);
    warn(dim('  see docs/errors.md for what each code means'));
    return exitCodeOf[error.code];
  }
  const message = error instanceof Error ? error.message : String(error);
  warn(`${red('error INTERNAL')}: ${message}`);
  return exitCodeOf.INTERNAL;
}

/** Reads standard input whole (for --password-stdin), without the trailing newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
