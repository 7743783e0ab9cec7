import type { Kysely } from 'kysely';
import type { Database } from './database.ts';
import { Cursor, type Page, type PageRequest } from './page.ts';

export interface Category {
  readonly code: string;
  readonly name: string;
}

export class CategoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(category: Category, createdAt: string): Promise<void> {
    await this.db
      .insertInto('category')
      .values({ code: category.code, name: category.name, created_at: createdAt })
      .execute();
  }

  async exists(code: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('category')
      .select('code')
      .where('code', '=', code)
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(page: PageRequest): Promise<Page<Category>> {
    let query = this.db
      .selectFrom('category')
      .select(['code', 'name'])
      .orderBy('code')
      .limit(page.limit + 1);
    if (page.cursor) {
      const [code = ''] = Cursor.decode(page.cursor);
      query = query.where('code', '>', code);
    }
    return Cursor.page(await query.execute(), page.limit, (c) => [c.code]);
  }
}
