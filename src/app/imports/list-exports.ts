import type { Actor } from '../../core/directory/organization.ts';
import { Failure } from '../../core/errors.ts';
import { type ImportKind, importTemplates, type TemplateColumn } from '../../core/imports/import-template.ts';
import { Money } from '../../core/money/money.ts';
import { Rate } from '../../core/money/rate.ts';
import type { Requirement } from '../../core/requirements/requirement.ts';
import type { StoredPledge } from '../../store/pledge.repository.ts';
import type { AppContext } from '../context.ts';
import { allItems } from '../export/paged-lists.ts';
import {
  type ColumnKind,
  type ExportColumn,
  type ExportFormat,
  exportFormats,
  type TableDownload,
  tableDownload,
} from '../export/table-export.ts';
import { rateInForce } from '../fx-rates.ts';
import { listPledges } from '../pledges.ts';
import { listRequirements } from '../requirements.ts';
import type { SheetFormat } from './sheet-reader.ts';

export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

const kindOf = (column: TemplateColumn, text: readonly string[]): ColumnKind =>
  column.amount
    ? 'amount'
    : text.includes(column.key)
      ? 'text'
      : column.key === 'quantity' || column.key === 'rank'
        ? 'integer'
        : 'code';

/** The template's columns, each with how it is written and how its value is read from a row. */
function columnsOf<Row>(
  kind: ImportKind,
  text: readonly string[],
  values: Readonly<Record<string, (row: Row) => string | number | null>>,
): ExportColumn<Row>[] {
  return importTemplates[kind].columns.map((column) => ({
    key: column.key,
    kind: kindOf(column, text),
    value: values[column.key] ?? (() => null),
  }));
}

interface RequirementExportRow {
  readonly line: Requirement;
  readonly usd: { amount: string; rate: string; date: string } | null;
}

/**
 * The whole requirement list (not paged) as CSV, XLSX or JSON in the import template's columns,
 * with the caller's rights applied by the list use case; ordered by rank, lines off the list
 * last. Each line's estimated cost is also given in USD at the rate in force on the export date.
 */
export async function exportRequirements(
  context: AppContext,
  actor: Actor,
  format: ExportFormat,
): Promise<TableDownload> {
  const lines = await allItems((page) => listRequirements(context, actor, {}, page));
  lines.sort(
    (a, b) =>
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  );
  const today = context.now().toISOString().slice(0, 10);
  const rates = new Map<string, Rate | null>();
  const rows: RequirementExportRow[] = [];
  for (const line of lines) {
    const currency = line.unitCost.currency;
    if (!rates.has(currency)) {
      try {
        rates.set(currency, await rateInForce(context.store.read, currency, today));
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
        rates.set(currency, null);
      }
    }
    const rate = rates.get(currency) ?? null;
    const estimated = Money.times(line.unitCost, BigInt(line.quantity));
    const usd = rate && Money.convert(estimated, rate, rate.base, 'half-even').to;
    rows.push({
      line,
      usd: usd && rate ? { amount: Money.format(usd), rate: Rate.format(rate), date: rate.date } : null,
    });
  }
  const columns = columnsOf<RequirementExportRow>('requirements', ['title', 'unit', 'notes'], {
    id: ({ line }) => line.id,
    ref: ({ line }) => line.ref,
    rank: ({ line }) => line.rank,
    title: ({ line }) => line.title,
    category: ({ line }) => line.category,
    quantity: ({ line }) => line.quantity,
    unit: ({ line }) => line.unit,
    unitCost: ({ line }) => Money.format(line.unitCost),
    currency: ({ line }) => line.unitCost.currency,
    status: ({ line }) => line.status,
    visibility: ({ line }) => line.visibility,
    notes: ({ line }) => line.notes,
    estimatedCost: ({ line }) => Money.format(Money.times(line.unitCost, BigInt(line.quantity))),
    estimatedCostUsd: ({ usd }) => usd?.amount ?? null,
    usdRate: ({ usd }) => usd?.rate ?? null,
    usdRateDate: ({ usd }) => usd?.date ?? null,
  });
  return tableDownload(format, { name: `requirements-${today}`, sheetName: 'requirements', columns, rows });
}

/** How many re-announcements lead from a pledge to its original (originals are 0). */
function depthOf(pledge: StoredPledge, byId: ReadonlyMap<string, StoredPledge>): number {
  let depth = 0;
  let current: StoredPledge | undefined = pledge;
  while (current?.duplicateOf && depth < byId.size) {
    current = byId.get(current.duplicateOf);
    depth += 1;
  }
  return depth;
}

/**
 * The pledges the caller may see (a donor its own), whole, as CSV, XLSX or JSON in the import
 * template's columns: the original amount and currency, and the locked USD value with its rate,
 * rate date and source. Originals come before the re-announcements that point at them, so the
 * file imports back as it is.
 */
export async function exportPledges(
  context: AppContext,
  actor: Actor,
  format: ExportFormat,
): Promise<TableDownload> {
  const pledges = await allItems((page) => listPledges(context, actor, {}, page));
  const byId = new Map(pledges.map((pledge) => [pledge.id, pledge]));
  const depth = new Map(pledges.map((pledge) => [pledge.id, depthOf(pledge, byId)]));
  const refNumber = (pledge: StoredPledge) => Number.parseInt(pledge.ref.replace(/^\D+/, ''), 10);
  const ordered = [...pledges].sort(
    (a, b) =>
      (depth.get(a.id) ?? 0) - (depth.get(b.id) ?? 0) ||
      a.announcedOn.localeCompare(b.announcedOn) ||
      refNumber(a) - refNumber(b),
  );
  const columns = columnsOf<StoredPledge>('pledges', ['forum', 'source', 'notes'], {
    id: (pledge) => pledge.id,
    ref: (pledge) => pledge.ref,
    donor: (pledge) => pledge.donor,
    amount: (pledge) => pledge.amount && Money.format(pledge.amount),
    currency: (pledge) => pledge.amount?.currency ?? null,
    announcedOn: (pledge) => pledge.announcedOn,
    forum: (pledge) => pledge.forum,
    source: (pledge) => pledge.source,
    stage: (pledge) => pledge.stage,
    committedOn: (pledge) => pledge.committedOn,
    paidOn: (pledge) => pledge.paidOn,
    earmarkCategories: (pledge) =>
      pledge.earmark.kind === 'categories' ? pledge.earmark.categories.join(';') : null,
    earmarkPackageId: (pledge) => (pledge.earmark.kind === 'package' ? pledge.earmark.packageId : null),
    visibility: (pledge) => pledge.visibility,
    duplicateOf: (pledge) => (pledge.duplicateOf ? (byId.get(pledge.duplicateOf)?.ref ?? null) : null),
    notes: (pledge) => pledge.notes,
    usdAmount: (pledge) => pledge.usd && Money.format(pledge.usd.amount),
    usdRate: (pledge) => pledge.usd?.perUsd ?? null,
    usdRateDate: (pledge) => pledge.usd?.rateDate ?? null,
    usdRateSource: (pledge) => pledge.usd?.rateSource ?? null,
  });
  const today = context.now().toISOString().slice(0, 10);
  return tableDownload(format, { name: `pledges-${today}`, sheetName: 'pledges', columns, rows: ordered });
}

/**
 * The empty template of an import: the header row of the columns an import reads (XLSX with
 * Text-formatted amount columns and a second sheet that explains each column).
 */
export function importTemplate(kind: ImportKind, format: SheetFormat): TableDownload {
  const template = importTemplates[kind];
  const imported = template.columns.filter((column) => column.imported);
  const columns: ExportColumn<never>[] = imported.map((column) => ({
    key: column.key,
    kind: column.amount ? 'amount' : column.key === 'quantity' ? 'integer' : 'text',
    value: () => null,
  }));
  return tableDownload(format, {
    name: `${kind}-template`,
    sheetName: template.sheetName,
    columns,
    rows: [],
    notes: {
      sheetName: 'columns',
      rows: [
        ['column', 'required', 'what it holds', 'example'],
        ...imported.map((column) => [
          column.key,
          column.required ? 'yes' : 'no',
          column.description,
          column.example,
        ]),
      ],
    },
  });
}
