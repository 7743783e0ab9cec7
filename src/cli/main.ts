import { Command, InvalidArgumentError, Option } from 'commander';
import { demoData } from '../../demo/demo-data.ts';
import { verifyAuditChain } from '../app/audit.ts';
import { systemActor } from '../app/context.ts';
import { addOrganization, addUser } from '../app/directory.ts';
import { exportLedger, ledgerExportFormats } from '../app/ledger.ts';
import { loadDemo } from '../app/load-demo.ts';
import { organizationKinds, Roles, roles } from '../core/access/roles.ts';
import { Failure } from '../core/errors.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerImportExportCommands } from './commands/import-export.ts';
import { registerReportCommands } from './commands/report.ts';
import { registerUserUnlockCommand } from './commands/user-unlock.ts';
import { openContext, readEnvironment } from './environment.ts';
import { emitFile } from './file-output.ts';
import { ensureExamples } from './help.ts';
import {
  bold,
  dim,
  green,
  readStdin,
  red,
  reportError,
  reportUsageError,
  run,
  say,
  sayJson,
} from './output.ts';
import { verifyReceiptFile } from './receipt-check.ts';

/** `--port`: a whole number from 0 (any free port) to 65535; anything else is a usage error. */
function portNumber(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  }
  return Number(value);
}

const program = new Command('purl')
  .description(
    'PURL Desk: the coordination and transparency ledger of the Prioritised Ukraine Requirements List.',
  )
  .version('0.1.0')
  // Commander's own errors (usage errors) print as `error USAGE: …` with a hint, like every other error.
  .configureOutput({ outputError: (message) => reportUsageError(message) })
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

Exit codes: 0 success, 1 unexpected error, 2 usage error, 3-8 by error code, 9 audit chain or receipt broken (docs/cli.md).
Errors print as \`error CODE: message\` on standard error, with a hint; colour only on a terminal (NO_COLOR=1 turns it off).

Examples:
  $ purl serve --demo
  $ purl report summary
  $ purl <command> --help`,
  );

program
  .command('serve')
  .description('Serve the web app and the API; migrates an empty database first.')
  .option('--demo', 'load the demo data set when the database is empty (what npm start does)')
  .option(
    '--port <port>',
    'port to listen on (overrides PURL_PORT); 0 for any free port, named in the line printed',
    portNumber,
  )
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
    run(async (options: { demo?: boolean; port?: number; host?: string; logLevel: string }) => {
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
      const port = options.port ?? environment.port;
      const host = options.host ?? environment.host;
      // The server is loaded only for serve: every other command starts faster without it.
      const { serve } = await import('../server/main.ts');
      const app = await serve({ context, host, port, logLevel: options.logLevel });
      // The port bound, which --port 0 leaves to the system: scripts and tests read it from this line.
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      say(
        `${bold('PURL Desk')} is serving on http://${host}:${bound}/  ${dim(`(API reference: http://${host}:${bound}/api/docs)`)}`,
      );
    }),
  );

program
  .command('migrate')
  .description('Apply every pending database migration, then exit.')
  .option('--json', 'print the migrations applied as JSON')
  .addHelpText(
    'after',
    '\nExamples:\n  $ PURL_DATABASE_URL=postgres://purl@localhost/purl purl migrate\n  $ purl migrate --json',
  )
  .action(
    run(async (options: { json?: boolean }) => {
      const context = await openContext(readEnvironment(), { migrate: false });
      const outcome = await migrateToLatest(context.store.db);
      if (options.json) sayJson({ applied: outcome.applied });
      else
        say(outcome.applied.length ? `applied: ${outcome.applied.join(', ')}` : 'the database is up to date');
      await context.store.close();
    }),
  );

const org = program
  .command('org')
  .description('Manage organisations.')
  .addHelpText('after', '\nExamples:\n  $ purl org add --code GBR --name "United Kingdom" --kind donor');
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
  .option('--json', 'print the organisation added as JSON')
  .addHelpText(
    'after',
    '\nExamples:\n  $ purl org add --code GBR --name "United Kingdom" --kind donor\n  $ purl org add --code NATO --name NATO --kind coordinator --json',
  )
  .action(
    run(
      async (options: {
        code: string;
        name: string;
        kind: (typeof organizationKinds)[number];
        json?: boolean;
      }) => {
        const context = await openContext(readEnvironment(), { migrate: true });
        const organization = await addOrganization(context, systemActor, {
          code: options.code,
          name: options.name,
          kind: options.kind,
        });
        if (options.json) sayJson(organization);
        else say(`added organisation ${organization.code} (${organization.kind}) ${dim(organization.id)}`);
        await context.store.close();
      },
    ),
  );

const user = program
  .command('user')
  .description('Manage users.')
  .addHelpText(
    'after',
    '\nExamples:\n  $ printf %s "$PASSWORD" | purl user add --email ana@mod.gov.ua --org UKR --role recipient --password-stdin',
  );
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
  .option('--json', 'print the user added as JSON (never the password)')
  .addHelpText(
    'after',
    '\nExamples:\n  $ printf %s "$PASSWORD" | purl user add --email ana@mod.gov.ua --org UKR --role recipient --password-stdin\n  $ purl user add --email audit@nato.int --org NATO --role auditor --password-stdin --json < password.txt',
  )
  .action(
    run(
      async (options: {
        email: string;
        org: string;
        role: (typeof roles)[number];
        name?: string;
        passwordStdin?: boolean;
        json?: boolean;
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
        if (options.json)
          sayJson({
            id: added.id,
            email: added.email,
            role: added.role,
            organizationCode: added.organizationCode,
          });
        else say(`added user ${added.email} (${added.role} of ${added.organizationCode}) ${dim(added.id)}`);
        await context.store.close();
      },
    ),
  );

registerUserUnlockCommand(user);

const exportCommand = program
  .command('export')
  .description('Export data for independent tools.')
  .addHelpText(
    'after',
    '\nExamples:\n  $ purl export ledger --format hledger --output purl.journal\n  $ purl export ledger --format beancount --output purl.beancount',
  );
exportCommand
  .command('ledger')
  .description(
    'Write the whole funding ledger as a plain-text journal that hledger or Beancount reads, to standard output or a file.',
  )
  .requiredOption('--format <format>', `the journal format: ${ledgerExportFormats.join(', ')}`)
  .option('--output <FILE>', 'write to FILE instead of standard output')
  .addHelpText(
    'after',
    `
The journal balances to the same figures as GET /api/v1/ledger/accounts (docs/ledger.md).
Examples:
  $ purl export ledger --format hledger --output purl.journal && hledger -f purl.journal balance
  $ purl export ledger --format hledger | hledger -f - balance pledges
  $ purl export ledger --format beancount --output purl.beancount && bean-check purl.beancount`,
  )
  .action(
    run(async (options: { format: string; output?: string }) => {
      const context = await openContext(readEnvironment(), { migrate: false });
      try {
        const exported = exportLedger(context, systemActor, options.format);
        await emitFile(exported, options.output, `${exported.format} journal`);
      } finally {
        await context.store.close();
      }
    }),
  );

const demo = program
  .command('demo')
  .description('The demo data set.')
  .addHelpText('after', '\nExamples:\n  $ PURL_DATABASE_URL=sqlite:./data/demo.db purl demo load');
demo
  .command('load')
  .description(
    'Load the demo data set (organisations, users, taxonomy, requirements) into an empty database.',
  )
  .addHelpText(
    'after',
    "\nThe users' passwords are generated and printed once.\nExamples:\n  $ PURL_DATABASE_URL=sqlite:./data/demo.db purl demo load\n  $ purl demo load --json > demo-accounts.json && chmod 600 demo-accounts.json",
  )
  .option('--json', 'print the accounts (with their one-time passwords) as JSON')
  .action(
    run(async (options: { json?: boolean }) => {
      const context = await openContext(readEnvironment(), { migrate: true });
      const outcome = await loadDemo(context, demoData, { onlyIfEmpty: false });
      if (options.json) {
        sayJson({ accounts: outcome.accounts });
        await context.store.close();
        return;
      }
      say(bold('Demo data loaded. Accounts (passwords are shown this once):'));
      for (const account of outcome.accounts)
        say(`  ${account.role.padEnd(12)} ${account.email.padEnd(34)} ${account.password}`);
      await context.store.close();
    }),
  );

const auditCommand = program
  .command('audit')
  .description('The tamper-evident audit chain.')
  .addHelpText('after', '\nExamples:\n  $ purl audit verify\n  $ purl audit verify --json');
auditCommand
  .command('verify')
  .description(
    'Recompute the whole audit chain from the database and compare it with the recorded head; or, with --receipt, check one receipt offline.',
  )
  .option('--json', 'print the verdict as JSON')
  .option('--receipt <FILE>', 'check this receipt (GET /api/v1/pledges/{id}/receipts) without any database')
  .option(
    '--public-key <FILE>',
    'with --receipt: the PEM public key to verify with (from GET /api/v1/audit/head)',
  )
  .option('--head-url <URL>', 'with --receipt: fetch the public key from this server’s /api/v1/audit/head')
  .addHelpText(
    'after',
    `
Exits 0 when the chain (or the receipt) verifies, 9 when it does not (what is wrong is printed).
Examples:
  $ purl audit verify
  $ purl audit verify --receipt P-17-receipt.json --public-key purl-audit-key.pem
  $ purl audit verify --receipt P-17-receipt.json --head-url https://purl.example.org`,
  )
  .action(
    run(async (options: { json?: boolean; receipt?: string; publicKey?: string; headUrl?: string }) => {
      if (options.receipt !== undefined) {
        process.exitCode = await verifyReceiptFile(options.receipt, options);
        return;
      }
      if (options.publicKey !== undefined || options.headUrl !== undefined)
        throw new Failure('VALIDATION_FAILED', '--public-key and --head-url go with --receipt.');
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

registerImportExportCommands(program);
registerReportCommands(program);
registerBackupCommands(program);

ensureExamples(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
