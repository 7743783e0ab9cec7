import type { Kysely } from 'kysely';
import { readInteger } from './columns.ts';
import type { Database } from './database.ts';

/**
 * Gap-free counters for human references (REQ-0042). The update takes the row lock, so concurrent
 * transactions on PostgreSQL queue here rather than hand out the same number.
 */
export class SequenceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async next(name: string): Promise<number> {
    await this.db
      .insertInto('sequence')
      .values({ name, value: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const updated = await this.db
      .updateTable('sequence')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', name)
      .returning('value')
      .executeTakeFirstOrThrow();
    return readInteger(updated.value);
  }

  /** Raises the counter to at least `value`: references given by an import are never handed out again. */
  async advanceTo(name: string, value: number): Promise<void> {
    await this.db
      .insertInto('sequence')
      .values({ name, value: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    await this.db
      .updateTable('sequence')
      .set({ value })
      .where('name', '=', name)
      .where('value', '<', value)
      .execute();
  }
}
