import { createReadStream, statSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { systemActor } from '../../app/context.ts';
import type { ImportOutcome } from '../../app/imports/import-files.ts';
import type { ReadProgress, SheetFormat, SheetSource } from '../../app/imports/sheet-reader.ts';
import { Failure } from '../../core/errors.ts';
import type { ImportKind } from '../../core/imports/import-template.ts';
import { Limits } from '../../core/limits.ts';
import { openContext, readEnvironment } from '../environment.ts';
import { emitFile } from '../file-output.ts';
import { dim, run, say, sayJson, warn } from '../output.ts';

// exceljs and the CSV libraries are loaded by these commands only: every other command starts faster.
const loadImports = () => import('../../app/imports/import-files.ts');
const loadExports = () => import('../../app/imports/list-exports.ts');

const exportFormats = ['csv', 'xlsx', 'json'] as const;

/** The format a file name's extension names; undefined for anything else. */
function formatOfFileName(name: string): SheetFormat | undefined {
  const extension = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  return extension === 'csv' ? 'csv' : extension === 'xlsx' ? 'xlsx' : undefined;
}

/** Writes a download to `file` through a temporary file beside it: a failed export leaves no half file. */
/**
 * A progress bar on standard error while a file is read: redrawn in place at a terminal, else one
 * count line at the end (logs and pipes get no control characters).
 */
function progressReporter(size: number): { update: (progress: ReadProgress) => void; finish: () => void } {
  const tty = process.stderr.isTTY === true;
  let last: ReadProgress = { rows: 0, bytes: 0 };
  const width = 30;
  return {
    update(progress) {
      last = progress;
      if (!tty) return;
      const share = size > 0 ? Math.min(1, progress.bytes / size) : 0;
      const filled = Math.floor(share * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${progress.rows.toLocaleString('en')} rows`,
      );
    },
    finish() {
      if (tty) process.stderr.write('\n');
      else warn(dim(`read ${last.rows} rows (${last.bytes} bytes)`));
    },
  };
}

function sourceOfFile(file: string): { source: SheetSource; size: number } {
  const format = formatOfFileName(file);
  if (!format) throw new Failure('IMPORT_FILE_INVALID', `'${file}' is neither a .csv nor a .xlsx file.`);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new Failure('NOT_FOUND', `There is no file '${file}'.`);
  }
  return { source: { format, open: () => createReadStream(file) }, size };
}

function summaryOf(outcome: ImportOutcome): string {
  const what = outcome.kind === 'requirements' ? 'requirement lines' : 'pledges';
  if (outcome.dryRun) return `dry run: ${outcome.rows} ${what} checked, no problems; nothing was written`;
  const refs = outcome.firstRef ? ` (${outcome.firstRef} … ${outcome.lastRef})` : '';
  return `imported ${outcome.created} ${what}${refs}`;
}

function addImport(parent: Command, kind: ImportKind): void {
  parent
    .command(kind)
    .description(
      kind === 'requirements'
        ? 'Import requirement lines from a .xlsx or .csv file of the template: all rows or none.'
        : 'Import pledges from a .xlsx or .csv file of the template: all rows or none.',
    )
    .argument('[FILE]', 'the .xlsx or .csv file to import')
    .option('--dry-run', 'check every row and list every problem; write nothing')
    .option('--json', 'print the outcome (rows, created, first and last reference) as JSON')
    .option(
      '--template [FILE]',
      'write the empty template instead (.xlsx or .csv by extension; CSV to stdout)',
    )
    .addHelpText(
      'after',
      `
The columns are in docs/import.md; problems are listed by row and column (at most ${Limits.importErrorsMax}).
The operator's import is recorded in the audit chain as the system actor. Up to ${Limits.importRowsMax} rows.
Examples:
  $ purl import ${kind} --template ${kind}.xlsx
  $ purl import ${kind} ${kind}.xlsx --dry-run
  $ purl import ${kind} ${kind}.csv`,
    )
    .action(
      run(
        async (
          file: string | undefined,
          options: { dryRun?: boolean; json?: boolean; template?: string | boolean },
        ) => {
          if (options.template !== undefined) {
            const target = typeof options.template === 'string' ? options.template : undefined;
            const format = target === undefined ? 'csv' : formatOfFileName(target);
            if (!format) throw new Failure('VALIDATION_FAILED', 'The template is written as .xlsx or .csv.');
            const download = (await loadExports()).importTemplate(kind, format);
            await emitFile(download.body, target);
            return;
          }
          if (file === undefined)
            throw new Failure('VALIDATION_FAILED', 'Name the file to import (or pass --template).');
          const { source, size } = sourceOfFile(file);
          const { importRequirements, importPledges } = await loadImports();
          const importer = kind === 'requirements' ? importRequirements : importPledges;
          const context = await openContext(readEnvironment(), { migrate: false });
          const reporter = progressReporter(size);
          try {
            const outcome = await importer(context, systemActor, source, {
              dryRun: options.dryRun === true,
              onProgress: reporter.update,
            });
            reporter.finish();
            if (options.json) sayJson(outcome);
            else say(summaryOf(outcome));
          } catch (error) {
            reporter.finish();
            throw error;
          } finally {
            await context.store.close();
          }
        },
      ),
    );
}

function addExport(parent: Command, kind: ImportKind): void {
  parent
    .command(kind)
    .description(
      `Write every ${kind === 'requirements' ? 'requirement line' : 'pledge'} in the import template's columns, with the USD values, to standard output or a file.`,
    )
    .addOption(
      new Option('--format <format>', 'csv, xlsx or json').choices(exportFormats).makeOptionMandatory(),
    )
    .option('--output <FILE>', 'write to FILE instead of standard output (required for xlsx)')
    .addHelpText(
      'after',
      `
The file imports back with \`purl import ${kind}\` (docs/import.md).
Examples:
  $ purl export ${kind} --format xlsx --output ${kind}.xlsx
  $ purl export ${kind} --format csv > ${kind}.csv`,
    )
    .action(
      run(async (options: { format: string; output?: string }) => {
        const { exportPledges, exportRequirements, isExportFormat } = await loadExports();
        if (!isExportFormat(options.format))
          throw new Failure('VALIDATION_FAILED', 'The format is csv, xlsx or json.');
        if (options.format === 'xlsx' && options.output === undefined && process.stdout.isTTY)
          throw new Failure('VALIDATION_FAILED', 'An xlsx export is binary: pass --output FILE.');
        const context = await openContext(readEnvironment(), { migrate: false });
        try {
          const exporter = kind === 'requirements' ? exportRequirements : exportPledges;
          const download = await exporter(context, systemActor, options.format);
          await emitFile(download.body, options.output);
        } finally {
          await context.store.close();
        }
      }),
    );
}

/** `purl import requirements|pledges` and `purl export requirements|pledges`. */
export function registerImportExportCommands(program: Command): void {
  const importCommand =
    program.commands.find((command) => command.name() === 'import') ??
    program.command('import').description('Import requirement lines or pledges from spreadsheets.');
  addImport(importCommand, 'requirements');
  addImport(importCommand, 'pledges');
  const exportCommand =
    program.commands.find((command) => command.name() === 'export') ??
    program.command('export').description('Export data for independent tools.');
  addExport(exportCommand, 'requirements');
  addExport(exportCommand, 'pledges');
}
