import type { Kysely, Selectable } from 'kysely';
import type { ApiTokenTable, Database } from './database.ts';
import type { StoredSecret } from './session.repository.ts';

export interface StoredApiToken extends StoredSecret {
  readonly name: string;
  readonly revokedAt: string | null;
}

function toToken(row: Selectable<ApiTokenTable>): StoredApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    salt: row.salt,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** Personal API tokens: salted hashes only; revocation is a timestamp, never a delete. */
export class ApiTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: StoredApiToken): Promise<void> {
    await this.db
      .insertInto('api_token')
      .values({
        id: token.id,
        user_id: token.userId,
        name: token.name,
        salt: token.salt,
        secret_hash: token.secretHash,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        revoked_at: token.revokedAt,
      })
      .execute();
  }

  async findById(id: string): Promise<StoredApiToken | undefined> {
    const row = await this.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toToken(row);
  }

  async listForUser(userId: string): Promise<StoredApiToken[]> {
    const rows = await this.db
      .selectFrom('api_token')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map(toToken);
  }

  async revoke(id: string, revokedAt: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_token')
      .set({ revoked_at: revokedAt })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
