import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

export interface StoredSession {
  readonly idHash: string;
  readonly userId: string;
  readonly csrfHash: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** Sessions are stored by the hash of their token: a database dump gives no usable cookie. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: StoredSession): Promise<void> {
    await this.db
      .insertInto('session')
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        csrf_hash: session.csrfHash,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findByIdHash(idHash: string): Promise<StoredSession | undefined> {
    const row = await this.db
      .selectFrom('session')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return (
      row && {
        idHash: row.id_hash,
        userId: row.user_id,
        csrfHash: row.csrf_hash,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    );
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('session').where('id_hash', '=', idHash).execute();
  }

  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('session').where('expires_at', '<=', now).execute();
  }
}
