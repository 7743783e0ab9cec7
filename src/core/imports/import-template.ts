import type { FieldError } from '../errors.ts';
import { Limits } from '../limits.ts';
import type { Cell } from './cell.ts';

export const importKinds = ['requirements', 'pledges'] as const;
export type ImportKind = (typeof importKinds)[number];

/** One column of a template: what an import reads, or (not `imported`) what only an export writes. */
export interface TemplateColumn {
  readonly key: string;
  readonly required: boolean;
  /** False for the columns an export adds (ids, USD values): an import ignores them. */
  readonly imported: boolean;
  /** Whether the column holds an amount: a text cell in the template, never a number or a formula. */
  readonly amount: boolean;
  readonly description: string;
  readonly example: string;
}

export interface ImportTemplate {
  readonly kind: ImportKind;
  readonly sheetName: string;
  readonly columns: readonly TemplateColumn[];
}

const column = (
  key: string,
  description: string,
  example: string,
  options: { required?: boolean; imported?: boolean; amount?: boolean } = {},
): TemplateColumn => ({
  key,
  required: options.required ?? false,
  imported: options.imported ?? true,
  amount: options.amount ?? false,
  description,
  example,
});

export const requirementTemplate: ImportTemplate = {
  kind: 'requirements',
  sheetName: 'requirements',
  columns: [
    column('id', 'Export only: the line’s stable id.', '', { imported: false }),
    column(
      'ref',
      'The stable reference REQ-<digits>; blank on every row to have references given.',
      'REQ-0042',
    ),
    column('rank', 'Export only: the rank; an import ranks lines in file order, after the list.', '', {
      imported: false,
    }),
    column(
      'title',
      `What is needed, up to ${Limits.titleLengthMax} characters.`,
      'Air-defence interceptors',
      {
        required: true,
      },
    ),
    column('category', 'A capability category code of the taxonomy.', 'air-defence', { required: true }),
    column('quantity', `A whole number from 1 to ${Limits.quantityMax}.`, '20', { required: true }),
    column('unit', `The unit of the quantity, up to ${Limits.unitLengthMax} characters.`, 'each', {
      required: true,
    }),
    column('unitCost', 'The estimated unit cost: a decimal string with the currency’s scale.', '4000000.00', {
      required: true,
      amount: true,
    }),
    column('currency', 'The ISO 4217 code of unitCost.', 'USD', { required: true }),
    column(
      'status',
      'draft (default), submitted or validated (validated only through the operator’s purl import).',
      'draft',
    ),
    column('visibility', 'restricted (default) or public.', 'restricted'),
    column('notes', `Free text, up to ${Limits.notesLengthMax} characters.`, ''),
    column('estimatedCost', 'Export only: quantity × unitCost, in currency.', '', {
      imported: false,
      amount: true,
    }),
    column('estimatedCostUsd', 'Export only: estimatedCost in USD at usdRate.', '', {
      imported: false,
      amount: true,
    }),
    column('usdRate', 'Export only: units of currency per 1 USD used for estimatedCostUsd.', '', {
      imported: false,
    }),
    column('usdRateDate', 'Export only: the date of usdRate (the rate in force on the export date).', '', {
      imported: false,
    }),
  ],
};

export const pledgeTemplate: ImportTemplate = {
  kind: 'pledges',
  sheetName: 'pledges',
  columns: [
    column('id', 'Export only: the pledge’s stable id.', '', { imported: false }),
    column('ref', 'The stable reference P-<digits>; blank on every row to have references given.', 'P-17'),
    column('donor', 'The donor organisation’s code.', 'GBR', { required: true }),
    column(
      'amount',
      'A decimal string with the currency’s scale; blank only when undisclosed.',
      '150000000.00',
      {
        amount: true,
      },
    ),
    column('currency', 'The ISO 4217 code of amount; blank only when amount is blank.', 'GBP'),
    column('announcedOn', 'The announcement date, YYYY-MM-DD.', '2026-02-12', { required: true }),
    column('forum', 'Where it was announced.', 'UDCG, Brussels, 2026-02-12'),
    column('source', 'The public source (URL); required when a coordinator imports.', 'https://…'),
    column('stage', 'announced (default), committed or paid.', 'announced'),
    column('committedOn', 'The commitment date, for a committed or paid pledge.', ''),
    column('paidOn', 'The payment date, for a paid pledge.', ''),
    column(
      'earmarkCategories',
      'Category codes the money is earmarked for, separated by ";".',
      'air-defence',
    ),
    column('earmarkPackageId', 'The id of the one package the money is earmarked for.', ''),
    column('visibility', 'public (default), amount-undisclosed or restricted.', 'public'),
    column(
      'duplicateOf',
      'The reference of the pledge this one re-announces (in the database or above).',
      '',
    ),
    column('notes', `Free text, up to ${Limits.notesLengthMax} characters.`, ''),
    column('usdAmount', 'Export only: the USD value locked at the latest stage.', '', {
      imported: false,
      amount: true,
    }),
    column('usdRate', 'Export only: units of currency per 1 USD used for usdAmount.', '', {
      imported: false,
    }),
    column('usdRateDate', 'Export only: the date of usdRate.', '', { imported: false }),
    column('usdRateSource', 'Export only: where usdRate comes from.', '', { imported: false }),
  ],
};

export const importTemplates: Readonly<Record<ImportKind, ImportTemplate>> = {
  requirements: requirementTemplate,
  pledges: pledgeTemplate,
};

/** Header names compare without case, spaces, dashes or underscores: "Unit cost", "unit_cost", "UNITCOST". */
function normalised(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** Which template column each position of the sheet holds (null: ignored). */
export interface HeaderMap {
  readonly positions: readonly (string | null)[];
}

export const ImportHeader = {
  /**
   * Reads the header row: column order and case do not matter; an unknown or repeated column, or a
   * missing required one, is a problem of row 1. Export-only columns are accepted and ignored.
   */
  resolve(template: ImportTemplate, cells: readonly Cell[]): { map: HeaderMap; errors: FieldError[] } {
    const byName = new Map(template.columns.map((entry) => [normalised(entry.key), entry]));
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    const positions = cells.map((cell, index): string | null => {
      if (cell.kind === 'empty') return null;
      const where = `row 1, column ${index + 1}`;
      if (cell.kind !== 'text') {
        errors.push({ path: where, message: 'a header is a text cell naming a column' });
        return null;
      }
      const found = byName.get(normalised(cell.text));
      if (!found) {
        errors.push({
          path: where,
          message: `unknown column '${cell.text.slice(0, 40)}' (see docs/import.md for the ${template.kind} template)`,
        });
        return null;
      }
      if (seen.has(found.key)) {
        errors.push({ path: where, message: `the column ${found.key} appears twice` });
        return null;
      }
      seen.add(found.key);
      return found.imported ? found.key : null;
    });
    for (const entry of template.columns) {
      if (entry.required && !seen.has(entry.key))
        errors.push({ path: 'row 1', message: `the required column ${entry.key} is missing` });
    }
    return { map: { positions }, errors };
  },

  /** The cells of a data row by column key. */
  cellsOf(map: HeaderMap, cells: readonly Cell[]): ReadonlyMap<string, Cell> {
    const result = new Map<string, Cell>();
    map.positions.forEach((key, index) => {
      const cell = cells[index];
      if (key !== null && cell !== undefined) result.set(key, cell);
    });
    return result;
  },
} as const;
