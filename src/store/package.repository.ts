import type { Kysely, Selectable } from 'kysely';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import type { Delivery } from '../core/packages/delivery.ts';
import { type Package, type PackageLine, Packages } from '../core/packages/package.ts';
import type { PackageStatus } from '../core/packages/package-status.ts';
import type { RequirementShare } from '../core/packages/packaged-requirement.ts';
import { readInteger, readMinorUnits } from './columns.ts';
import type { Database, DeliveryTable, PackageLineTable, PackageTable } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

export interface PackageFilter {
  readonly status?: PackageStatus;
  /** Only packages that pledges of this donor were ever allocated to (what a donor may see). */
  readonly fundedBy?: string;
}

/** A line of an open package as the allocation engine takes it, with its ordering keys. */
export interface OpenLineRow {
  readonly line: PackageLine;
  readonly packageRef: string;
  readonly packageRank: number;
  readonly requirementRank: number | null;
}

type LineRow = Selectable<PackageLineTable> & {
  requirement_ref: string;
  requirement_rank: number | bigint | null;
};

const usd = Currency.parse('USD');
const batchSize = 500;

function toLine(row: LineRow): PackageLine {
  return {
    id: row.id,
    packageId: row.package_id,
    lineNo: readInteger(row.line_no),
    requirementId: row.requirement_id,
    requirementRef: row.requirement_ref,
    category: row.category,
    quantity: readInteger(row.quantity),
    amount: row.amount_minor === null ? null : Money.of(readMinorUnits(row.amount_minor), usd),
    deliveredQuantity: readInteger(row.delivered_quantity),
    receivedQuantity: readInteger(row.received_quantity),
  };
}

function rankOfRow(row: LineRow): number | null {
  return row.requirement_rank === null ? null : readInteger(row.requirement_rank);
}

function toPackage(row: Selectable<PackageTable>, lines: readonly LineRow[]): Package {
  return {
    id: row.id,
    ref: row.ref,
    name: row.name,
    rank: readInteger(row.rank),
    target: Money.of(readMinorUnits(row.target_minor), usd),
    status: row.status as PackageStatus,
    lines: Packages.linesInPriorityOrder(
      lines.map((line) => ({ row: line, lineNo: readInteger(line.line_no) })),
      (line) => rankOfRow(line.row),
    ).map((line) => toLine(line.row)),
    version: readInteger(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: Selectable<DeliveryTable>): Delivery {
  return {
    id: row.id,
    packageId: row.package_id,
    lineId: row.line_id,
    quantity: readInteger(row.quantity),
    shippedOn: row.shipped_on,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
    receivedOn: row.received_on,
    receivedBy: row.received_by,
  };
}

function lineRow(line: PackageLine) {
  return {
    id: line.id,
    package_id: line.packageId,
    requirement_id: line.requirementId,
    category: line.category,
    quantity: line.quantity,
    amount_minor: line.amount?.minor ?? null,
    delivered_quantity: line.deliveredQuantity,
    received_quantity: line.receivedQuantity,
    line_no: line.lineNo,
  };
}

/** Packages with their lines, and their deliveries. SQL about packages lives here only. */
export class PackageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(pkg: Package): Promise<void> {
    await this.db
      .insertInto('package')
      .values({
        id: pkg.id,
        ref: pkg.ref,
        name: pkg.name,
        rank: pkg.rank,
        target_minor: pkg.target.minor,
        status: pkg.status,
        version: pkg.version,
        created_at: pkg.createdAt,
        updated_at: pkg.updatedAt,
      })
      .execute();
    const rows = pkg.lines.map(lineRow);
    for (let start = 0; start < rows.length; start += batchSize) {
      await this.db
        .insertInto('package_line')
        .values(rows.slice(start, start + batchSize))
        .execute();
    }
  }

  /**
   * Writes the package row (name, target, status) only if it still has `expectedVersion`, and then
   * its lines' amounts and quantities; false when another writer got there first.
   */
  async update(next: Package, expectedVersion: number): Promise<boolean> {
    const result = await this.db
      .updateTable('package')
      .set({
        name: next.name,
        target_minor: next.target.minor,
        status: next.status,
        version: next.version,
        updated_at: next.updatedAt,
      })
      .where('id', '=', next.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    for (const line of next.lines) {
      await this.db
        .updateTable('package_line')
        .set({
          amount_minor: line.amount?.minor ?? null,
          delivered_quantity: line.deliveredQuantity,
          received_quantity: line.receivedQuantity,
        })
        .where('id', '=', line.id)
        .where('package_id', '=', next.id)
        .execute();
    }
    return true;
  }

  async findById(id: string): Promise<Package | undefined> {
    const row = await this.db.selectFrom('package').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return toPackage(row, await this.lineRows([id]));
  }

  async exists(id: string): Promise<boolean> {
    const row = await this.db.selectFrom('package').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  /** The highest rank given so far (cancelled packages keep theirs); 0 before the first package. */
  async maxRank(): Promise<number> {
    const row = await this.db
      .selectFrom('package')
      .select((eb) => eb.fn.max('rank').as('rank'))
      .executeTakeFirst();
    return row?.rank == null ? 0 : readInteger(row.rank);
  }

  /** Packages in rank order. */
  async list(filter: PackageFilter, page: PageRequest): Promise<Page<Package>> {
    let query = this.db
      .selectFrom('package')
      .selectAll()
      .orderBy('rank')
      .limit(page.limit + 1);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.fundedBy !== undefined) {
      const donor = filter.fundedBy;
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('allocation')
          .innerJoin('pledge', 'pledge.id', 'allocation.pledge_id')
          .select('allocation.package_id')
          .where('pledge.donor_code', '=', donor),
      );
    }
    if (page.cursor) {
      const [rank = '0'] = Cursor.decode(page.cursor);
      query = query.where('rank', '>', Number.parseInt(rank, 10) || 0);
    }
    const rows = await query.execute();
    const lines = await this.lineRows(rows.slice(0, page.limit).map((row) => row.id));
    const byPackage = new Map<string, LineRow[]>();
    for (const line of lines)
      byPackage.set(line.package_id, [...(byPackage.get(line.package_id) ?? []), line]);
    const packages = rows.map((row) => toPackage(row, byPackage.get(row.id) ?? []));
    return Cursor.page(packages, page.limit, (pkg) => [String(pkg.rank)]);
  }

  /**
   * Every line of every package in `statuses`, in priority order: package rank, then the
   * requirement's current rank, then line number.
   */
  async linesOfPackagesIn(statuses: readonly PackageStatus[]): Promise<OpenLineRow[]> {
    if (!statuses.length) return [];
    const rows = await this.db
      .selectFrom('package_line')
      .innerJoin('package', 'package.id', 'package_line.package_id')
      .innerJoin('requirement', 'requirement.id', 'package_line.requirement_id')
      .selectAll('package_line')
      .select([
        'requirement.ref as requirement_ref',
        'requirement.rank as requirement_rank',
        'package.ref as package_ref',
        'package.rank as package_rank',
      ])
      .where('package.status', 'in', statuses)
      .execute();
    const byPackage = new Map<number, (typeof rows)[number][]>();
    for (const row of rows) {
      const rank = readInteger(row.package_rank);
      byPackage.set(rank, [...(byPackage.get(rank) ?? []), row]);
    }
    const result: OpenLineRow[] = [];
    for (const packageRank of [...byPackage.keys()].sort((a, b) => a - b)) {
      const ordered = Packages.linesInPriorityOrder(
        (byPackage.get(packageRank) ?? []).map((row) => ({ row, lineNo: readInteger(row.line_no) })),
        (line) => rankOfRow(line.row),
      );
      for (const { row } of ordered) {
        result.push({
          line: toLine(row),
          packageRef: row.package_ref,
          packageRank,
          requirementRank: rankOfRow(row),
        });
      }
    }
    return result;
  }

  /** Each requirement's lines in packages (cancelled ones too), with the package's status. */
  async sharesOf(requirementIds: readonly string[]): Promise<Map<string, RequirementShare[]>> {
    const shares = new Map<string, RequirementShare[]>();
    for (let start = 0; start < requirementIds.length; start += batchSize) {
      const rows = await this.db
        .selectFrom('package_line')
        .innerJoin('package', 'package.id', 'package_line.package_id')
        .select([
          'package_line.requirement_id',
          'package_line.quantity',
          'package_line.received_quantity',
          'package.status',
        ])
        .where('package_line.requirement_id', 'in', requirementIds.slice(start, start + batchSize))
        .execute();
      for (const row of rows) {
        const list = shares.get(row.requirement_id) ?? [];
        list.push({
          quantity: readInteger(row.quantity),
          receivedQuantity: readInteger(row.received_quantity),
          packageStatus: row.status as PackageStatus,
        });
        shares.set(row.requirement_id, list);
      }
    }
    return shares;
  }

  /** Units of each requirement held by active (not cancelled) packages; absent means none. */
  async packagedQuantities(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('package_line')
      .innerJoin('package', 'package.id', 'package_line.package_id')
      .select('package_line.requirement_id')
      .select((eb) => eb.fn.sum<number | bigint | string>('package_line.quantity').as('quantity'))
      .where('package.status', '!=', 'cancelled')
      .groupBy('package_line.requirement_id')
      .execute();
    return new Map(rows.map((row) => [row.requirement_id, readInteger(row.quantity)]));
  }

  async insertDelivery(delivery: Delivery): Promise<void> {
    await this.db
      .insertInto('delivery')
      .values({
        id: delivery.id,
        package_id: delivery.packageId,
        line_id: delivery.lineId,
        quantity: delivery.quantity,
        shipped_on: delivery.shippedOn,
        recorded_by: delivery.recordedBy,
        recorded_at: delivery.recordedAt,
        received_on: delivery.receivedOn,
        received_by: delivery.receivedBy,
      })
      .execute();
  }

  /** Records a receipt once: false when the delivery was confirmed already (by a concurrent request). */
  async confirmDelivery(delivery: Delivery): Promise<boolean> {
    const result = await this.db
      .updateTable('delivery')
      .set({ received_on: delivery.receivedOn, received_by: delivery.receivedBy })
      .where('id', '=', delivery.id)
      .where('received_on', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async findDelivery(id: string): Promise<Delivery | undefined> {
    const row = await this.db.selectFrom('delivery').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDelivery(row);
  }

  /** A package's deliveries, in the order they were recorded. */
  async deliveriesOf(packageId: string): Promise<Delivery[]> {
    const rows = await this.db
      .selectFrom('delivery')
      .selectAll()
      .where('package_id', '=', packageId)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    return rows.map(toDelivery);
  }

  private async lineRows(packageIds: readonly string[]): Promise<LineRow[]> {
    if (!packageIds.length) return [];
    return this.db
      .selectFrom('package_line')
      .innerJoin('requirement', 'requirement.id', 'package_line.requirement_id')
      .selectAll('package_line')
      .select(['requirement.ref as requirement_ref', 'requirement.rank as requirement_rank'])
      .where('package_line.package_id', 'in', packageIds)
      .execute();
  }
}
