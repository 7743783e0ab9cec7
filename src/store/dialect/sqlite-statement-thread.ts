import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * One read-only SQL statement of an SQLite file, prepared and run on a thread of its own, with its
 * own connection: a long read (audit verification reads the whole chain) then runs while this thread
 * does something else with the rows already read (hashes them), on another core. The connection
 * reads what is committed, in WAL mode without blocking or being blocked by the writers.
 *
 * The thread's code is plain JavaScript handed to the Worker as text: the application's sources run
 * through tsx, which a worker thread would not inherit.
 */
const threadCode = `
const { parentPort, workerData } = require('node:worker_threads');
const failure = (error, during) => ({ message: String(error && error.message), code: error && error.code, during });
let db;
let statement;
let openFailure;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('query_only = ON');
  db.pragma('busy_timeout = 5000');
  statement = db.prepare(workerData.sql);
} catch (error) {
  openFailure = failure(error, 'open');
}
parentPort.on('message', (parameters) => {
  if (parameters === null) {
    if (db) db.close();
    parentPort.close();
    return;
  }
  if (openFailure) {
    parentPort.postMessage({ error: openFailure });
    return;
  }
  try {
    const row = statement.get(...parameters);
    const transfer = [];
    for (const value of Object.values(row ?? {})) {
      // A blob of its own memory moves to the caller without a copy.
      if (value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength)
        transfer.push(value.buffer);
    }
    parentPort.postMessage({ row }, transfer);
  } catch (error) {
    parentPort.postMessage({ error: failure(error, 'run') });
  }
});
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * A failure on the thread, with SQLite's code (`SQLITE_ERROR`, `SQLITE_CANTOPEN`, …): while opening
 * the file and preparing the statement, or while running it for one call.
 */
export class SqliteThreadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly during: 'open' | 'run',
  ) {
    super(message);
    this.name = 'SqliteThreadError';
  }
}

type Answer<Row> =
  | { readonly row: Row | undefined }
  | { readonly error: { message: string; code?: string; during: 'open' | 'run' } };

export class SqliteStatementThread<Row> {
  private readonly worker: Worker;
  private readonly waiting: {
    resolve: (row: Row | undefined) => void;
    reject: (error: Error) => void;
  }[] = [];
  private failure: Error | undefined;

  /** `file` must exist; `sql` is one statement, run with `get` (its first row). */
  constructor(file: string, sql: string) {
    this.worker = new Worker(threadCode, {
      eval: true,
      workerData: { driver, file, sql },
    });
    this.worker.on('message', (answer: Answer<Row>) => {
      const call = this.waiting.shift();
      if (!call) return;
      if ('error' in answer)
        call.reject(new SqliteThreadError(answer.error.message, answer.error.code, answer.error.during));
      else call.resolve(answer.row);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const call of this.waiting.splice(0)) call.reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the SQLite reader thread ended (exit code ${code})`)));
  }

  /** The statement's first row for these parameters; calls are answered in the order they are made. */
  get(...parameters: readonly unknown[]): Promise<Row | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(parameters);
    });
  }

  /** Closes the connection and ends the thread (after the calls already made are answered). */
  async close(): Promise<void> {
    if (this.failure) return;
    this.failure = new Error('the SQLite reader thread is closed');
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage(null);
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
