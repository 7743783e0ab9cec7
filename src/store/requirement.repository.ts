import type { Kysely, Selectable } from 'kysely';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import type { Requirement, RequirementVisibility } from '../core/requirements/requirement.ts';
import type { RequirementStatus } from '../core/requirements/requirement-status.ts';
import { inBatches } from './batches.ts';
import { readInteger, readMinorUnits } from './columns.ts';
import type { Database, RequirementTable } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

function toRequirement(row: Selectable<RequirementTable>): Requirement {
  return {
    id: row.id,
    ref: row.ref,
    title: row.title,
    category: row.category_code,
    quantity: readInteger(row.quantity),
    unit: row.unit,
    unitCost: Money.of(readMinorUnits(row.unit_cost_minor), Currency.parse(row.unit_cost_currency)),
    rank: row.rank === null ? null : readInteger(row.rank),
    status: row.status as RequirementStatus,
    visibility: row.visibility as RequirementVisibility,
    notes: row.notes,
    version: readInteger(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(requirement: Requirement) {
  return {
    id: requirement.id,
    ref: requirement.ref,
    title: requirement.title,
    category_code: requirement.category,
    quantity: requirement.quantity,
    unit: requirement.unit,
    unit_cost_minor: requirement.unitCost.minor,
    unit_cost_currency: requirement.unitCost.currency,
    rank: requirement.rank,
    status: requirement.status,
    visibility: requirement.visibility,
    notes: requirement.notes,
    version: requirement.version,
    created_at: requirement.createdAt,
    updated_at: requirement.updatedAt,
  };
}

export interface RequirementFilter {
  readonly status?: RequirementStatus;
  readonly category?: string;
}

export class RequirementRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(requirement: Requirement): Promise<void> {
    await this.db.insertInto('requirement').values(toRow(requirement)).execute();
  }

  async findById(id: string): Promise<Requirement | undefined> {
    const row = await this.db.selectFrom('requirement').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRequirement(row);
  }

  /**
   * Writes `next` only if the stored row still has `expectedVersion`; returns false when another
   * writer got there first (the caller answers 412 and nothing is written).
   */
  async update(next: Requirement, expectedVersion: number): Promise<boolean> {
    const { id, ref, created_at, ...changes } = toRow(next);
    const result = await this.db
      .updateTable('requirement')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async findByIds(ids: readonly string[]): Promise<Requirement[]> {
    const result: Requirement[] = [];
    for (const batch of inBatches(ids)) {
      const rows = await this.db.selectFrom('requirement').selectAll().where('id', 'in', batch).execute();
      result.push(...rows.map(toRequirement));
    }
    return result;
  }

  /**
   * Moves a line to the status its packages give it, with a version bump, if the stored row still
   * has `expectedVersion`; false when another writer got there first.
   */
  async updateStatus(
    id: string,
    status: RequirementStatus,
    expectedVersion: number,
    updatedAt: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('requirement')
      .set({ status, version: expectedVersion + 1, updated_at: updatedAt })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Which of `refs` exist already (an import checks its references in batches). */
  async existingRefs(refs: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < refs.length; start += 500) {
      const rows = await this.db
        .selectFrom('requirement')
        .select('ref')
        .where('ref', 'in', refs.slice(start, start + 500))
        .execute();
      for (const row of rows) found.add(row.ref);
    }
    return found;
  }

  async setRank(id: string, rank: number | null): Promise<void> {
    await this.db.updateTable('requirement').set({ rank }).where('id', '=', id).execute();
  }

  /** Active lines (those holding a rank) in rank order. */
  async ranked(): Promise<Requirement[]> {
    const rows = await this.db
      .selectFrom('requirement')
      .selectAll()
      .where('rank', 'is not', null)
      .orderBy('rank')
      .execute();
    return rows.map(toRequirement);
  }

  async list(filter: RequirementFilter, page: PageRequest): Promise<Page<Requirement>> {
    let query = this.db
      .selectFrom('requirement')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit + 1);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.category) query = query.where('category_code', '=', filter.category);
    if (page.cursor) {
      const [createdAt = '', id = ''] = Cursor.decode(page.cursor);
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)]),
        ]),
      );
    }
    const rows = await query.execute();
    return Cursor.page(rows.map(toRequirement), page.limit, (r) => [r.createdAt, r.id]);
  }
}
