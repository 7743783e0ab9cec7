/**
 * Requirement imports from XLSX and CSV, and the list export (issue 7): rows per second and peak
 * memory, at the full size (100,000 rows, `Limits.importRowsMax`) and at a quarter of it, to show
 * that memory does not grow with the file: the readers stream (csv-parse's stream API, exceljs's
 * streaming WorkbookReader) and rows are checked and written in batches inside one transaction.
 *
 * Each measurement runs in its own process under `/usr/bin/time -v` (peak RSS is that process's
 * "Maximum resident set size"): a fresh SQLite database is migrated and given its categories, then
 * `importRequirements` reads the generated file, checks every row and writes every line with its
 * audit event and one list version; the export run writes the imported list as XLSX and CSV.
 *
 *   node --import tsx bench/import-export.ts                 # 100,000 and 25,000 rows; writes the docs
 *   node --import tsx bench/import-export.ts --rows 2000     # a quick run (docs left alone)
 *   options: --write (write docs/performance.md on a quick run too), --keep (keep the temporary folder)
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { createCategory } from '../src/app/categories.ts';
import { createContext, sha256Hex, systemActor } from '../src/app/context.ts';
import { importRequirements } from '../src/app/imports/import-files.ts';
import { exportRequirements } from '../src/app/imports/list-exports.ts';
import type { SheetFormat } from '../src/app/imports/sheet-reader.ts';
import { Limits } from '../src/core/limits.ts';
import { connect } from '../src/store/dialect/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { Store } from '../src/store/unit-of-work.ts';
import {
  argumentsOf,
  describeMachine,
  formatSeconds,
  integerArgument,
  loadAverage,
  log,
  markdownTable,
  repositoryRoot,
  textTable,
  timeCommand,
  updatePerformanceDoc,
  updateSummary,
} from './support/bench-kit.ts';

const benchFile = 'bench/import-export.ts';
/** The V8 heap limit of each measured process. */
const heapCapMiB = 160;
const categories = ['air-defence', 'artillery', 'drones', 'engineering', 'medical'];
const header = ['ref', 'title', 'category', 'quantity', 'unit', 'unitCost', 'currency', 'status', 'notes'];

/** Row `index` of the generated file: deterministic, a mix of categories, currencies and statuses. */
function rowOf(index: number): string[] {
  const cents = String(100_000 + ((index * 7919) % 9_000_000)).padStart(3, '0');
  return [
    `REQ-${String(index + 1).padStart(6, '0')}`,
    `Generated line ${index + 1}, batch ${Math.floor(index / 1000)}`,
    categories[index % categories.length] ?? 'medical',
    String(1 + (index % 500)),
    index % 3 === 0 ? 'each' : 'set',
    `${cents.slice(0, -2)}.${cents.slice(-2)}`,
    index % 4 === 0 ? 'EUR' : 'USD',
    index % 5 === 0 ? 'submitted' : 'draft',
    index % 10 === 0 ? 'generated for the import benchmark' : '',
  ];
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const output = createWriteStream(path);
  const quote = (cell: string) => (/[",]/.test(cell) ? `"${cell}"` : cell);
  output.write(`${header.join(',')}\r\n`);
  for (let index = 0; index < rows; index += 1) {
    if (!output.write(`${rowOf(index).map(quote).join(',')}\r\n`)) await once(output, 'drain');
  }
  output.end();
  await once(output, 'finish');
}

async function writeXlsx(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = workbook.addWorksheet('requirements');
  sheet.addRow(header).commit();
  for (let index = 0; index < rows; index += 1) {
    const cells: (string | number)[] = rowOf(index);
    cells[3] = 1 + (index % 500); // quantities as number cells, as a spreadsheet keeps them
    sheet.addRow(cells).commit();
  }
  sheet.commit();
  await workbook.commit();
}

async function openFreshStore(path: string): Promise<Store> {
  const connection = connect(`sqlite:${path}`);
  await migrateToLatest(connection.db);
  return new Store(connection.db, connection.dialect, sha256Hex);
}

/** The measured work, in a process of its own: prints one JSON line of figures. */
async function child(argumentsFound: Map<string, string>): Promise<void> {
  const database = argumentsFound.get('db') ?? '';
  const store = await openFreshStore(database);
  const context = createContext(store);
  try {
    if (argumentsFound.get('child') === 'import') {
      for (const code of categories) await createCategory(context, systemActor, { code, name: code });
      const file = argumentsFound.get('file') ?? '';
      const format = (file.endsWith('.xlsx') ? 'xlsx' : 'csv') as SheetFormat;
      const started = performance.now();
      const outcome = await importRequirements(
        context,
        systemActor,
        { format, open: () => createReadStream(file) },
        { dryRun: false },
      );
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`${JSON.stringify({ rows: outcome.created, seconds })}\n`);
    } else {
      const figures: Record<string, number> = {};
      for (const format of ['xlsx', 'csv'] as const) {
        const started = performance.now();
        const download = await exportRequirements(context, systemActor, format);
        await pipeline(
          download.body,
          createWriteStream(join(argumentsFound.get('out') ?? '', `export.${format}`)),
        );
        figures[format] = (performance.now() - started) / 1000;
      }
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    }
  } finally {
    await store.close();
  }
}

interface Measured {
  readonly what: string;
  readonly rows: number;
  readonly fileMiB: number;
  readonly seconds: number;
  readonly processSeconds: number;
  readonly peakMiB: number;
}

async function main(): Promise<void> {
  const argumentsFound = argumentsOf();
  if (argumentsFound.has('child')) return child(argumentsFound);
  const rows = integerArgument(argumentsFound, 'rows', Limits.importRowsMax);
  const quarter = Math.max(1, Math.floor(rows / 4));
  const writeDoc = argumentsFound.has('write') || argumentsFound.has('doc') || rows >= Limits.importRowsMax;
  const folder = mkdtempSync(join(tmpdir(), 'purl-bench-import-'));
  const loadAtStart = loadAverage();
  const measured: Measured[] = [];
  // A capped heap makes the claim checkable: an import that kept its rows would run out of it.
  const node = (args: string[], heapCap = true) =>
    timeCommand(process.execPath, [
      ...(heapCap ? [`--max-old-space-size=${heapCapMiB}`] : []),
      '--import',
      'tsx',
      benchFile,
      ...args,
    ]);
  try {
    let fullCsvDatabase = '';
    for (const size of [quarter, rows]) {
      for (const format of ['csv', 'xlsx'] as const) {
        const file = join(folder, `requirements-${size}.${format}`);
        log(`generating ${file}`);
        if (format === 'csv') await writeCsv(file, size);
        else await writeXlsx(file, size);
        const database = join(folder, `import-${size}-${format}.db`);
        log(`importing ${size.toLocaleString('en')} rows from ${format}`);
        const run = await node(['--child', 'import', '--file', file, '--db', database]);
        const figures = JSON.parse(run.stdout) as { rows: number; seconds: number };
        if (figures.rows !== size) throw new Error(`imported ${figures.rows} rows of ${size}`);
        measured.push({
          what: `import ${format}`,
          rows: size,
          fileMiB: statSync(file).size / 1024 / 1024,
          seconds: figures.seconds,
          processSeconds: run.wallSeconds,
          peakMiB: run.maxRssMiB,
        });
        if (size === rows && format === 'csv') fullCsvDatabase = database;
      }
    }
    log(`exporting ${rows.toLocaleString('en')} lines as xlsx and csv`);
    const exported = await node(['--child', 'export', '--db', fullCsvDatabase, '--out', folder], false);
    const exportFigures = JSON.parse(exported.stdout) as Record<'xlsx' | 'csv', number>;
    for (const format of ['xlsx', 'csv'] as const) {
      measured.push({
        what: `export ${format}`,
        rows,
        fileMiB: statSync(join(folder, `export.${format}`)).size / 1024 / 1024,
        seconds: exportFigures[format],
        processSeconds: exported.wallSeconds,
        peakMiB: exported.maxRssMiB,
      });
    }

    const tableHeader = [
      'measurement',
      'rows',
      'file (MiB)',
      'wall (s)',
      'rows/s',
      'process wall (s)',
      'peak RSS (MiB)',
    ];
    const cells = measured.map((row) => [
      row.what,
      row.rows.toLocaleString('en'),
      row.fileMiB.toFixed(1),
      formatSeconds(row.seconds),
      Math.round(row.rows / row.seconds).toLocaleString('en'),
      formatSeconds(row.processSeconds),
      row.peakMiB.toFixed(0),
    ]);
    process.stdout.write(`\n${textTable(tableHeader, cells)}\n`);
    const peak = (what: string, size: number) =>
      measured.find((row) => row.what === what && row.rows === size)?.peakMiB ?? Number.NaN;
    const growth = (format: 'csv' | 'xlsx') =>
      peak(`import ${format}`, rows) / peak(`import ${format}`, quarter);
    const markdown = `Command: \`node --import tsx ${benchFile}\` (\`--rows N\`, default ${Limits.importRowsMax.toLocaleString('en')},
\`Limits.importRowsMax\`; a quarter of it is also run). Latest run: ${new Date().toISOString().slice(0, 10)},
${describeMachine()}; load average ${loadAtStart} at the start of the run, ${loadAverage()} at the end.

Each import reads a generated requirement file of the template (CSV, or XLSX written with
exceljs's streaming writer, quantities as number cells) into a fresh SQLite database with
\`importRequirements\` as the operator: every row is checked, then every line is written with its
audit event (and signed checkpoint) and one list version, in one transaction. "wall" is the import
timed inside its process; "process wall" adds Node's start-up, migrations and categories; peak RSS is
the process's "Maximum resident set size" under \`/usr/bin/time -v\`. Every import process runs with
\`--max-old-space-size=${heapCapMiB}\`: an import that held its rows would fail for want of heap. The export rows write the
imported list (the full CSV import's database) as XLSX and then CSV with \`exportRequirements\`, in
one process (so both rows show that process's wall and peak; the export holds the list in memory
and runs without the cap).

${markdownTable(tableHeader, cells)}

**Memory does not grow with the file**: 4× the rows takes ${growth('csv').toFixed(2)}× the peak memory
from CSV and ${growth('xlsx').toFixed(2)}× from XLSX (what grows is the list of the new lines' ids that
the one list version needs, and the set of references seen, a few MiB per 100,000 rows).
`;
    if (writeDoc) {
      updatePerformanceDoc('Import', markdown);
      const full = (what: string) => measured.find((row) => row.what === what && row.rows === rows);
      updateSummary(
        'Import',
        (['import csv', 'import xlsx'] as const).map((what) => {
          const row = full(what);
          return {
            benchmark: 'Import',
            command: `\`node --import tsx ${benchFile}\``,
            figure: row ? `${what}: ${Math.round(row.rows / row.seconds).toLocaleString('en')} rows/s` : what,
            baseline: '—',
            ratio: '—',
            goal: '—',
            met: '—',
            peakRss: row ? `${row.peakMiB.toFixed(0)} MiB` : '—',
          };
        }),
      );
      log('docs/performance.md updated');
    } else log('a quick run: docs/performance.md left alone (pass --write to write it)');
  } finally {
    if (argumentsFound.has('keep')) log(`kept ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}

process.chdir(repositoryRoot);
await main();
