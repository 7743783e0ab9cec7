import type { Kysely } from 'kysely';
import { inBatches } from './batches.ts';
import { readInteger } from './columns.ts';
import type { Database } from './database.ts';

export interface PriorityListVersion {
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly reason: string;
  readonly approvedAt: string | null;
  readonly approvedBy: string | null;
}

export class PriorityListRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The current version number; 0 before the first line is ranked. */
  async currentVersion(): Promise<number> {
    const row = await this.db
      .selectFrom('priority_list_version')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    return row?.version == null ? 0 : readInteger(row.version);
  }

  async approvedVersion(): Promise<number | null> {
    const row = await this.db
      .selectFrom('priority_list_version')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('approved_at', 'is not', null)
      .executeTakeFirst();
    return row?.version == null ? null : readInteger(row.version);
  }

  async find(version: number): Promise<PriorityListVersion | undefined> {
    const row = await this.db
      .selectFrom('priority_list_version')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return (
      row && {
        version: readInteger(row.version),
        createdAt: row.created_at,
        createdBy: row.created_by,
        reason: row.reason,
        approvedAt: row.approved_at,
        approvedBy: row.approved_by,
      }
    );
  }

  /**
   * Records a new version with its full order. The version number is the primary key: of two
   * writers that read the same version, the second insert fails, and that writer answers 412.
   */
  async insertVersion(
    version: PriorityListVersion,
    entries: readonly { requirementId: string; rank: number }[],
  ): Promise<void> {
    await this.db
      .insertInto('priority_list_version')
      .values({
        version: version.version,
        created_at: version.createdAt,
        created_by: version.createdBy,
        reason: version.reason,
        approved_at: null,
        approved_by: null,
      })
      .execute();
    for (const batch of inBatches(entries)) {
      await this.db
        .insertInto('priority_list_entry')
        .values(
          batch.map((entry) => ({
            version: version.version,
            requirement_id: entry.requirementId,
            rank: entry.rank,
          })),
        )
        .execute();
    }
  }

  async approve(version: number, approvedAt: string, approvedBy: string): Promise<boolean> {
    const result = await this.db
      .updateTable('priority_list_version')
      .set({ approved_at: approvedAt, approved_by: approvedBy })
      .where('version', '=', version)
      .where('approved_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
