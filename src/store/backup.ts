import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Failure } from '../core/errors.ts';

/**
 * Backups of the two databases, each with the database's own consistent mechanism: SQLite's online
 * backup API (a page-by-page copy that restarts when another connection writes, so it is consistent
 * while the server runs), and PostgreSQL's `pg_dump --format=custom` / `pg_restore` (one snapshot).
 * A backup is written beside its final name and renamed when whole: a failed backup leaves no file.
 */

/** Where progress lines go (standard error in `purl`). */
export type Progress = (line: string) => void;

export interface BackupOutcome {
  readonly file: string;
  readonly bytes: number;
}

/** The name of the migration table: a database without it is not PURL Desk's. */
const migrationTable = 'purl_migration';
const pagesPerStep = 256;

function partialName(file: string): string {
  return `${file}.partial-${process.pid}`;
}

function refuseExisting(file: string): void {
  if (existsSync(file)) {
    throw new Failure('VALIDATION_FAILED', `'${file}' exists already; a backup never overwrites a file.`, [
      { path: 'FILE', message: 'choose a new file name' },
    ]);
  }
}

function publish(partial: string, file: string): BackupOutcome {
  renameSync(partial, file);
  return { file, bytes: statSync(file).size };
}

/** Whether an SQLite file holds any table of its own (a new, empty file holds none). */
function sqliteHasTables(path: string): boolean {
  if (!existsSync(path) || statSync(path).size === 0) return false;
  const db = new SqliteDatabase(path, { fileMustExist: true, readonly: true });
  try {
    const row = db
      .prepare(
        "select count(*) as tables from sqlite_master where type = 'table' and name not like 'sqlite_%'",
      )
      .pluck()
      .get() as number;
    return row > 0;
  } finally {
    db.close();
  }
}

/** Checks that an SQLite file is whole and is a PURL Desk database; throws BACKUP_INVALID if not. */
function checkSqliteBackup(path: string): void {
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(path, { fileMustExist: true, readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Failure('BACKUP_INVALID', `'${path}' fails SQLite's integrity check.`);
    const migrations = db
      .prepare("select count(*) from sqlite_master where type = 'table' and name = ?")
      .pluck()
      .get(migrationTable) as number;
    if (migrations !== 1) throw new Failure('BACKUP_INVALID', `'${path}' is not a PURL Desk database.`);
  } catch (error) {
    if (error instanceof Failure) throw error;
    throw new Failure('BACKUP_INVALID', `'${path}' is not an SQLite database (${(error as Error).message}).`);
  } finally {
    db?.close();
  }
}

function percent(totalPages: number, remainingPages: number): string {
  if (totalPages <= 0) return '100%';
  return `${Math.floor(((totalPages - remainingPages) * 100) / totalPages)}%`;
}

/**
 * Copies the SQLite database at `source` into `file` with the SQLite backup API, while the server
 * may be writing to it. The copy is then switched to a rollback journal, so that the backup is one
 * self-contained file, and checked.
 */
export async function backupSqlite(source: string, file: string, progress: Progress): Promise<BackupOutcome> {
  refuseExisting(file);
  if (!existsSync(source)) throw new Failure('NOT_FOUND', `There is no SQLite database at '${source}'.`);
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = partialName(file);
  const db = new SqliteDatabase(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    let reported = '';
    await db.backup(partial, {
      progress({ totalPages, remainingPages }) {
        const done = percent(totalPages, remainingPages);
        if (done !== reported) progress(`copied ${done} of ${totalPages} pages`);
        reported = done;
        return pagesPerStep;
      },
    });
    const copy = new SqliteDatabase(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    checkSqliteBackup(partial);
    return publish(partial, file);
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${partial}${suffix}`, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Restores an SQLite backup into `target` with the backup API (the target's pages are replaced in
 * one go, under its lock). Refuses a target that holds tables unless `force` is set.
 */
export async function restoreSqlite(
  file: string,
  target: string,
  options: { force: boolean },
  progress: Progress,
): Promise<void> {
  if (!existsSync(file)) throw new Failure('NOT_FOUND', `There is no backup file '${file}'.`);
  checkSqliteBackup(file);
  if (!options.force && sqliteHasTables(target)) {
    throw new Failure(
      'DATABASE_NOT_EMPTY',
      `The database at '${target}' holds tables already; restore into a new file, or pass --force to replace it.`,
    );
  }
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const backup = new SqliteDatabase(file, { fileMustExist: true, readonly: true });
  try {
    let reported = '';
    await backup.backup(target, {
      progress({ totalPages, remainingPages }) {
        const done = percent(totalPages, remainingPages);
        if (done !== reported) progress(`restored ${done} of ${totalPages} pages`);
        reported = done;
        return pagesPerStep;
      },
    });
  } finally {
    backup.close();
  }
}

/**
 * The PostgreSQL client programs and the environment they run in, both from the shell (the CLI reads
 * the environment; nothing below it does).
 */
export interface PostgresTools {
  readonly pgDump: string;
  readonly pgRestore: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The PostgreSQL client program `name`: from the newest /usr/lib/postgresql/<version>/bin first
 * (Debian's versioned binaries, which need no cluster), else from the folders of `searchPath`.
 */
export function postgresTool(name: 'pg_dump' | 'pg_restore', searchPath: string): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((version) => /^\d+$/.test(version))
      .sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10));
    for (const version of versions) {
      const candidate = join(debian, version, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  for (const folder of searchPath.split(delimiter)) {
    const candidate = join(folder, name);
    if (folder && existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${name} was not found in /usr/lib/postgresql/*/bin nor on PATH; install postgresql-client.`,
  );
}

/**
 * The URL without its password, and the environment that carries the password instead: a password
 * on a command line is visible to every user of the machine (`ps`).
 */
function connectionOf(url: string, env: NodeJS.ProcessEnv): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), env: password ? { ...env, PGPASSWORD: password } : env };
}

/** Runs a client program; its standard error goes line by line to `onLine`, and is kept for a failure. */
function runTool(
  program: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending) onLine(pending);
      resolvePromise({ code, stderr, stdout });
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' / ');
}

/** Dumps the PostgreSQL database at `url` into `file` with `pg_dump --format=custom` (one snapshot). */
export async function backupPostgres(
  url: string,
  file: string,
  tools: PostgresTools,
  progress: Progress,
): Promise<BackupOutcome> {
  refuseExisting(file);
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = partialName(file);
  const connection = connectionOf(url, tools.env);
  const outcome = await runTool(
    tools.pgDump,
    ['--format=custom', '--verbose', '--no-owner', '--file', partial, '--dbname', connection.url],
    connection.env,
    (line) => {
      const table = /dumping contents of table "?([^"\s]+)"?/.exec(line)?.[1];
      if (table) progress(`dumping ${table}`);
    },
  );
  if (outcome.code !== 0) {
    rmSync(partial, { force: true });
    throw new Error(`pg_dump failed (exit ${outcome.code}): ${lastLines(outcome.stderr)}`);
  }
  await checkPostgresBackup(partial, tools.pgRestore, connection.env);
  return publish(partial, file);
}

/** Checks that `pg_restore` can read the file's table of contents and that it holds PURL Desk's tables. */
async function checkPostgresBackup(file: string, pgRestore: string, env: NodeJS.ProcessEnv): Promise<void> {
  const listed = await runTool(pgRestore, ['--list', file], env, () => {});
  if (listed.code !== 0 || !new RegExp(`TABLE \\S+ ${migrationTable}\\b`).test(listed.stdout)) {
    throw new Failure(
      'BACKUP_INVALID',
      `'${file}' is not a PURL Desk backup that pg_restore can read${listed.code === 0 ? '' : `: ${lastLines(listed.stderr)}`}.`,
    );
  }
}

/** Whether the PostgreSQL database holds any table outside the system schemas. */
async function postgresHasTables(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ tables: string }>(
      "select count(*) as tables from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
    );
    return result.rows[0]?.tables !== '0';
  } finally {
    await client.end();
  }
}

/**
 * Restores a `pg_dump --format=custom` file into the database at `url`, in one transaction (a failed
 * restore leaves nothing behind). Refuses a database that holds tables unless `force` is set; then
 * the dump's objects are dropped and recreated (`--clean --if-exists`).
 */
export async function restorePostgres(
  file: string,
  url: string,
  options: { force: boolean },
  tools: PostgresTools,
  progress: Progress,
): Promise<void> {
  if (!existsSync(file)) throw new Failure('NOT_FOUND', `There is no backup file '${file}'.`);
  const connection = connectionOf(url, tools.env);
  await checkPostgresBackup(file, tools.pgRestore, connection.env);
  if (!options.force && (await postgresHasTables(url))) {
    throw new Failure(
      'DATABASE_NOT_EMPTY',
      'The database holds tables already; restore into a new database (createdb), or pass --force to replace them.',
    );
  }
  const outcome = await runTool(
    tools.pgRestore,
    [
      '--verbose',
      '--no-owner',
      '--exit-on-error',
      '--single-transaction',
      ...(options.force ? ['--clean', '--if-exists'] : []),
      '--dbname',
      connection.url,
      file,
    ],
    connection.env,
    (line) => {
      const table = /processing data for table "?([^"\s]+)"?/.exec(line)?.[1];
      if (table) progress(`restoring ${table}`);
    },
  );
  if (outcome.code !== 0) {
    throw new Error(`pg_restore failed (exit ${outcome.code}): ${lastLines(outcome.stderr)}`);
  }
}
