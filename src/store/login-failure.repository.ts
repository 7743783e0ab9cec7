import type { Kysely } from 'kysely';
import { readInteger } from './columns.ts';
import type { Database } from './database.ts';

/**
 * Consecutive failed logins per account, in the database so that every server process counts
 * together: each failure is one atomic upsert, so concurrent failures on several processes are
 * all counted.
 */
export class LoginFailureRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Until when the account is locked (an ISO timestamp), or null. */
  async lockedUntil(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('login_failure')
      .select('locked_until')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /**
   * Counts one failure; at `threshold` consecutive failures the account is locked until `lockUntil`
   * and the count starts again (so after the lock, another `threshold` failures lock it again).
   * Returns whether this failure locked the account.
   */
  async recordFailure(userId: string, threshold: number, lockUntil: string): Promise<boolean> {
    const row = await this.db
      .insertInto('login_failure')
      .values({ user_id: userId, failures: 1, locked_until: null })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({ failures: eb('login_failure.failures', '+', 1) })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (readInteger(row.failures) < threshold) return false;
    await this.db
      .updateTable('login_failure')
      .set({ failures: 0, locked_until: lockUntil })
      .where('user_id', '=', userId)
      .execute();
    return true;
  }

  /** Forgets the failures and any lock of the account; true when there was something to forget. */
  async clear(userId: string): Promise<{ failures: number; lockedUntil: string | null } | undefined> {
    const row = await this.db
      .deleteFrom('login_failure')
      .where('user_id', '=', userId)
      .returning(['failures', 'locked_until'])
      .executeTakeFirst();
    return row && { failures: readInteger(row.failures), lockedUntil: row.locked_until };
  }
}
