import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { say } from './output.ts';

/** What a command writes as a file: a stream, chunks as they are made, or a whole text. */
export type FileBody = Readable | AsyncIterable<string | Uint8Array> | string;

const streamOf = (body: FileBody): Readable | AsyncIterable<string | Uint8Array> =>
  typeof body === 'string' ? Readable.from([body]) : body;

/**
 * Writes `body` to `file` through a temporary file beside it, so that a failed write leaves no half
 * file and never replaces a good one; returns the bytes written.
 */
export async function writeToFile(body: FileBody, file: string): Promise<number> {
  const partial = `${file}.partial-${process.pid}`;
  const output = createWriteStream(partial, { flags: 'wx' });
  try {
    await pipeline(streamOf(body), output);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return output.bytesWritten;
}

/** Writes `body` to standard output, waiting whenever the reader (a pipe, a pager) is behind. */
export async function writeToStdout(body: FileBody): Promise<void> {
  await pipeline(streamOf(body), process.stdout, { end: false });
}

/** `body` to `--output FILE` (saying so, with its size and `what` it is) or to standard output. */
export async function emitFile(body: FileBody, output: string | undefined, what = ''): Promise<void> {
  if (output === undefined) await writeToStdout(body);
  else say(`wrote ${output} (${await writeToFile(body, output)} bytes${what ? `, ${what}` : ''})`);
}
