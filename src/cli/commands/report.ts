import type { Readable } from 'node:stream';
import { type Command, Option } from 'commander';
import { systemActor } from '../../app/context.ts';
import {
  donorsReport,
  type OperatorReport,
  packagesReport,
  pledgesReport,
} from '../../app/operator-reports.ts';
import { publicSummary } from '../../app/public-summary.ts';
import { Failure } from '../../core/errors.ts';
import type { ReportTable } from '../../core/reports/report-table.ts';
import { summaryTableNames, summaryTables, tableCsv, tablesXlsx } from '../../server/report-export.ts';
import { presentPublicSummary } from '../../server/routes/public.routes.ts';
import { openContext, readEnvironment } from '../environment.ts';
import { emitFile } from '../file-output.ts';
import { bold, dim, jsonDocument, run, say } from '../output.ts';
import { renderTable } from '../table.ts';

const reportFormats = ['table', 'csv', 'json', 'xlsx'] as const;
type ReportFormat = (typeof reportFormats)[number];

interface ReportOptions {
  readonly format: ReportFormat;
  readonly json?: boolean;
  readonly table?: string;
  readonly output?: string;
}

function formatOf(options: ReportOptions): ReportFormat {
  return options.json ? 'json' : options.format;
}

function formatOption(): Option {
  return new Option(
    '--format <format>',
    'table for a person, csv or json for a program, xlsx for a spreadsheet',
  )
    .choices(reportFormats)
    .default('table');
}

const outputOption = () =>
  new Option(
    '--output <FILE>',
    'write csv, json or xlsx to FILE instead of standard output (xlsx: required at a terminal)',
  );

/** Refuses what cannot work before the database is opened: a terminal table to a file, a workbook to a terminal. */
function checkOutput(format: ReportFormat, options: ReportOptions): void {
  if (format === 'table' && options.output !== undefined)
    throw new Failure(
      'VALIDATION_FAILED',
      'A table is for the terminal: pass --format csv, json or xlsx with --output.',
    );
  if (format === 'xlsx' && options.output === undefined && process.stdout.isTTY)
    throw new Failure('VALIDATION_FAILED', 'An xlsx report is binary: pass --output FILE.');
}

/** The tables as the chosen file format: csv of the first table, xlsx with one sheet per table. */
async function fileOf(tables: readonly ReportTable[], format: 'csv' | 'xlsx'): Promise<Readable | string> {
  if (format === 'xlsx') return tablesXlsx(tables);
  const [table] = tables;
  return table ? tableCsv(table) : '';
}

function printTables(tables: readonly ReportTable[]): void {
  tables.forEach((table, index) => {
    if (index > 0) say('');
    for (const line of renderTable(table, bold)) say(line);
  });
}

/** An operator report: the database's whole content, not the public view (docs/cli.md). */
function operatorCommand(
  parent: Command,
  name: string,
  description: string,
  compute: typeof pledgesReport,
  example: string,
): void {
  parent
    .command(name)
    .description(description)
    .addOption(formatOption())
    .option('--json', 'the same as --format json')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Runs with operator rights on the database: restricted pledges and undisclosed amounts are included.
Never publish this output; the public figures are \`purl report summary\`.
Examples:
  $ purl report ${name}
  $ purl report ${name} --format csv > ${name}.csv
  $ purl report ${name} --format xlsx --output ${name}.xlsx
  ${example}`,
    )
    .action(
      run(async (options: ReportOptions) => {
        const format = formatOf(options);
        checkOutput(format, options);
        const context = await openContext(readEnvironment(), { migrate: false });
        let report: OperatorReport;
        try {
          report = await compute(context, systemActor);
        } finally {
          await context.store.close();
        }
        const document = { report: name, asOf: report.asOf, items: report.table.rows };
        if (format === 'json') await emitFile(jsonDocument(document), options.output);
        else if (format === 'table') printTables([report.table]);
        else await emitFile(await fileOf([report.table], format), options.output);
      }),
    );
}

export function registerReportCommands(program: Command): void {
  const report = program
    .command('report')
    .description('Reports in the terminal, as CSV, JSON or an Excel workbook (xlsx).')
    .addHelpText(
      'after',
      `
Examples:
  $ purl report summary
  $ purl report pledges --format csv > pledges.csv
  $ purl report packages --format xlsx --output packages.xlsx`,
    );

  report
    .command('summary')
    .description(
      'The public figures by stage, donor, category, month, forum and package: the same figures as ' +
        'GET /api/v1/public/summary.',
    )
    .addOption(formatOption())
    .option('--json', 'the same as --format json')
    .addOption(
      new Option('--table <name>', 'only this table (csv prints one table: totals unless named)').choices(
        summaryTableNames,
      ),
    )
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
--format json prints the API's document (GET /api/v1/public/summary) exactly; amounts are USD at the
rates locked on each pledge, as decimal strings.
Examples:
  $ purl report summary
  $ purl report summary --table donors
  $ purl report summary --format csv --table months > months.csv
  $ purl report summary --format xlsx --output summary.xlsx   (one sheet per table)
  $ purl report summary --json | jq '.totals[] | {stage, amount}'`,
    )
    .action(
      run(async (options: ReportOptions) => {
        const format = formatOf(options);
        checkOutput(format, options);
        const context = await openContext(readEnvironment(), { migrate: false });
        let summary: ReturnType<typeof presentPublicSummary>;
        try {
          summary = presentPublicSummary(await publicSummary(context, 'public'));
        } finally {
          await context.store.close();
        }
        if (format === 'json') return emitFile(jsonDocument(summary), options.output);
        const tables = summaryTables(summary);
        const name = options.table ?? (format === 'csv' ? 'totals' : undefined);
        const chosen = name === undefined ? tables : tables.filter((table) => table.name === name);
        if (chosen.length === 0)
          throw new Failure('VALIDATION_FAILED', `There is no summary table '${name}'.`);
        if (format === 'table') {
          say(
            dim(
              `As of ${summary.asOf}: ${summary.pledgesCounted} pledges counted, ` +
                `${summary.reAnnouncementsExcluded} re-announcements excluded, ` +
                `${summary.undisclosedPledges} undisclosed amounts counted but not valued.`,
            ),
          );
          say('');
        }
        if (format === 'table') printTables(chosen);
        else await emitFile(await fileOf(chosen, format), options.output);
      }),
    );

  operatorCommand(
    report,
    'pledges',
    'Every pledge: donor, stage, original amount and its locked USD value, visibility.',
    pledgesReport,
    '$ purl report pledges --json | jq \'.items[] | select(.stage == "paid")\'',
  );
  operatorCommand(
    report,
    'packages',
    'Every package in rank order: status, target, price, funded and coverage.',
    packagesReport,
    '$ purl report packages --format json > packages.json',
  );
  operatorCommand(
    report,
    'donors',
    "Each donor's pledges by stage in USD, with counts of restricted, unknown and re-announced pledges.",
    donorsReport,
    '$ purl report donors --format csv | column -s, -t',
  );
}
