import { Policy } from '../core/access/policy.ts';
import type { Principal } from '../core/access/roles.ts';
import { Failure } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import { Packages } from '../core/packages/package.ts';
import { PublicSummaries, type PublicSummary } from '../core/reports/public-summary.ts';
import type { Page, PageRequest } from '../store/page.ts';
import { type AppContext, timestamp } from './context.ts';

/** Every item of a paged list, page after page. */
async function everything<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await list({ limit: Limits.pageSizeMax, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/**
 * The public figures (`GET /api/v1/public/summary`), the same for everyone who may read them, the
 * public included: aggregates of the pledges, never a restricted pledge nor an undisclosed amount.
 * `asOf` is the moment of reading.
 */
export async function publicSummary(context: AppContext, principal: Principal): Promise<PublicSummary> {
  if (!Policy.allows(principal, 'public-summary.read')) {
    throw new Failure('FORBIDDEN', `The role '${principal}' may not perform 'public-summary.read'.`);
  }
  const asOf = timestamp(context);
  const repositories = context.store.read;
  const [pledges, organizations, categories, packages, allocations] = await Promise.all([
    repositories.pledges.all(),
    everything((page) => repositories.organizations.list(page)),
    everything((page) => repositories.categories.list(page)),
    everything((page) => repositories.packages.list({}, page)),
    repositories.allocations.activeByPledgeAndPackage(),
  ]);
  const usd = Currency.parse('USD');
  return PublicSummaries.compute({
    asOf,
    pledges,
    donors: organizations.filter((organization) => organization.kind === 'donor'),
    categories,
    packages: packages.map((pkg) => ({
      id: pkg.id,
      ref: pkg.ref,
      rank: pkg.rank,
      status: pkg.status,
      price: Packages.price(pkg),
    })),
    allocations: allocations.map((allocation) => ({
      pledgeId: allocation.pledgeId,
      packageId: allocation.packageId,
      usd: Money.of(allocation.usd, usd),
    })),
  });
}
