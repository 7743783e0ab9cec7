import { Policy } from '../../core/access/policy.ts';
import type { Actor } from '../../core/directory/organization.ts';
import { Failure } from '../../core/errors.ts';
import type { Cell, SheetRow } from '../../core/imports/cell.ts';
import {
  type ImportableRequirementStatus,
  ImportRows,
  type PledgeRow,
  type RefTaken,
  type RequirementRow,
} from '../../core/imports/import-rows.ts';
import {
  type HeaderMap,
  ImportHeader,
  type ImportKind,
  importTemplates,
} from '../../core/imports/import-template.ts';
import { ImportProblems } from '../../core/imports/problems.ts';
import type { Rate } from '../../core/money/rate.ts';
import { Pledges } from '../../core/pledges/pledge.ts';
import { PledgeLedger } from '../../core/pledges/pledge-ledger.ts';
import type { Requirement } from '../../core/requirements/requirement.ts';
import { Requirements } from '../../core/requirements/requirement.ts';
import type { StoredPledge } from '../../store/pledge.repository.ts';
import type { Repositories } from '../../store/unit-of-work.ts';
import { type AppContext, audit, authorize, systemActor, timestamp } from '../context.ts';
import { rateInForce } from '../fx-rates.ts';
import { writeEntries } from '../ledger.ts';
import { type ReadProgress, readSheet, type SheetSource } from './sheet-reader.ts';

export interface ImportOptions {
  /** Check every row and report every problem; write nothing. */
  readonly dryRun: boolean;
  readonly onProgress?: (progress: ReadProgress) => void;
}

export interface ImportOutcome {
  readonly kind: ImportKind;
  readonly dryRun: boolean;
  /** Data rows read (and, unless a dry run, objects created: one per row). */
  readonly rows: number;
  readonly created: number;
  readonly firstRef: string | null;
  readonly lastRef: string | null;
}

/** Rows are checked and written in batches: one query per batch looks up the references it names. */
const batchSize = 500;

async function* batches(rows: AsyncIterable<SheetRow>): AsyncGenerator<SheetRow[]> {
  let batch: SheetRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Reads the header row; a file without one, or with a wrong one, is refused as a whole. */
async function header(
  rows: AsyncGenerator<SheetRow>,
  kind: ImportKind,
): Promise<{ map: HeaderMap; refsGiven: boolean }> {
  const first = await rows.next();
  if (first.done) throw new Failure('IMPORT_FILE_INVALID', 'The file is empty: it has no header row.');
  const { map, errors } = ImportHeader.resolve(importTemplates[kind], first.value.cells);
  if (errors.length) {
    const problems = new ImportProblems();
    problems.add(errors);
    throw problems.failure('IMPORT_FILE_INVALID', `The header row of the ${kind} file`);
  }
  return { map, refsGiven: map.positions.includes('ref') };
}

function refNumber(ref: string): number {
  return Number.parseInt(ref.replace(/^\D+/, ''), 10);
}

async function allCategories(repositories: Repositories): Promise<Set<string>> {
  const codes = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await repositories.categories.list({ limit: 500, cursor });
    for (const category of page.items) codes.add(category.code);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return codes;
}

function requirementStatusesFor(actor: Actor): readonly ImportableRequirementStatus[] {
  if (actor === systemActor) return ['draft', 'submitted', 'validated'];
  const statuses: ImportableRequirementStatus[] = ['draft'];
  if (Policy.allows(actor.role, 'requirement.submit')) statuses.push('submitted');
  if (statuses.includes('submitted') && Policy.allows(actor.role, 'requirement.validate'))
    statuses.push('validated');
  return statuses;
}

/**
 * Runs one pass over the file: checks every row (all problems, by row and column) and, when
 * `write`, writes each row while the file has no problem so far. The caller runs a writing pass
 * inside one transaction, which a problem rolls back whole.
 */
type Pass = (repositories: Repositories, write: boolean) => Promise<ImportOutcome>;

async function runImport(context: AppContext, options: ImportOptions, pass: Pass): Promise<ImportOutcome> {
  if (options.dryRun) return pass(context.store.read, false);
  return context.store.transaction((repositories) => pass(repositories, true));
}

/**
 * Imports requirement lines from a CSV or XLSX file of the template (docs/import.md): all rows or
 * none. The lines join the bottom of the priority list in file order: one new list version.
 */
export async function importRequirements(
  context: AppContext,
  actor: Actor,
  source: SheetSource,
  options: ImportOptions,
): Promise<ImportOutcome> {
  authorize(actor, 'requirement.import');
  const allowedStatuses = requirementStatusesFor(actor);
  return runImport(context, options, async (repositories, write) => {
    const rows = readSheet(source, options.onProgress);
    const { map, refsGiven } = await header(rows, 'requirements');
    const categories = await allCategories(repositories);
    const problems = new ImportProblems();
    const seen = new Set<string>();
    const ranked = write ? (await repositories.requirements.ranked()).map((line) => line.id) : [];
    const created: Requirement[] = [];
    const createdIds: string[] = [];
    let count = 0;
    let firstRef: string | null = null;
    let lastRef: string | null = null;
    let highestRef = 0;
    const now = timestamp(context);
    for await (const batch of batches(rows)) {
      const named = refsGiven ? batch.map((row) => refCell(map, row.cells)).filter((ref) => ref !== '') : [];
      const existing = named.length ? await repositories.requirements.existingRefs(named) : new Set<string>();
      for (const row of batch) {
        count += 1;
        const checked = ImportRows.requirement(row.row, map, row.cells, {
          categoryExists: (code) => categories.has(code),
          refTaken: (ref): RefTaken => (seen.has(ref) ? 'file' : existing.has(ref) ? 'database' : null),
          allowedStatuses,
          refsGiven,
        });
        const ref = refsGiven ? refCell(map, row.cells) : '';
        if (ref) seen.add(ref);
        if (!checked.value) {
          problems.add(checked.errors);
          continue;
        }
        if (!write || problems.count > 0) continue;
        const requirement = await insertRequirement(context, repositories, actor, checked.value, {
          rank: ranked.length + createdIds.length + 1,
          now,
        });
        createdIds.push(requirement.id);
        if (created.length < 1) created.push(requirement);
        firstRef ??= requirement.ref;
        lastRef = requirement.ref;
        if (checked.value.ref) highestRef = Math.max(highestRef, refNumber(checked.value.ref));
      }
    }
    if (count === 0) throw new Failure('IMPORT_FILE_INVALID', 'The file has a header row but no data rows.');
    if (problems.count) throw problems.failure('IMPORT_ROWS_INVALID', 'The requirements file');
    if (write) {
      if (highestRef > 0) await repositories.sequences.advanceTo('requirement', highestRef);
      await recordImportedListVersion(context, repositories, actor, ranked, createdIds);
    }
    return {
      kind: 'requirements',
      dryRun: !write,
      rows: count,
      created: write ? count : 0,
      firstRef,
      lastRef,
    };
  });
}

/** The text of a row's ref cell, for the batch look-up (the row check reads it properly). */
function refCell(map: HeaderMap, cells: readonly Cell[]): string {
  const index = map.positions.indexOf('ref');
  const cell = index < 0 ? undefined : cells[index];
  return cell?.kind === 'text' ? cell.text.trim() : '';
}

async function insertRequirement(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  row: RequirementRow,
  placement: { rank: number; now: string },
): Promise<Requirement> {
  const requirement: Requirement = {
    id: context.newId(),
    ref: row.ref ?? Requirements.ref(await repositories.sequences.next('requirement')),
    title: row.title,
    category: row.category,
    quantity: row.quantity,
    unit: row.unit,
    unitCost: row.unitCost,
    rank: placement.rank,
    status: row.status,
    visibility: row.visibility,
    notes: row.notes,
    version: 1,
    createdAt: placement.now,
    updatedAt: placement.now,
  };
  await repositories.requirements.insert(requirement);
  await audit(context, repositories, actor, {
    action: 'requirement.import',
    objectType: 'requirement',
    objectId: requirement.id,
    before: null,
    after: requirement,
  });
  return requirement;
}

/**
 * One list version for the whole import: the lines that were ranked keep their ranks, the imported
 * ones follow in file order (they were inserted with those ranks, so no rank is rewritten).
 */
async function recordImportedListVersion(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  ranked: readonly string[],
  createdIds: readonly string[],
): Promise<void> {
  const current = await repositories.priorityList.currentVersion();
  const version = current + 1;
  const order = [...ranked, ...createdIds];
  const reason = `${createdIds.length} line${createdIds.length === 1 ? '' : 's'} imported`;
  await repositories.priorityList.insertVersion(
    {
      version,
      createdAt: timestamp(context),
      createdBy: actor.userId,
      reason,
      approvedAt: null,
      approvedBy: null,
    },
    order.map((requirementId, index) => ({ requirementId, rank: index + 1 })),
  );
  await audit(context, repositories, actor, {
    action: 'priority-list.version',
    objectType: 'priority-list',
    objectId: String(version),
    before: { version: current },
    after: { version, reason, order },
  });
}

/**
 * Imports pledges from a CSV or XLSX file of the template: a coordinator records public
 * announcements (each with its source), a donor its own organisation's pledges only. Each pledge
 * is valued in USD at the rate of its latest stage and writes its journal entries, as one recorded
 * by hand would; all rows or none.
 */
export async function importPledges(
  context: AppContext,
  actor: Actor,
  source: SheetSource,
  options: ImportOptions,
): Promise<ImportOutcome> {
  authorize(actor, 'pledge.import');
  return runImport(context, options, async (repositories, write) => {
    const rows = readSheet(source, options.onProgress);
    const { map, refsGiven } = await header(rows, 'pledges');
    const categories = await allCategories(repositories);
    const problems = new ImportProblems();
    /** Pledges of this file by reference: what a later row's duplicateOf may name. */
    const inFile = new Map<string, { id: string; donor: string }>();
    const donorKinds = new Map<string, string | null>();
    const packages = new Map<string, boolean>();
    const rates = new Map<string, Rate | Failure>();
    let count = 0;
    let firstRef: string | null = null;
    let lastRef: string | null = null;
    let highestRef = 0;
    const now = timestamp(context);
    const column = (key: string) => map.positions.indexOf(key);
    const textAt = (cells: readonly Cell[], key: string): string => {
      const cell = cells[column(key)];
      return cell?.kind === 'text' ? cell.text.trim() : '';
    };
    for await (const batch of batches(rows)) {
      const refs = batch.flatMap((row) => [textAt(row.cells, 'ref'), textAt(row.cells, 'duplicateOf')]);
      const known = await repositories.pledges.findRefs(refs.filter((ref) => ref !== ''));
      for (const row of batch) {
        const code = textAt(row.cells, 'donor').toUpperCase();
        if (code && !donorKinds.has(code))
          donorKinds.set(code, (await repositories.organizations.findByCode(code))?.kind ?? null);
        const packageId = textAt(row.cells, 'earmarkPackageId');
        if (packageId && !packages.has(packageId))
          packages.set(packageId, await repositories.packages.exists(packageId));
      }
      for (const row of batch) {
        count += 1;
        const checked = ImportRows.pledge(row.row, map, row.cells, {
          donorProblem: (code) => {
            if (donorKinds.get(code) !== 'donor') return `no donor organisation has the code '${code}'`;
            if (actor.role === 'donor' && actor !== systemActor && code !== actor.organizationCode)
              return `a donor imports its own pledges only; you act for ${actor.organizationCode}`;
            return null;
          },
          categoryExists: (code) => categories.has(code),
          packageExists: (id) => packages.get(id) === true,
          refTaken: (ref) => (inFile.has(ref) ? 'file' : known.has(ref) ? 'database' : null),
          donorOfPledge: (ref) => (inFile.get(ref) ?? known.get(ref))?.donor,
          sourceRequired: actor.role === 'coordinator',
          refsGiven,
        });
        const ref = refsGiven ? textAt(row.cells, 'ref') : '';
        const id = context.newId();
        if (ref && !inFile.has(ref)) inFile.set(ref, { id, donor: textAt(row.cells, 'donor').toUpperCase() });
        if (!checked.value) {
          problems.add(checked.errors);
          continue;
        }
        const pledgeRow = checked.value;
        const rate = await usdRate(repositories, rates, pledgeRow);
        if (rate instanceof Failure) {
          problems.add([{ path: `row ${row.row}, column currency`, message: rate.detail }]);
          continue;
        }
        if (!write || problems.count > 0) continue;
        const duplicateOf =
          pledgeRow.duplicateOf === null
            ? null
            : ((inFile.get(pledgeRow.duplicateOf) ?? known.get(pledgeRow.duplicateOf))?.id ?? null);
        const pledge = await insertPledge(context, repositories, actor, pledgeRow, {
          id,
          duplicateOf,
          rate,
          now,
        });
        if (!ref) inFile.set(pledge.ref, { id, donor: pledge.donor });
        firstRef ??= pledge.ref;
        lastRef = pledge.ref;
        if (pledgeRow.ref) highestRef = Math.max(highestRef, refNumber(pledgeRow.ref));
      }
    }
    if (count === 0) throw new Failure('IMPORT_FILE_INVALID', 'The file has a header row but no data rows.');
    if (problems.count) throw problems.failure('IMPORT_ROWS_INVALID', 'The pledges file');
    if (write && highestRef > 0) await repositories.sequences.advanceTo('pledge', highestRef);
    return { kind: 'pledges', dryRun: !write, rows: count, created: write ? count : 0, firstRef, lastRef };
  });
}

/** The per-USD rate of the pledge's latest stage (null for USD or no amount), or why there is none. */
async function usdRate(
  repositories: Repositories,
  cache: Map<string, Rate | Failure>,
  row: PledgeRow,
): Promise<Rate | Failure | null> {
  if (row.amount === null || row.amount.currency === 'USD') return null;
  const on = row.paidOn ?? row.committedOn ?? row.announcedOn;
  const key = `${row.amount.currency} ${on}`;
  let rate = cache.get(key);
  if (rate === undefined) {
    try {
      rate = await rateInForce(repositories, row.amount.currency, on);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      rate = error;
    }
    cache.set(key, rate);
  }
  return rate;
}

async function insertPledge(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  row: PledgeRow,
  facts: { id: string; duplicateOf: string | null; rate: Rate | null; now: string },
): Promise<StoredPledge> {
  const ref = row.ref ?? Pledges.ref(await repositories.sequences.next('pledge'));
  const pledge: StoredPledge = {
    ...Pledges.create(
      {
        id: facts.id,
        ref,
        donor: row.donor,
        amount: row.amount,
        announcedOn: row.announcedOn,
        forum: row.forum,
        source: row.source,
        stage: row.stage,
        committedOn: row.committedOn,
        paidOn: row.paidOn,
        earmark: row.earmark,
        visibility: row.visibility,
        duplicateOf: facts.duplicateOf,
      },
      facts.rate,
    ),
    notes: row.notes,
    version: 1,
    recordedBy: actor.userId,
    createdAt: facts.now,
    updatedAt: facts.now,
  };
  await repositories.pledges.insert(pledge);
  await writeEntries(context, repositories, PledgeLedger.creationEntries(pledge));
  await audit(context, repositories, actor, {
    action: 'pledge.import',
    objectType: 'pledge',
    objectId: pledge.id,
    before: null,
    after: pledge,
  });
  return pledge;
}
