import type { Kysely, Selectable } from 'kysely';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import { readMinorUnits } from './columns.ts';
import type { AllocationTable, Database } from './database.ts';

/** Money of one pledge assigned to one package line, in USD and in the pledge's own currency. */
export interface Allocation {
  readonly id: string;
  /** The plan (a digest of the engine's inputs) that made it. */
  readonly planId: string;
  readonly pledgeId: string;
  readonly packageId: string;
  readonly lineId: string;
  readonly usd: Money;
  readonly amount: Money;
  /** The journal entry that recorded it. */
  readonly entryId: string;
  readonly createdAt: string;
  /** Set when the money went back to the pledge (the package was cancelled); never deleted. */
  readonly releasedAt: string | null;
  readonly releaseEntryId: string | null;
}

/** What a pledge has allocated (active allocations only), in USD and in its own currency. */
export interface PledgeAllocated {
  readonly usd: bigint;
  readonly amount: Money;
}

const batchSize = 500;

function toAllocation(row: Selectable<AllocationTable>): Allocation {
  return {
    id: row.id,
    planId: row.plan_id,
    pledgeId: row.pledge_id,
    packageId: row.package_id,
    lineId: row.line_id,
    usd: Money.of(readMinorUnits(row.usd_minor), Currency.parse('USD')),
    amount: Money.of(readMinorUnits(row.amount_minor), Currency.parse(row.currency)),
    entryId: row.entry_id,
    createdAt: row.created_at,
    releasedAt: row.released_at,
    releaseEntryId: row.release_entry_id,
  };
}

/**
 * Allocations: inserted by the allocation engine's apply, released (never deleted or edited
 * otherwise) when their package is cancelled. "Active" means not released.
 */
export class AllocationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertMany(allocations: readonly Allocation[]): Promise<void> {
    const rows = allocations.map((allocation) => ({
      id: allocation.id,
      plan_id: allocation.planId,
      pledge_id: allocation.pledgeId,
      package_id: allocation.packageId,
      line_id: allocation.lineId,
      usd_minor: allocation.usd.minor,
      amount_minor: allocation.amount.minor,
      currency: allocation.amount.currency,
      entry_id: allocation.entryId,
      created_at: allocation.createdAt,
      released_at: allocation.releasedAt,
      release_entry_id: allocation.releaseEntryId,
    }));
    for (let start = 0; start < rows.length; start += batchSize) {
      await this.db
        .insertInto('allocation')
        .values(rows.slice(start, start + batchSize))
        .execute();
    }
  }

  /**
   * Takes the row locks of every open package until the transaction ends (an update that changes
   * nothing; SQLite runs one writer at a time anyway). An apply takes them before it reads its
   * inputs: a concurrent apply then waits and reads the first one's allocations (its plan is
   * stale), and a concurrent cancellation, whose package update waits here, reads the new
   * allocations before it releases them.
   */
  async lockOpenPackages(): Promise<void> {
    await this.db
      .updateTable('package')
      .set((eb) => ({ version: eb.ref('version') }))
      .where('status', '=', 'open')
      .execute();
  }

  activeByPackage(packageId: string): Promise<Allocation[]> {
    return this.active('package_id', packageId);
  }

  activeByPledge(pledgeId: string): Promise<Allocation[]> {
    return this.active('pledge_id', pledgeId);
  }

  activeByLine(lineId: string): Promise<Allocation[]> {
    return this.active('line_id', lineId);
  }

  /** Active allocations recorded by one journal entry (whichever packages they are on). */
  activeByEntry(entryId: string): Promise<Allocation[]> {
    return this.active('entry_id', entryId);
  }

  /** USD minor units of active allocations per line; lines without any are absent. */
  async allocatedByLine(lineIds?: readonly string[]): Promise<Map<string, bigint>> {
    return this.sumUsd('line_id', lineIds);
  }

  /** USD minor units of active allocations per package (its `funded` figure); absent means none. */
  async allocatedByPackage(packageIds?: readonly string[]): Promise<Map<string, bigint>> {
    return this.sumUsd('package_id', packageIds);
  }

  /** What each pledge has allocated (active only), in USD and its own currency; absent means nothing. */
  async allocatedByPledge(pledgeIds?: readonly string[]): Promise<Map<string, PledgeAllocated>> {
    const result = new Map<string, PledgeAllocated>();
    const chunks = pledgeIds === undefined ? [undefined] : chunk(pledgeIds);
    for (const ids of chunks) {
      let query = this.db
        .selectFrom('allocation')
        .select(['pledge_id', 'currency'])
        .select((eb) => [
          eb.fn.sum<bigint | string>('usd_minor').as('usd'),
          eb.fn.sum<bigint | string>('amount_minor').as('amount'),
        ])
        .where('released_at', 'is', null)
        .groupBy(['pledge_id', 'currency']);
      if (ids !== undefined) query = query.where('pledge_id', 'in', ids);
      for (const row of await query.execute()) {
        // A pledge has one currency, so it has one row.
        result.set(row.pledge_id, {
          usd: readMinorUnits(row.usd),
          amount: Money.of(readMinorUnits(row.amount), Currency.parse(row.currency)),
        });
      }
    }
    return result;
  }

  /** USD minor units of the active allocations, summed per pledge and package. */
  async activeByPledgeAndPackage(): Promise<{ pledgeId: string; packageId: string; usd: bigint }[]> {
    const rows = await this.db
      .selectFrom('allocation')
      .select(['pledge_id', 'package_id'])
      .select((eb) => eb.fn.sum<bigint | string>('usd_minor').as('usd'))
      .where('released_at', 'is', null)
      .groupBy(['pledge_id', 'package_id'])
      .orderBy('pledge_id')
      .orderBy('package_id')
      .execute();
    return rows.map((row) => ({
      pledgeId: row.pledge_id,
      packageId: row.package_id,
      usd: readMinorUnits(row.usd),
    }));
  }

  /**
   * Releases the active allocations of a package that one journal entry recorded, naming the entry
   * that reversed it; returns how many were released.
   */
  async releaseByPackage(
    packageId: string,
    entryId: string,
    release: { readonly releasedAt: string; readonly releaseEntryId: string },
  ): Promise<number> {
    const result = await this.db
      .updateTable('allocation')
      .set({ released_at: release.releasedAt, release_entry_id: release.releaseEntryId })
      .where('package_id', '=', packageId)
      .where('entry_id', '=', entryId)
      .where('released_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Whether pledges of this donor were ever allocated to the package (released ones count). */
  async donorFunds(donorCode: string, packageId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('allocation')
      .innerJoin('pledge', 'pledge.id', 'allocation.pledge_id')
      .select('allocation.id')
      .where('allocation.package_id', '=', packageId)
      .where('pledge.donor_code', '=', donorCode)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async active(
    column: 'package_id' | 'pledge_id' | 'line_id' | 'entry_id',
    value: string,
  ): Promise<Allocation[]> {
    const rows = await this.db
      .selectFrom('allocation')
      .selectAll()
      .where(column, '=', value)
      .where('released_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toAllocation);
  }

  private async sumUsd(
    column: 'line_id' | 'package_id',
    ids: readonly string[] | undefined,
  ): Promise<Map<string, bigint>> {
    const result = new Map<string, bigint>();
    const chunks = ids === undefined ? [undefined] : chunk(ids);
    for (const part of chunks) {
      let query = this.db
        .selectFrom('allocation')
        .select(`${column} as key`)
        .select((eb) => eb.fn.sum<bigint | string>('usd_minor').as('usd'))
        .where('released_at', 'is', null)
        .groupBy(column);
      if (part !== undefined) query = query.where(column, 'in', part);
      for (const row of await query.execute()) result.set(row.key, readMinorUnits(row.usd));
    }
    return result;
  }
}

function chunk(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += batchSize)
    chunks.push(ids.slice(start, start + batchSize));
  return chunks;
}
