import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { demoData } from '../../demo/demo-data.ts';
import { verifyAuditChain } from '../app/audit.ts';
import { systemActor } from '../app/context.ts';
import { addOrganization, addUser } from '../app/directory.ts';
import { exportLedger, type LedgerExport, ledgerExportFormats } from '../app/ledger.ts';
import { loadDemo } from '../app/load-demo.ts';
import { organizationKinds, Roles, roles } from '../core/access/roles.ts';
import { Failure } from '../core/errors.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openContext, readEnvironment } from './environment.ts';
import { bold, dim, green, readStdin, red, reportError, say } from './output.ts';

const program = new Command('purl')
  .description(
    'PURL Desk: the coordination and transparency ledger of the Prioritised Ukraine Requirements List.',
  )
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  // Commander exits 1 on its own errors; 1 is INTERNAL here, so a usage error exits 2 as documented.
  // Set before the subcommands are added: they inherit it.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .addHelpText(
    'after',
    `
Configuration (environment):
  PURL_DATABASE_URL  postgres://user:pass@host/db, or sqlite:PATH (default sqlite:./data/purl.db)
  PURL_HOST          address to listen on (default 127.0.0.1)
  PURL_PORT          port to listen on (default 8080)
  PURL_AUDIT_KEY_FILE  Ed25519 key that signs audit checkpoints (default ./data/audit-signing-key.pem)

Exit codes: 0 success, 1 unexpected error, 2 usage error, 3-8 by error code, 9 audit chain broken (docs/errors.md).`,
  );

/** Runs a command body, printing a failure with its code and setting the exit code. */
function run<A extends unknown[]>(body: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

program
  .command('serve')
  .description('Serve the web app and the API; migrates an empty database first.')
  .option('--demo', 'load the demo data set when the database is empty (what npm start does)')
  .option('--port <port>', 'port to listen on (overrides PURL_PORT)')
  .option('--host <host>', 'address to listen on (overrides PURL_HOST)')
  .addOption(
    new Option('--log-level <level>', 'log level')
      .choices(['fatal', 'error', 'warn', 'info', 'debug'])
      .default('info'),
  )
  .addHelpText(
    'after',
    '\nExamples:\n  $ purl serve --demo\n  $ PURL_DATABASE_URL=postgres://purl@localhost/purl purl serve --port 9000',
  )
  .action(
    run(async (options: { demo?: boolean; port?: string; host?: string; logLevel: string }) => {
      const environment = readEnvironment();
      const context = await openContext(environment, { migrate: true });
      if (options.demo) {
        const outcome = await loadDemo(context, demoData, { onlyIfEmpty: true });
        if (outcome.loaded) {
          say(bold('Demo data loaded. Log in with these accounts (passwords are shown this once):'));
          for (const account of outcome.accounts)
            say(`  ${account.role.padEnd(12)} ${account.email.padEnd(34)} ${account.password}`);
        }
      }
      const port = options.port ? Number.parseInt(options.port, 10) : environment.port;
      const host = options.host ?? environment.host;
      // The server is loaded only for serve: every other command starts faster without it.
      const { serve } = await import('../server/main.ts');
      await serve({ context, host, port, logLevel: options.logLevel });
      say(
        `${bold('PURL Desk')} is serving on http://${host}:${port}/  ${dim(`(API reference: http://${host}:${port}/api/docs)`)}`,
      );
    }),
  );

program
  .command('migrate')
  .description('Apply every pending database migration, then exit.')
  .addHelpText('after', '\nExample:\n  $ PURL_DATABASE_URL=postgres://purl@localhost/purl purl migrate')
  .action(
    run(async () => {
      const context = await openContext(readEnvironment(), { migrate: false });
      const outcome = await migrateToLatest(context.store.db);
      say(outcome.applied.length ? `applied: ${outcome.applied.join(', ')}` : 'the database is up to date');
      await context.store.close();
    }),
  );

const org = program.command('org').description('Manage organisations.');
org
  .command('add')
  .description('Add an organisation.')
  .requiredOption('--code <CODE>', 'short code, e.g. GBR, NATO, UKR, USA')
  .requiredOption('--name <NAME>', 'full name')
  .addOption(
    new Option('--kind <kind>', 'what the organisation does in PURL')
      .choices(organizationKinds)
      .makeOptionMandatory(),
  )
  .addHelpText('after', '\nExample:\n  $ purl org add --code GBR --name "United Kingdom" --kind donor')
  .action(
    run(async (options: { code: string; name: string; kind: (typeof organizationKinds)[number] }) => {
      const context = await openContext(readEnvironment(), { migrate: true });
      const organization = await addOrganization(context, systemActor, options);
      say(`added organisation ${organization.code} (${organization.kind}) ${dim(organization.id)}`);
      await context.store.close();
    }),
  );

const user = program.command('user').description('Manage users.');
user
  .command('add')
  .description('Add a user with one role; the password is read from standard input.')
  .requiredOption('--email <E>', 'login email')
  .requiredOption('--org <CODE>', 'organisation code')
  .addOption(
    new Option('--role <ROLE>', 'the role; it must fit the organisation kind')
      .choices(roles)
      .makeOptionMandatory(),
  )
  .option('--name <NAME>', 'display name')
  .option('--password-stdin', 'read the password from standard input (required: never on the command line)')
  .addHelpText(
    'after',
    '\nExample:\n  $ printf %s "$PASSWORD" | purl user add --email ana@mod.gov.ua --org UKR --role recipient --password-stdin',
  )
  .action(
    run(
      async (options: {
        email: string;
        org: string;
        role: (typeof roles)[number];
        name?: string;
        passwordStdin?: boolean;
      }) => {
        if (!options.passwordStdin)
          throw new Failure('VALIDATION_FAILED', 'Pass --password-stdin and pipe the password in.');
        if (!Roles.isRole(options.role))
          throw new Failure('VALIDATION_FAILED', `unknown role '${options.role}'`);
        const password = await readStdin();
        const context = await openContext(readEnvironment(), { migrate: true });
        const added = await addUser(context, systemActor, {
          email: options.email,
          organizationCode: options.org,
          role: options.role,
          password,
          ...(options.name ? { displayName: options.name } : {}),
        });
        say(`added user ${added.email} (${added.role} of ${added.organizationCode}) ${dim(added.id)}`);
        await context.store.close();
      },
    ),
  );

/** Writes the chunks to standard output, waiting whenever the reader (a pipe, a pager) is behind. */
async function writeToStdout(chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
}

/** Writes the chunks to `file` through a temporary file beside it: a failed export leaves no half file. */
async function writeToFile(chunks: LedgerExport, file: string): Promise<number> {
  const partial = `${file}.partial-${process.pid}`;
  const output = createWriteStream(partial, { flags: 'wx' });
  try {
    await pipeline(Readable.from(chunks), output);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return output.bytesWritten;
}

const exportCommand = program.command('export').description('Export data for independent tools.');
exportCommand
  .command('ledger')
  .description(
    'Write the whole funding ledger as a plain-text journal that hledger reads, to standard output or a file.',
  )
  .requiredOption('--format <format>', `the journal format: ${ledgerExportFormats.join(', ')}`)
  .option('--output <FILE>', 'write to FILE instead of standard output')
  .addHelpText(
    'after',
    `
The journal balances to the same figures as GET /api/v1/ledger/accounts (docs/ledger.md).
Examples:
  $ purl export ledger --format hledger --output purl.journal && hledger -f purl.journal balance
  $ purl export ledger --format hledger | hledger -f - balance pledges`,
  )
  .action(
    run(async (options: { format: string; output?: string }) => {
      const context = await openContext(readEnvironment(), { migrate: false });
      try {
        const exported = exportLedger(context, systemActor, options.format);
        if (options.output === undefined) await writeToStdout(exported);
        else {
          const bytes = await writeToFile(exported, options.output);
          say(`wrote ${options.output} (${bytes} bytes, ${exported.format} journal)`);
        }
      } finally {
        await context.store.close();
      }
    }),
  );

const demo = program.command('demo').description('The demo data set.');
demo
  .command('load')
  .description(
    'Load the demo data set (organisations, users, taxonomy, requirements) into an empty database.',
  )
  .addHelpText(
    'after',
    "\nThe users' passwords are generated and printed once.\nExample:\n  $ PURL_DATABASE_URL=sqlite:./data/demo.db purl demo load",
  )
  .action(
    run(async () => {
      const context = await openContext(readEnvironment(), { migrate: true });
      const outcome = await loadDemo(context, demoData, { onlyIfEmpty: false });
      say(bold('Demo data loaded. Accounts (passwords are shown this once):'));
      for (const account of outcome.accounts)
        say(`  ${account.role.padEnd(12)} ${account.email.padEnd(34)} ${account.password}`);
      await context.store.close();
    }),
  );

const auditCommand = program.command('audit').description('The tamper-evident audit chain.');
auditCommand
  .command('verify')
  .description('Recompute the whole audit chain from the database and compare it with the recorded head.')
  .option('--json', 'print the verdict as JSON')
  .addHelpText(
    'after',
    '\nExits 0 when the chain verifies, 9 when it does not (the first bad sequence number is printed).\nExample:\n  $ purl audit verify',
  )
  .action(
    run(async (options: { json?: boolean }) => {
      const context = await openContext(readEnvironment(), { migrate: false });
      const verdict = await verifyAuditChain(context, systemActor);
      await context.store.close();
      if (options.json) say(JSON.stringify(verdict));
      else if (verdict.ok)
        say(
          `${green('ok')}: ${verdict.length} events, ${verdict.checkpoints} signed checkpoints, head ${verdict.head}`,
        );
      else
        say(
          `${red('TAMPERED')}: first bad sequence ${verdict.firstBadSeq}: ${verdict.reason}` +
            ` (${verdict.length} events and ${verdict.checkpoints} checkpoints read)`,
        );
      if (!verdict.ok) process.exitCode = 9;
    }),
  );

await program.parseAsync(process.argv);
