import { resolve } from 'node:path';
import type { Command } from 'commander';
import { verifyAuditChain } from '../../app/audit.ts';
import { systemActor } from '../../app/context.ts';
import { verifyLedger } from '../../app/ledger.ts';
import { Failure } from '../../core/errors.ts';
import {
  backupPostgres,
  backupSqlite,
  type PostgresTools,
  postgresTool,
  restorePostgres,
  restoreSqlite,
} from '../../store/backup.ts';
import { pendingMigrations } from '../../store/migrate.ts';
import { type Environment, openContext, readEnvironment } from '../environment.ts';
import { bold, dim, green, progress, run, say, sayJson } from '../output.ts';

type Location =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly url: string };

/** Where PURL_DATABASE_URL points: an SQLite file, or a PostgreSQL database. */
function locationOf(environment: Environment): Location {
  const url = environment.databaseUrl;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === ':memory:')
      throw new Failure('VALIDATION_FAILED', 'An in-memory database has nothing to back up.');
    return { dialect: 'sqlite', path: resolve(path) };
  }
  throw new Failure('VALIDATION_FAILED', 'PURL_DATABASE_URL must start with postgres:// or sqlite:.');
}

/** pg_dump and pg_restore, found once, with the environment they run in (PGSSLMODE and the like pass through). */
function postgresTools(): PostgresTools {
  const searchPath = process.env.PATH ?? '';
  return {
    pgDump: postgresTool('pg_dump', searchPath),
    pgRestore: postgresTool('pg_restore', searchPath),
    env: process.env,
  };
}

/** What a restored database must show before the restore counts as done. */
export interface RestoreCheck {
  readonly ok: boolean;
  readonly auditEvents: number;
  readonly checkpoints: number;
  readonly auditHead: string;
  readonly journalEntries: number;
  readonly postings: number;
  readonly pendingMigrations: readonly string[];
  readonly problems: readonly string[];
}

async function checkRestored(environment: Environment): Promise<RestoreCheck> {
  const context = await openContext(environment, { migrate: false });
  try {
    const audit = await verifyAuditChain(context, systemActor);
    const ledger = await verifyLedger(context, systemActor);
    const pending = await pendingMigrations(context.store.db);
    const problems: string[] = [];
    if (!audit.ok) problems.push(`audit chain: first bad sequence ${audit.firstBadSeq}: ${audit.reason}`);
    if (!ledger.ok)
      problems.push(
        `ledger: ${ledger.unbalancedEntries.length} unbalanced entries, ${ledger.mismatchedBalances.length} mismatched balances`,
      );
    return {
      ok: problems.length === 0,
      auditEvents: audit.length,
      checkpoints: audit.checkpoints,
      auditHead: audit.head,
      journalEntries: ledger.entries,
      postings: ledger.postings,
      pendingMigrations: pending,
      problems,
    };
  } finally {
    await context.store.close();
  }
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Write a consistent backup of the database to FILE, while the server may be running ' +
        '(SQLite: the online backup API; PostgreSQL: pg_dump --format=custom).',
    )
    .argument('<FILE>', 'the backup file to write; it must not exist yet')
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      `
Progress goes to standard error. Keep the audit key file (PURL_AUDIT_KEY_FILE) with the backup,
separately protected (docs/operations.md, "Backups").
Examples:
  $ purl backup backups/purl-$(date +%F).db
  $ PURL_DATABASE_URL=postgres://purl@db/purl purl backup backups/purl-$(date +%F).dump`,
    )
    .action(
      run(async (file: string, options: { json?: boolean }) => {
        const environment = readEnvironment();
        const location = locationOf(environment);
        progress(`backing up the ${location.dialect} database to ${file}`);
        const outcome =
          location.dialect === 'sqlite'
            ? await backupSqlite(location.path, file, progress)
            : await backupPostgres(location.url, file, postgresTools(), progress);
        if (options.json) sayJson({ file: outcome.file, bytes: outcome.bytes, dialect: location.dialect });
        else say(`${green('wrote')} ${outcome.file} (${outcome.bytes} bytes, ${location.dialect} backup)`);
      }),
    );

  program
    .command('restore')
    .description(
      'Restore a backup written by `purl backup` into the database, then verify the audit chain, ' +
        'the signed checkpoints and the ledger.',
    )
    .argument('<FILE>', 'the backup file')
    .option('--force', 'replace a database that holds data already (otherwise refused: DATABASE_NOT_EMPTY)')
    .option('--json', 'print the outcome and the verification as JSON')
    .addHelpText(
      'after',
      `
Stop the server first. Exits 0 when the restored database verifies, 3 (BACKUP_INVALID) when it
does not, 7 (DATABASE_NOT_EMPTY) when the target holds data and --force is not given.
Examples:
  $ PURL_DATABASE_URL=sqlite:./data/restored.db purl restore backups/purl-2026-11-26.db
  $ createdb purl_restored && PURL_DATABASE_URL=postgres://purl@db/purl_restored purl restore purl.dump`,
    )
    .action(
      run(async (file: string, options: { force?: boolean; json?: boolean }) => {
        const environment = readEnvironment();
        const location = locationOf(environment);
        const force = options.force === true;
        progress(`restoring ${file} into the ${location.dialect} database`);
        if (location.dialect === 'sqlite') await restoreSqlite(file, location.path, { force }, progress);
        else await restorePostgres(file, location.url, { force }, postgresTools(), progress);
        progress('verifying the audit chain, the signed checkpoints and the ledger');
        const check = await checkRestored(environment);
        if (options.json) sayJson({ file, dialect: location.dialect, ...check });
        if (!check.ok) {
          throw new Failure(
            'BACKUP_INVALID',
            `The restored database does not verify: ${check.problems.join('; ')}.`,
          );
        }
        if (!options.json) {
          say(`${green('restored')} ${file} ${dim(`(${location.dialect})`)}`);
          say(
            `${bold('verified')}: ${check.auditEvents} audit events, ${check.checkpoints} signed checkpoints, ` +
              `head ${check.auditHead}; ${check.journalEntries} journal entries, ${check.postings} postings balance`,
          );
          if (check.pendingMigrations.length)
            say(`the backup predates ${check.pendingMigrations.length} migrations: run \`purl migrate\``);
        }
      }),
    );
}
