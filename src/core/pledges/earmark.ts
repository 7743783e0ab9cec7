import { Failure } from '../errors.ts';
import { Limits } from '../limits.ts';

/**
 * What a pledge's money may fund: anything, any line of a set of capability categories, or one
 * package. It is data on the pledge that the allocation engine honours; it does not change the
 * ledger entries of the pledge's stages.
 */
export type Earmark =
  | { readonly kind: 'none' }
  | { readonly kind: 'categories'; readonly categories: readonly string[] }
  | { readonly kind: 'package'; readonly packageId: string };

/** The contract's form: `{}`, `{ categories: [code, ...] }` or `{ packageId }`. */
export interface EarmarkJson {
  readonly categories?: readonly string[];
  readonly packageId?: string;
}

function requireEarmark(value: unknown, where: string): asserts value is Earmark {
  if (typeof value !== 'object' || value === null || typeof (value as Earmark).kind !== 'string') {
    throw new TypeError(`${where} takes an Earmark`);
  }
}

const none: Earmark = Object.freeze({ kind: 'none' });

export const Earmark = {
  none,

  /**
   * Reads the contract's form. Both `categories` and `packageId`, an empty or over-long category
   * list, a repeated or empty code: `VALIDATION_FAILED`. Whether the codes and the package exist is
   * the store's question. Categories are kept sorted so that equal earmarks compare equal.
   */
  fromJson(json: EarmarkJson | null | undefined): Earmark {
    if (json === null || json === undefined) return none;
    if (typeof json !== 'object') throw new TypeError('Earmark.fromJson takes an object');
    const { categories, packageId } = json;
    if (categories !== undefined && packageId !== undefined) {
      throw new Failure('VALIDATION_FAILED', 'An earmark names categories or a package, not both.', [
        { path: '/earmark', message: 'give either categories or packageId' },
      ]);
    }
    if (packageId !== undefined) {
      if (
        typeof packageId !== 'string' ||
        packageId.length === 0 ||
        packageId.length > Limits.codeLengthMax
      ) {
        throw new Failure('VALIDATION_FAILED', 'The earmarked package id is not valid.', [
          { path: '/earmark/packageId', message: 'a package id' },
        ]);
      }
      return Object.freeze({ kind: 'package', packageId });
    }
    if (categories === undefined) return none;
    if (
      !Array.isArray(categories) ||
      categories.length === 0 ||
      categories.length > Limits.earmarkCategoriesMax
    ) {
      throw new Failure(
        'VALIDATION_FAILED',
        `An earmark lists 1 to ${Limits.earmarkCategoriesMax} categories.`,
        [{ path: '/earmark/categories', message: `1 to ${Limits.earmarkCategoriesMax} category codes` }],
      );
    }
    const codes = new Set<string>();
    for (const code of categories) {
      if (
        typeof code !== 'string' ||
        code.length === 0 ||
        code.length > Limits.codeLengthMax ||
        codes.has(code)
      ) {
        throw new Failure('VALIDATION_FAILED', 'An earmark lists each category code once.', [
          {
            path: '/earmark/categories',
            message: `'${String(code).slice(0, 40)}' is empty, too long or repeated`,
          },
        ]);
      }
      codes.add(code);
    }
    return Object.freeze({ kind: 'categories', categories: Object.freeze([...codes].sort()) });
  },

  toJson(earmark: Earmark): EarmarkJson {
    requireEarmark(earmark, 'Earmark.toJson');
    switch (earmark.kind) {
      case 'none':
        return {};
      case 'categories':
        return { categories: [...earmark.categories] };
      case 'package':
        return { packageId: earmark.packageId };
    }
  },

  /** Whether money with this earmark may fund a line of `packageId` in `category`. */
  allows(earmark: Earmark, line: { readonly packageId: string; readonly category: string }): boolean {
    requireEarmark(earmark, 'Earmark.allows');
    if (typeof line !== 'object' || line === null) throw new TypeError('Earmark.allows takes a package line');
    switch (earmark.kind) {
      case 'none':
        return true;
      case 'categories':
        return earmark.categories.includes(line.category);
      case 'package':
        return earmark.packageId === line.packageId;
    }
  },
} as const;
