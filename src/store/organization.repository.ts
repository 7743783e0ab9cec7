import type { Kysely, Selectable } from 'kysely';
import type { OrganizationKind } from '../core/access/roles.ts';
import type { Organization } from '../core/directory/organization.ts';
import type { Database, OrganizationTable } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

function toOrganization(row: Selectable<OrganizationTable>): Organization {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as OrganizationKind,
    createdAt: row.created_at,
  };
}

export class OrganizationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(organization: Organization): Promise<void> {
    await this.db
      .insertInto('organization')
      .values({
        id: organization.id,
        code: organization.code,
        name: organization.name,
        kind: organization.kind,
        created_at: organization.createdAt,
      })
      .execute();
  }

  async findByCode(code: string): Promise<Organization | undefined> {
    const row = await this.db
      .selectFrom('organization')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
    return row && toOrganization(row);
  }

  async findById(id: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOrganization(row);
  }

  async list(page: PageRequest): Promise<Page<Organization>> {
    let query = this.db
      .selectFrom('organization')
      .selectAll()
      .orderBy('code')
      .limit(page.limit + 1);
    if (page.cursor) {
      const [code = ''] = Cursor.decode(page.cursor);
      query = query.where('code', '>', code);
    }
    const rows = await query.execute();
    return Cursor.page(rows.map(toOrganization), page.limit, (o) => [o.code]);
  }
}
