import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import type { Category } from '../store/category.repository.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { Page, PageRequest } from '../store/page.ts';
import { type AppContext, audit, authorize, timestamp } from './context.ts';

export const categoryCodePattern = /^[a-z][a-z0-9-]{1,39}$/;

export async function createCategory(
  context: AppContext,
  actor: Actor,
  category: Category,
): Promise<Category> {
  authorize(actor, 'category.create');
  if (!categoryCodePattern.test(category.code)) {
    throw new Failure('VALIDATION_FAILED', 'A category code is lower-case letters, digits and dashes.', [
      { path: '/code', message: 'must match ^[a-z][a-z0-9-]{1,39}$' },
    ]);
  }
  try {
    await context.store.transaction(async (repositories) => {
      await repositories.categories.insert(category, timestamp(context));
      await audit(context, repositories, actor, {
        action: 'category.create',
        objectType: 'category',
        objectId: category.code,
        before: null,
        after: category,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Failure('CATEGORY_EXISTS', `The category '${category.code}' exists already.`);
    throw error;
  }
  return category;
}

export function listCategories(
  context: AppContext,
  actor: Actor,
  page: PageRequest,
): Promise<Page<Category>> {
  authorize(actor, 'category.list');
  return context.store.read.categories.list(page);
}
