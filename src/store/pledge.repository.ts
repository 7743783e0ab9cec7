import type { Kysely, Selectable } from 'kysely';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import { Earmark, type EarmarkJson } from '../core/pledges/earmark.ts';
import type { Pledge, PledgeStage, PledgeVisibility } from '../core/pledges/pledge.ts';
import { inBatches } from './batches.ts';
import { readInteger, readMinorUnits } from './columns.ts';
import type { Database, PledgeTable } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

/** A pledge with what the store keeps about the record itself. */
export interface StoredPledge extends Pledge {
  readonly notes: string;
  readonly version: number;
  readonly recordedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PledgeFilter {
  readonly donor?: string;
  readonly stage?: PledgeStage;
  /** Only pledges whose visibility is one of these (what the caller may see). */
  readonly visibilities?: readonly PledgeVisibility[];
}

function toPledge(row: Selectable<PledgeTable>): StoredPledge {
  const currency = row.currency === null ? null : Currency.parse(row.currency);
  const usdCurrency = Currency.parse('USD');
  return {
    id: row.id,
    ref: row.ref,
    donor: row.donor_code,
    amount:
      row.amount_minor === null || currency === null
        ? null
        : Money.of(readMinorUnits(row.amount_minor), currency),
    announcedOn: row.announced_on,
    forum: row.forum,
    source: row.source,
    stage: row.stage as PledgeStage,
    committedOn: row.committed_on,
    paidOn: row.paid_on,
    earmark: Earmark.fromJson(JSON.parse(row.earmark) as EarmarkJson),
    visibility: row.visibility as PledgeVisibility,
    duplicateOf: row.duplicate_of,
    usd:
      row.usd_minor === null ||
      row.usd_per_usd === null ||
      row.usd_rate_date === null ||
      row.usd_rate_source === null
        ? null
        : {
            amount: Money.of(readMinorUnits(row.usd_minor), usdCurrency),
            perUsd: row.usd_per_usd,
            rateDate: row.usd_rate_date,
            rateSource: row.usd_rate_source,
          },
    notes: row.notes,
    version: readInteger(row.version),
    recordedBy: row.recorded_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(pledge: StoredPledge) {
  return {
    id: pledge.id,
    ref: pledge.ref,
    donor_code: pledge.donor,
    amount_minor: pledge.amount?.minor ?? null,
    currency: pledge.amount?.currency ?? null,
    announced_on: pledge.announcedOn,
    forum: pledge.forum,
    source: pledge.source,
    stage: pledge.stage,
    committed_on: pledge.committedOn,
    paid_on: pledge.paidOn,
    earmark: JSON.stringify({ kind: pledge.earmark.kind, ...Earmark.toJson(pledge.earmark) }),
    earmark_package_id: pledge.earmark.kind === 'package' ? pledge.earmark.packageId : null,
    visibility: pledge.visibility,
    duplicate_of: pledge.duplicateOf,
    usd_minor: pledge.usd?.amount.minor ?? null,
    usd_per_usd: pledge.usd?.perUsd ?? null,
    usd_rate_date: pledge.usd?.rateDate ?? null,
    usd_rate_source: pledge.usd?.rateSource ?? null,
    notes: pledge.notes,
    version: pledge.version,
    recorded_by: pledge.recordedBy,
    created_at: pledge.createdAt,
    updated_at: pledge.updatedAt,
  };
}

export class PledgeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(pledge: StoredPledge): Promise<void> {
    await this.db.insertInto('pledge').values(toRow(pledge)).execute();
  }

  async findById(id: string): Promise<StoredPledge | undefined> {
    const row = await this.db.selectFrom('pledge').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toPledge(row);
  }

  async findByRef(ref: string): Promise<StoredPledge | undefined> {
    const row = await this.db.selectFrom('pledge').selectAll().where('ref', '=', ref).executeTakeFirst();
    return row && toPledge(row);
  }

  /** Each of `ids` that exists, by id. */
  async findByIds(ids: readonly string[]): Promise<Map<string, StoredPledge>> {
    const found = new Map<string, StoredPledge>();
    for (const batch of inBatches([...new Set(ids)])) {
      const rows = await this.db.selectFrom('pledge').selectAll().where('id', 'in', batch).execute();
      for (const row of rows) found.set(row.id, toPledge(row));
    }
    return found;
  }

  /** The id and donor of each of `refs` that exists (an import checks its references in batches). */
  async findRefs(refs: readonly string[]): Promise<Map<string, { id: string; donor: string }>> {
    const found = new Map<string, { id: string; donor: string }>();
    for (const batch of inBatches(refs)) {
      const rows = await this.db
        .selectFrom('pledge')
        .select(['ref', 'id', 'donor_code'])
        .where('ref', 'in', batch)
        .execute();
      for (const row of rows) found.set(row.ref, { id: row.id, donor: row.donor_code });
    }
    return found;
  }

  /** Writes `next` only if the row is still at `expectedVersion`; false when another writer won. */
  async update(next: StoredPledge, expectedVersion: number): Promise<boolean> {
    const { id, ref, created_at, ...changes } = toRow(next);
    const result = await this.db
      .updateTable('pledge')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async list(filter: PledgeFilter, page: PageRequest): Promise<Page<StoredPledge>> {
    let query = this.db
      .selectFrom('pledge')
      .selectAll()
      .orderBy('announced_on')
      .orderBy('id')
      .limit(page.limit + 1);
    if (filter.donor) query = query.where('donor_code', '=', filter.donor);
    if (filter.stage) query = query.where('stage', '=', filter.stage);
    if (filter.visibilities) query = query.where('visibility', 'in', [...filter.visibilities]);
    if (page.cursor) {
      const [announcedOn = '', id = ''] = Cursor.decode(page.cursor);
      query = query.where((eb) =>
        eb.or([
          eb('announced_on', '>', announcedOn),
          eb.and([eb('announced_on', '=', announcedOn), eb('id', '>', id)]),
        ]),
      );
    }
    const rows = await query.execute();
    return Cursor.page(rows.map(toPledge), page.limit, (pledge) => [pledge.announcedOn, pledge.id]);
  }

  /** Every pledge (the public summary and reports aggregate over them all). */
  async all(): Promise<StoredPledge[]> {
    const rows = await this.db
      .selectFrom('pledge')
      .selectAll()
      .orderBy('announced_on')
      .orderBy('id')
      .execute();
    return rows.map(toPledge);
  }
}
