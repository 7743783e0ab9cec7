import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Cell, Cells } from '../../src/core/imports/cell.ts';
import {
  ImportRows,
  type PledgeLookups,
  type RequirementLookups,
} from '../../src/core/imports/import-rows.ts';
import { ImportHeader, pledgeTemplate, requirementTemplate } from '../../src/core/imports/import-template.ts';
import { ImportProblems } from '../../src/core/imports/problems.ts';
import { Limits } from '../../src/core/limits.ts';
import { Money } from '../../src/core/money/money.ts';

const text = (value: string): Cell => Cells.text(value);
const header = (...names: string[]) => names.map(text);

const requirementLookups: RequirementLookups = {
  categoryExists: (code) => code === 'air-defence',
  refTaken: (ref) => (ref === 'REQ-0001' ? 'database' : null),
  allowedStatuses: ['draft', 'submitted'],
  refsGiven: false,
};

function requirementRow(cells: Record<string, Cell>, lookups: Partial<RequirementLookups> = {}) {
  const names = Object.keys(cells);
  const { map } = ImportHeader.resolve(requirementTemplate, header(...names));
  return ImportRows.requirement(7, map, Object.values(cells), { ...requirementLookups, ...lookups });
}

const goodRequirement = {
  title: text('Interceptors'),
  category: text('air-defence'),
  quantity: text('20'),
  unit: text('each'),
  unitCost: text('4000000.00'),
  currency: text('USD'),
};

describe('the header of an imported file', () => {
  test('maps columns whatever their order, case, spaces or underscores', () => {
    const { map, errors } = ImportHeader.resolve(
      requirementTemplate,
      header('UNIT COST', 'Currency', 'unit', 'quantity', 'Category', 'title', 'estimated_cost_usd'),
    );
    expect(errors).toEqual([]);
    expect(map.positions).toEqual(['unitCost', 'currency', 'unit', 'quantity', 'category', 'title', null]);
  });

  test('names unknown, repeated and missing required columns', () => {
    const { errors } = ImportHeader.resolve(pledgeTemplate, header('donor', 'Donor', 'amout', 'announcedOn'));
    expect(errors).toEqual([
      { path: 'row 1, column 2', message: 'the column donor appears twice' },
      {
        path: 'row 1, column 3',
        message: "unknown column 'amout' (see docs/import.md for the pledges template)",
      },
    ]);
    expect(ImportHeader.resolve(pledgeTemplate, header('amount')).errors).toEqual([
      { path: 'row 1', message: 'the required column donor is missing' },
      { path: 'row 1', message: 'the required column announcedOn is missing' },
    ]);
  });
});

describe('a requirement row', () => {
  test('reads a good row into exact money', () => {
    const outcome = requirementRow(goodRequirement);
    expect(outcome.errors).toEqual([]);
    expect(outcome.value?.unitCost).toEqual(Money.parse('4000000.00', 'USD'));
    expect(outcome.value).toMatchObject({ row: 7, quantity: 20, status: 'draft', visibility: 'restricted' });
  });

  test('rejects an amount with too many decimals, naming its row and column', () => {
    expect(requirementRow({ ...goodRequirement, unitCost: text('1.000') }).errors).toEqual([
      { path: 'row 7, column unitCost', message: "USD amounts have exactly 2 decimals; got '1.000'." },
    ]);
    expect(requirementRow({ ...goodRequirement, unitCost: text('5'), currency: text('JPY') }).errors).toEqual(
      [],
    );
  });

  test('reports every problem of a row, not the first only', () => {
    const outcome = requirementRow({
      title: Cells.empty,
      category: text('air-defense'),
      quantity: text('0'),
      unit: text('each'),
      unitCost: { kind: 'date', date: '2026-02-12' },
      currency: text('usd'),
      status: text('validated'),
    });
    expect(outcome.errors).toEqual([
      { path: 'row 7, column title', message: 'required' },
      { path: 'row 7, column category', message: "unknown category 'air-defense'" },
      { path: 'row 7, column quantity', message: `must be from 1 to ${Limits.quantityMax}` },
      { path: 'row 7, column unitCost', message: 'a date where an amount belongs' },
      { path: 'row 7, column status', message: 'your role may import lines as draft or submitted only' },
    ]);
  });

  test('refuses formulas, numbers and unknown currencies where an amount belongs', () => {
    const messages = (cell: Cell, currency = 'USD') =>
      requirementRow({ ...goodRequirement, unitCost: cell, currency: text(currency) }).errors.map(
        (e) => e.message,
      );
    expect(messages({ kind: 'formula', formula: 'A1*2' })).toEqual([
      'a formula where an amount belongs; amounts are decimal strings',
    ]);
    expect(messages({ kind: 'number', text: '4000000' })[0]).toMatch(/^a number cell \(4000000\)/);
    expect(messages(text('1.00'), 'XYZ')).toEqual(["'XYZ' is not an ISO 4217 currency code"]);
    expect(messages(text('-1.00'))).toEqual(['a unit cost cannot be negative']);
  });

  test('refuses a row whose quantity × unit cost is beyond the largest amount handled', () => {
    const row = { ...goodRequirement, quantity: text('999999995'), unitCost: text('99999999.99') };
    expect(requirementRow(row).errors).toEqual([
      {
        path: 'row 7, column unitCost',
        message: 'quantity × unit cost is beyond the largest amount handled',
      },
    ]);
    expect(requirementRow({ ...row, unitCost: text('1.00') }).errors).toEqual([]);
  });

  test('checks references against the file and the database when the file names them', () => {
    const taken = (ref: string) =>
      requirementRow(
        { ref: text(ref), ...goodRequirement },
        {
          refsGiven: true,
          refTaken: (candidate) =>
            candidate === 'REQ-0002' ? 'file' : candidate === 'REQ-0001' ? 'database' : null,
        },
      ).errors;
    expect(taken('REQ-0001')).toEqual([{ path: 'row 7, column ref', message: 'REQ-0001 exists already' }]);
    expect(taken('REQ-0002')).toEqual([
      { path: 'row 7, column ref', message: 'REQ-0002 appears on an earlier row of the file' },
    ]);
    expect(taken('P-1')).toEqual([
      { path: 'row 7, column ref', message: "'P-1' is not a reference like REQ-0042" },
    ]);
    expect(taken('REQ-0003')).toEqual([]);
  });
});

describe('a pledge row', () => {
  const lookups: PledgeLookups = {
    donorProblem: (code) => (code === 'GBR' ? null : `no donor organisation has the code '${code}'`),
    categoryExists: (code) => code === 'air-defence',
    packageExists: () => false,
    refTaken: () => null,
    donorOfPledge: (ref) => (ref === 'P-1' ? 'GBR' : ref === 'P-2' ? 'DEU' : undefined),
    sourceRequired: true,
    refsGiven: false,
  };
  function pledgeRow(cells: Record<string, Cell>) {
    const { map } = ImportHeader.resolve(pledgeTemplate, header(...Object.keys(cells)));
    return ImportRows.pledge(3, map, Object.values(cells), lookups);
  }
  const good = {
    donor: text('gbr'),
    amount: text('150000000.00'),
    currency: text('GBP'),
    announcedOn: { kind: 'date', date: '2026-02-11' } as Cell,
    source: text('https://example.org'),
    earmarkCategories: text('air-defence'),
  };

  test('reads a good row, with a date cell and an earmark', () => {
    const outcome = pledgeRow(good);
    expect(outcome.errors).toEqual([]);
    expect(outcome.value).toMatchObject({
      donor: 'GBR',
      announcedOn: '2026-02-11',
      stage: 'announced',
      earmark: { kind: 'categories', categories: ['air-defence'] },
    });
  });

  test('allows a blank amount only when it is undisclosed', () => {
    const blank = { ...good, amount: Cells.empty, currency: Cells.empty };
    expect(pledgeRow(blank).errors).toEqual([
      { path: 'row 3, column amount', message: 'Only a pledge whose amount is undisclosed may omit it.' },
    ]);
    expect(pledgeRow({ ...blank, visibility: text('amount-undisclosed') }).errors).toEqual([]);
  });

  test('names unknown donors, categories, sources and re-announcements of another donor', () => {
    expect(
      pledgeRow({
        ...good,
        donor: text('DEU'),
        source: Cells.empty,
        earmarkCategories: text('air-defence; tanks'),
        duplicateOf: text('P-1'),
      }).errors,
    ).toEqual([
      { path: 'row 3, column donor', message: "no donor organisation has the code 'DEU'" },
      {
        path: 'row 3, column source',
        message: 'required: a pledge recorded on a donor’s behalf cites its public source',
      },
      { path: 'row 3, column earmarkCategories', message: "unknown category 'tanks'" },
      { path: 'row 3, column duplicateOf', message: 'P-1 is a pledge of GBR, not of DEU' },
    ]);
  });
});

describe('formula neutralisation', () => {
  test('prefixes text that starts with a formula trigger, and import undoes exactly that', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^'{0,3}[=+\-@\t\r'a]{0,3}.{0,5}$/)), (value) => {
        const exported = Cells.neutralise(value);
        expect(/^[=+\-@\t\r]/.test(exported)).toBe(false);
        expect(Cells.unneutralise(exported)).toBe(value);
      }),
      { seed: 42, numRuns: 500 },
    );
    expect(Cells.neutralise('=1+1')).toBe("'=1+1");
    expect(Cells.neutralise('Air defence')).toBe('Air defence');
    expect(Cells.neutralise("'=1")).toBe("''=1");
  });
});

describe('the problems of a file', () => {
  test('lists at most the named limit and counts the rest', () => {
    const problems = new ImportProblems();
    for (let row = 2; row < 2 + Limits.importErrorsMax + 7; row += 1) {
      problems.add([{ path: `row ${row}, column amount`, message: 'bad' }]);
    }
    const failure = problems.failure('IMPORT_ROWS_INVALID', 'The file');
    expect(failure.errors).toHaveLength(Limits.importErrorsMax + 1);
    expect(failure.errors.at(-1)).toEqual({ path: 'file', message: '7 more problems not listed' });
    expect(failure.detail).toBe(
      `The file has ${Limits.importErrorsMax + 7} problems (the first 50 are listed); nothing was imported.`,
    );
  });
});
