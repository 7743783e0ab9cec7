import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

/** A stored secret: what the database keeps of a session or token (never the secret itself). */
export interface StoredSecret {
  readonly id: string;
  readonly userId: string;
  readonly salt: string;
  readonly secretHash: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface StoredSession extends StoredSecret {
  readonly csrfHash: string;
}

/** Sessions are stored as salted hashes of their secret: a database dump gives no usable cookie. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: StoredSession): Promise<void> {
    await this.db
      .insertInto('session')
      .values({
        id: session.id,
        user_id: session.userId,
        salt: session.salt,
        secret_hash: session.secretHash,
        csrf_hash: session.csrfHash,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findById(id: string): Promise<StoredSession | undefined> {
    const row = await this.db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        salt: row.salt,
        secretHash: row.secret_hash,
        csrfHash: row.csrf_hash,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('session').where('id', '=', id).execute();
  }

  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('session').where('expires_at', '<=', now).execute();
  }
}
