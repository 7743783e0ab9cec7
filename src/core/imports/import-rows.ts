import type { IsoDate } from '../calendar/iso-date.ts';
import { organizationCodePattern } from '../directory/organization.ts';
import { Failure, type FieldError } from '../errors.ts';
import { Limits } from '../limits.ts';
import type { Money } from '../money/money.ts';
import { Earmark } from '../pledges/earmark.ts';
import {
  type PledgeStage,
  Pledges,
  type PledgeVisibility,
  pledgeStages,
  pledgeVisibilities,
} from '../pledges/pledge.ts';
import {
  Requirements,
  type RequirementVisibility,
  requirementVisibilities,
} from '../requirements/requirement.ts';
import { requirementStatuses } from '../requirements/requirement-status.ts';
import type { Cell } from './cell.ts';
import type { HeaderMap } from './import-template.ts';
import { RowReader } from './row-reader.ts';

/** The statuses a requirement line can be imported in; later ones follow its packages. */
export const importableRequirementStatuses = ['draft', 'submitted', 'validated'] as const;
export type ImportableRequirementStatus = (typeof importableRequirementStatuses)[number];

const requirementRefPattern = /^REQ-\d{4,9}$/;
const pledgeRefPattern = /^P-\d{1,9}$/;

/** Where a reference is taken already: by an earlier row of the same file, or in the database. */
export type RefTaken = 'file' | 'database' | null;

export interface RequirementRow {
  readonly row: number;
  readonly ref: string | null;
  readonly title: string;
  readonly category: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitCost: Money;
  readonly status: ImportableRequirementStatus;
  readonly visibility: RequirementVisibility;
  readonly notes: string;
}

/** What a requirement row is checked against; the use case looks these up before it asks. */
export interface RequirementLookups {
  categoryExists(code: string): boolean;
  refTaken(ref: string): RefTaken;
  /** Statuses the importer's role may put a line in (a recipient: draft, submitted). */
  readonly allowedStatuses: readonly ImportableRequirementStatus[];
  /** Whether the file names references (then every row names one). */
  readonly refsGiven: boolean;
}

export interface PledgeRow {
  readonly row: number;
  readonly ref: string | null;
  readonly donor: string;
  readonly amount: Money | null;
  readonly announcedOn: IsoDate;
  readonly forum: string;
  readonly source: string;
  readonly stage: PledgeStage;
  readonly committedOn: IsoDate | null;
  readonly paidOn: IsoDate | null;
  readonly earmark: Earmark;
  readonly visibility: PledgeVisibility;
  /** The reference of the pledge it re-announces. */
  readonly duplicateOf: string | null;
  readonly notes: string;
}

export interface PledgeLookups {
  /** Null when the actor may record pledges of this donor; else why not. */
  donorProblem(code: string): string | null;
  categoryExists(code: string): boolean;
  packageExists(id: string): boolean;
  refTaken(ref: string): RefTaken;
  /** The donor of the pledge with this reference (an earlier row or the database), if any. */
  donorOfPledge(ref: string): string | undefined;
  readonly sourceRequired: boolean;
  readonly refsGiven: boolean;
}

export type RowOutcome<T> =
  | { readonly value: T; readonly errors: [] }
  | { readonly value?: undefined; readonly errors: FieldError[] };

function outcome<T>(reader: RowReader, build: () => T): RowOutcome<T> {
  return reader.errors.length ? { errors: reader.errors } : { value: build(), errors: [] };
}

function reference(
  reader: RowReader,
  pattern: RegExp,
  example: string,
  lookups: { refTaken(ref: string): RefTaken; refsGiven: boolean },
): string | null | undefined {
  if (!lookups.refsGiven) return null;
  const ref = reader.text('ref', { max: 20 });
  if (ref === undefined) {
    if (!reader.has('ref')) reader.problem('ref', 'required on every row when the file names references');
    return undefined;
  }
  if (!pattern.test(ref)) {
    reader.problem('ref', `'${ref}' is not a reference like ${example}`);
    return undefined;
  }
  const taken = lookups.refTaken(ref);
  if (taken === 'file') reader.problem('ref', `${ref} appears on an earlier row of the file`);
  if (taken === 'database') reader.problem('ref', `${ref} exists already`);
  return ref;
}

/** The path of a core check's field error (`/committedOn`) as a column name. */
function columnOf(error: FieldError | undefined, fallback: string): string {
  const name = error?.path.replace(/^\//, '').split('/')[0];
  return name ? name : fallback;
}

export const ImportRows = {
  /** Checks one requirement row; every problem of the row is reported with its column. */
  requirement(
    row: number,
    map: HeaderMap,
    cells: readonly Cell[],
    lookups: RequirementLookups,
  ): RowOutcome<RequirementRow> {
    const reader = new RowReader(row, map, cells);
    const ref = reference(reader, requirementRefPattern, 'REQ-0042', lookups);
    const title = reader.text('title', { required: true, max: Limits.titleLengthMax });
    const category = reader.text('category', { required: true, max: Limits.codeLengthMax });
    if (category !== undefined && !lookups.categoryExists(category))
      reader.problem('category', `unknown category '${category}'`);
    const quantity = reader.integer('quantity', 1, Limits.quantityMax);
    const unit = reader.text('unit', { required: true, max: Limits.unitLengthMax });
    const unitCost = reader.money('unitCost', 'currency', { required: true });
    if (unitCost && unitCost.minor < 0n) reader.problem('unitCost', 'a unit cost cannot be negative');
    if (unitCost && quantity !== undefined && !fitsEstimate(quantity, unitCost))
      reader.problem('unitCost', 'quantity × unit cost is beyond the largest amount handled');
    const anyStatus = reader.choice('status', requirementStatuses, 'draft');
    const status = importableRequirementStatuses.find((known) => known === anyStatus);
    if (anyStatus !== undefined && status === undefined)
      reader.problem(
        'status',
        `a ${anyStatus} line follows its package or left the list; import it as validated, or leave it out`,
      );
    if (status !== undefined && !lookups.allowedStatuses.includes(status))
      reader.problem('status', `your role may import lines as ${lookups.allowedStatuses.join(' or ')} only`);
    const visibility = reader.choice('visibility', requirementVisibilities, 'restricted');
    const notes = reader.text('notes', { max: Limits.notesLengthMax }) ?? '';
    return outcome(reader, () => ({
      row,
      ref: ref ?? null,
      title: title ?? '',
      category: category ?? '',
      quantity: quantity ?? 0,
      unit: unit ?? '',
      unitCost: unitCost as Money,
      status: status ?? 'draft',
      visibility: visibility ?? 'restricted',
      notes,
    }));
  },

  /** Checks one pledge row as `Pledges.check` would, with every problem reported by column. */
  pledge(row: number, map: HeaderMap, cells: readonly Cell[], lookups: PledgeLookups): RowOutcome<PledgeRow> {
    const reader = new RowReader(row, map, cells);
    const ref = reference(reader, pledgeRefPattern, 'P-17', lookups);
    const donor = reader.text('donor', { required: true, max: 16 })?.toUpperCase();
    if (donor !== undefined) {
      const problem = organizationCodePattern.test(donor)
        ? lookups.donorProblem(donor)
        : 'not an organisation code such as GBR';
      if (problem) reader.problem('donor', problem);
    }
    const amount = reader.money('amount', 'currency', { required: false });
    const announcedOn = reader.date('announcedOn', { required: true });
    const forum = reader.text('forum', { max: Limits.nameLengthMax }) ?? '';
    const source = reader.text('source', { max: Limits.notesLengthMax }) ?? '';
    if (lookups.sourceRequired && !source)
      reader.problem('source', 'required: a pledge recorded on a donor’s behalf cites its public source');
    const stage = reader.choice('stage', pledgeStages, 'announced');
    const committedOn = reader.date('committedOn') ?? null;
    const paidOn = reader.date('paidOn') ?? null;
    const visibility = reader.choice('visibility', pledgeVisibilities, 'public');
    const notes = reader.text('notes', { max: Limits.notesLengthMax }) ?? '';
    const codes = (reader.text('earmarkCategories', { max: Limits.notesLengthMax }) ?? '')
      .split(/[;,\s]+/)
      .filter((code) => code !== '');
    const packageId = reader.text('earmarkPackageId', { max: Limits.codeLengthMax });
    let earmark: Earmark = Earmark.none;
    try {
      earmark = Earmark.fromJson({
        ...(codes.length ? { categories: codes } : {}),
        ...(packageId !== undefined ? { packageId } : {}),
      });
    } catch (error) {
      reader.failure(
        codes.length && packageId !== undefined ? 'earmarkPackageId' : 'earmarkCategories',
        error,
      );
    }
    for (const code of codes) {
      if (!lookups.categoryExists(code))
        reader.problem('earmarkCategories', `unknown category '${code.slice(0, 40)}'`);
    }
    if (packageId !== undefined && !lookups.packageExists(packageId))
      reader.problem('earmarkPackageId', `unknown package '${packageId}'`);
    const duplicateOf = reader.text('duplicateOf', { max: 20 }) ?? null;
    if (duplicateOf !== null) {
      const originalDonor = lookups.donorOfPledge(duplicateOf);
      if (originalDonor === undefined)
        reader.problem(
          'duplicateOf',
          `no pledge ${duplicateOf.slice(0, 20)} in the database or on an earlier row`,
        );
      else if (donor !== undefined && originalDonor !== donor)
        reader.problem('duplicateOf', `${duplicateOf} is a pledge of ${originalDonor}, not of ${donor}`);
      else if (duplicateOf === ref) reader.problem('duplicateOf', 'a pledge cannot re-announce itself');
    }
    if (
      !reader.errors.length &&
      donor !== undefined &&
      announcedOn !== undefined &&
      stage &&
      visibility &&
      amount !== undefined
    ) {
      try {
        Pledges.check({
          id: ref ?? `row ${row}`,
          ref: ref ?? '',
          donor,
          amount,
          announcedOn,
          forum,
          source,
          stage,
          committedOn,
          paidOn,
          earmark,
          visibility,
          duplicateOf: duplicateOf === null ? null : `the pledge ${duplicateOf}`,
        });
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
        reader.problem(
          columnOf(error.errors[0], stage === 'announced' ? 'announcedOn' : `${stage}On`),
          error.detail,
        );
      }
    }
    return outcome(reader, () => ({
      row,
      ref: ref ?? null,
      donor: donor ?? '',
      amount: amount ?? null,
      announcedOn: announcedOn ?? '',
      forum,
      source,
      stage: stage ?? 'announced',
      committedOn,
      paidOn,
      earmark,
      visibility: visibility ?? 'public',
      duplicateOf,
      notes,
    }));
  },
} as const;

/** Whether the line's estimate, quantity × unit cost, is an amount the ledger handles. */
function fitsEstimate(quantity: number, unitCost: Money): boolean {
  try {
    Requirements.estimatedCost({ quantity, unitCost });
    return true;
  } catch (error) {
    if (error instanceof Failure && error.code === 'MONEY_OUT_OF_RANGE') return false;
    throw error;
  }
}
