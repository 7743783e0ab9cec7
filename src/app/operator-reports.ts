import type { Actor } from '../core/directory/organization.ts';
import { Limits } from '../core/limits.ts';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import { Pledges } from '../core/pledges/pledge.ts';
import type { ReportCell, ReportTable } from '../core/reports/report-table.ts';
import type { Page, PageRequest } from '../store/page.ts';
import { type AppContext, authorize, timestamp } from './context.ts';
import { listPackages, type PackageView } from './packages.ts';

/**
 * The operator's reports of `purl report pledges|packages|donors`: everything in the database,
 * restricted pledges and undisclosed amounts included, because `purl` runs with operator rights
 * on the database itself (docs/cli.md). The public figures are `publicSummary`, never these.
 */

export interface OperatorReport {
  readonly asOf: string;
  readonly table: ReportTable;
}

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

const usd = Currency.parse('USD');
const moneyCell = (money: Money | null): ReportCell => (money ? Money.toJson(money) : null);

/** Every pledge in the order of its reference, with its original money and its locked USD value. */
export async function pledgesReport(context: AppContext, actor: Actor): Promise<OperatorReport> {
  authorize(actor, 'pledge.list');
  const pledges = await context.store.read.pledges.all();
  const refs = new Map(pledges.map((pledge) => [pledge.id, pledge.ref]));
  const sorted = [...pledges].sort(
    (a, b) => a.ref.length - b.ref.length || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0),
  );
  return {
    asOf: timestamp(context),
    table: {
      name: 'pledges',
      title: 'Pledges (every pledge, restricted ones included)',
      columns: [
        { key: 'ref', header: 'Pledge', kind: 'text' },
        { key: 'donor', header: 'Donor', kind: 'text' },
        { key: 'stage', header: 'Stage', kind: 'text' },
        { key: 'announcedOn', header: 'Announced', kind: 'date' },
        { key: 'amount', header: 'Amount', kind: 'money' },
        { key: 'usd', header: 'USD value', kind: 'money' },
        { key: 'visibility', header: 'Visibility', kind: 'text' },
        { key: 'duplicateOf', header: 'Re-announces', kind: 'text' },
        { key: 'forum', header: 'Forum', kind: 'text' },
      ],
      rows: sorted.map((pledge) => ({
        ref: pledge.ref,
        donor: pledge.donor,
        stage: pledge.stage,
        announcedOn: pledge.announcedOn,
        amount: moneyCell(pledge.amount),
        usd: moneyCell(pledge.usd?.amount ?? null),
        visibility: pledge.visibility,
        duplicateOf:
          pledge.duplicateOf === null ? null : (refs.get(pledge.duplicateOf) ?? pledge.duplicateOf),
        forum: pledge.forum,
      })),
    },
  };
}

/** Every package in rank order, drafts and cancelled ones included, with its price and funding. */
export async function packagesReport(context: AppContext, actor: Actor): Promise<OperatorReport> {
  authorize(actor, 'package.list');
  const views: PackageView[] = await everything((page) => listPackages(context, actor, {}, page));
  return {
    asOf: timestamp(context),
    table: {
      name: 'packages',
      title: 'Packages (every package, in rank order)',
      columns: [
        { key: 'rank', header: 'Rank', kind: 'integer' },
        { key: 'ref', header: 'Package', kind: 'text' },
        { key: 'name', header: 'Name', kind: 'text' },
        { key: 'status', header: 'Status', kind: 'text' },
        { key: 'lines', header: 'Lines', kind: 'integer' },
        { key: 'target', header: 'Target', kind: 'money' },
        { key: 'price', header: 'Price', kind: 'money' },
        { key: 'funded', header: 'Funded', kind: 'money' },
        { key: 'coverage', header: 'Coverage', kind: 'decimal' },
      ],
      rows: views.map((view) => ({
        rank: view.package.rank,
        ref: view.package.ref,
        name: view.package.name,
        status: view.package.status,
        lines: view.package.lines.length,
        target: moneyCell(view.package.target),
        price: moneyCell(view.price),
        funded: moneyCell(view.funded),
        coverage: view.coverage,
      })),
    },
  };
}

interface DonorSums {
  name: string;
  announced: bigint;
  committed: bigint;
  paid: bigint;
  pledges: number;
  unknownAmounts: number;
  restricted: number;
  reAnnouncements: number;
}

/**
 * Each donor's pledges by stage in USD (locked values), every pledge with a known amount counted,
 * restricted and amount-undisclosed ones included; re-announcements and unknown amounts counted only.
 * Largest announced money first.
 */
export async function donorsReport(context: AppContext, actor: Actor): Promise<OperatorReport> {
  authorize(actor, 'pledge.list');
  const repositories = context.store.read;
  const [pledges, organizations] = await Promise.all([
    repositories.pledges.all(),
    everything((page) => repositories.organizations.list(page)),
  ]);
  const sums = new Map<string, DonorSums>();
  const sumsOf = (code: string): DonorSums => {
    let found = sums.get(code);
    if (!found) {
      const name = organizations.find((organization) => organization.code === code)?.name ?? code;
      found = {
        name,
        announced: 0n,
        committed: 0n,
        paid: 0n,
        pledges: 0,
        unknownAmounts: 0,
        restricted: 0,
        reAnnouncements: 0,
      };
      sums.set(code, found);
    }
    return found;
  };
  for (const organization of organizations) if (organization.kind === 'donor') sumsOf(organization.code);
  for (const pledge of pledges) {
    const donor = sumsOf(pledge.donor);
    if (pledge.duplicateOf !== null) {
      donor.reAnnouncements += 1;
      continue;
    }
    if (pledge.visibility === 'restricted') donor.restricted += 1;
    if (pledge.usd === null) {
      donor.unknownAmounts += 1;
      continue;
    }
    const minor = pledge.usd.amount.minor;
    donor.pledges += 1;
    donor.announced += minor;
    if (Pledges.reached(pledge.stage, 'committed')) donor.committed += minor;
    if (Pledges.reached(pledge.stage, 'paid')) donor.paid += minor;
  }
  const rows = [...sums]
    .sort(([codeA, a], [codeB, b]) =>
      a.announced !== b.announced ? (a.announced > b.announced ? -1 : 1) : codeA < codeB ? -1 : 1,
    )
    .map(([code, donor]) => ({
      code,
      name: donor.name,
      announced: Money.toJson(Money.of(donor.announced, usd)),
      committed: Money.toJson(Money.of(donor.committed, usd)),
      paid: Money.toJson(Money.of(donor.paid, usd)),
      pledges: donor.pledges,
      restricted: donor.restricted,
      unknownAmounts: donor.unknownAmounts,
      reAnnouncements: donor.reAnnouncements,
    }));
  return {
    asOf: timestamp(context),
    table: {
      name: 'donors',
      title: 'Donors (USD at locked rates; restricted and undisclosed pledges included)',
      columns: [
        { key: 'code', header: 'Donor', kind: 'text' },
        { key: 'name', header: 'Name', kind: 'text' },
        { key: 'announced', header: 'Announced', kind: 'money' },
        { key: 'committed', header: 'Committed', kind: 'money' },
        { key: 'paid', header: 'Paid', kind: 'money' },
        { key: 'pledges', header: 'Pledges', kind: 'integer' },
        { key: 'restricted', header: 'Restricted', kind: 'integer' },
        { key: 'unknownAmounts', header: 'Amount unknown', kind: 'integer' },
        { key: 'reAnnouncements', header: 'Re-announcements', kind: 'integer' },
      ],
      rows,
    },
  };
}
