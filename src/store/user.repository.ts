import type { Kysely, Selectable } from 'kysely';
import type { Role } from '../core/access/roles.ts';
import type { User } from '../core/directory/organization.ts';
import { readBoolean } from './columns.ts';
import type { AppUserTable, Database } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

export interface UserWithOrganization extends User {
  readonly organizationCode: string;
}

export interface Credentials {
  readonly user: UserWithOrganization;
  readonly passwordHash: string;
}

type UserRow = Selectable<AppUserTable> & { organization_code: string };

function toUser(row: UserRow): UserWithOrganization {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    organizationId: row.organization_id,
    organizationCode: row.organization_code,
    role: row.role as Role,
    disabled: readBoolean(row.disabled),
    createdAt: row.created_at,
  };
}

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private select() {
    return this.db
      .selectFrom('app_user')
      .innerJoin('organization', 'organization.id', 'app_user.organization_id')
      .selectAll('app_user')
      .select('organization.code as organization_code');
  }

  async insert(user: User, passwordHash: string): Promise<void> {
    await this.db
      .insertInto('app_user')
      .values({
        id: user.id,
        email: user.email,
        display_name: user.displayName,
        organization_id: user.organizationId,
        role: user.role,
        password_hash: passwordHash,
        disabled: user.disabled ? 1 : 0,
        created_at: user.createdAt,
      })
      .execute();
  }

  async credentialsByEmail(email: string): Promise<Credentials | undefined> {
    const row = await this.select().where('app_user.email', '=', email).executeTakeFirst();
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  async findByEmail(email: string): Promise<UserWithOrganization | undefined> {
    const row = await this.select().where('app_user.email', '=', email).executeTakeFirst();
    return row && toUser(row);
  }

  /** Disables the user, if it is not already; true when this call disabled it. */
  async disable(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('app_user')
      .set({ disabled: 1 })
      .where('id', '=', id)
      .where('disabled', '=', 0)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async findById(id: string): Promise<UserWithOrganization | undefined> {
    const row = await this.select().where('app_user.id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async list(page: PageRequest): Promise<Page<UserWithOrganization>> {
    let query = this.select()
      .orderBy('app_user.email')
      .limit(page.limit + 1);
    if (page.cursor) {
      const [email = ''] = Cursor.decode(page.cursor);
      query = query.where('app_user.email', '>', email);
    }
    const rows = await query.execute();
    return Cursor.page(rows.map(toUser), page.limit, (u) => [u.email]);
  }
}
