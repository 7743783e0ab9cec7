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
import { summaryTableNames, summaryTables, tableCsv } from '../../server/report-export.ts';
import { presentPublicSummary } from '../../server/routes/public.routes.ts';
import { openContext, readEnvironment } from '../environment.ts';
import { bold, dim, run, say, sayJson } from '../output.ts';
import { renderTable } from '../table.ts';

const reportFormats = ['table', 'csv', 'json'] as const;
type ReportFormat = (typeof reportFormats)[number];

interface ReportOptions {
  readonly format: ReportFormat;
  readonly json?: boolean;
  readonly table?: string;
}

function formatOf(options: ReportOptions): ReportFormat {
  return options.json ? 'json' : options.format;
}

function formatOption(): Option {
  return new Option('--format <format>', 'table for a person, csv or json for a program')
    .choices(reportFormats)
    .default('table');
}

async function printTables(tables: readonly ReportTable[], format: 'table' | 'csv'): Promise<void> {
  if (format === 'csv') {
    const [table] = tables;
    if (table) process.stdout.write(await tableCsv(table));
    return;
  }
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
    .addHelpText(
      'after',
      `
Runs with operator rights on the database: restricted pledges and undisclosed amounts are included.
Never publish this output; the public figures are \`purl report summary\`.
Examples:
  $ purl report ${name}
  $ purl report ${name} --format csv > ${name}.csv
  ${example}`,
    )
    .action(
      run(async (options: ReportOptions) => {
        const context = await openContext(readEnvironment(), { migrate: false });
        let report: OperatorReport;
        try {
          report = await compute(context, systemActor);
        } finally {
          await context.store.close();
        }
        const format = formatOf(options);
        if (format === 'json') sayJson({ report: name, asOf: report.asOf, items: report.table.rows });
        else await printTables([report.table], format);
      }),
    );
}

export function registerReportCommands(program: Command): void {
  const report = program
    .command('report')
    .description('Reports in the terminal, as CSV or as JSON.')
    .addHelpText(
      'after',
      `
Examples:
  $ purl report summary
  $ purl report pledges --format csv > pledges.csv`,
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
    .addHelpText(
      'after',
      `
--format json prints the API's document (GET /api/v1/public/summary) exactly; amounts are USD at the
rates locked on each pledge, as decimal strings.
Examples:
  $ purl report summary
  $ purl report summary --table donors
  $ purl report summary --format csv --table months > months.csv
  $ purl report summary --json | jq '.totals[] | {stage, amount}'`,
    )
    .action(
      run(async (options: ReportOptions) => {
        const context = await openContext(readEnvironment(), { migrate: false });
        let summary: ReturnType<typeof presentPublicSummary>;
        try {
          summary = presentPublicSummary(await publicSummary(context, 'public'));
        } finally {
          await context.store.close();
        }
        const format = formatOf(options);
        if (format === 'json') {
          sayJson(summary);
          return;
        }
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
        await printTables(chosen, format);
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
