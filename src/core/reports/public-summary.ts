import { assert } from '../errors.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import { Packages } from '../packages/package.ts';
import type { PackageStatus } from '../packages/package-status.ts';
import { type Pledge, type PledgeStage, Pledges } from '../pledges/pledge.ts';

/**
 * The stages a public total can count. `allocated` is the package side: money of disclosed pledges
 * assigned to package lines (active allocations). `delivered` (items shipped) is not valued yet: it
 * is shown as zero with a note, never estimated.
 */
export const summaryStages = ['announced', 'committed', 'paid', 'allocated', 'delivered'] as const;
export type SummaryStage = (typeof summaryStages)[number];

/** The money of a group of pledges by stage, in USD; every amount is a sum of disclosed pledges only. */
export interface StageAmounts {
  /** Everything announced, at any stage: announced + committed + paid. */
  readonly announced: Money;
  /** Committed + paid. */
  readonly committed: Money;
  readonly paid: Money;
}

/** One line of a table of the summary: the disclosed money, and how many pledges it counts or cannot value. */
export interface SummaryRow extends StageAmounts {
  /** Pledges whose money is in the amounts. */
  readonly pledges: number;
  /** Pledges whose amount is undisclosed: counted here, never valued, never guessed. */
  readonly undisclosedPledges: number;
}

export interface DonorRow extends SummaryRow {
  readonly code: string;
  readonly name: string;
}

export interface CategoryRow extends SummaryRow {
  /** `unearmarked`, `package`, one category code, or several joined with `+` (sorted). */
  readonly key: string;
  readonly label: string;
  readonly categories: readonly string[];
}

export interface MonthRow extends SummaryRow {
  /** The month of announcement, YYYY-MM. */
  readonly month: string;
}

export interface ForumRow extends SummaryRow {
  readonly forum: string;
}

export interface StageTotal {
  readonly stage: SummaryStage;
  /** The pledge stages whose money this total counts (none for the package stages, for now). */
  readonly counts: readonly PledgeStage[];
  readonly amount: Money;
  readonly pledges: number;
  readonly fxRule: string;
  readonly note: string | null;
}

/** A package the public may follow: open or later, not cancelled; its money counts disclosed pledges only. */
export interface PackageSummary {
  readonly ref: string;
  readonly rank: number;
  readonly status: PackageStatus;
  readonly price: Money | null;
  /** USD of the active allocations of disclosed pledges to the package. */
  readonly funded: Money;
  /** funded / price, 4 places, rounded down; null while unpriced. */
  readonly coverage: string | null;
  /** The donors of the disclosed pledges allocated to the package, largest first; they sum to `funded`. */
  readonly donors: readonly PackageDonor[];
}

/** What one donor's disclosed pledges fund of one package: money only, never a line or a quantity. */
export interface PackageDonor {
  readonly code: string;
  readonly name: string;
  /** USD of the active allocations of the donor's disclosed pledges to the package. */
  readonly allocated: Money;
}

/** A package as the summary takes it. */
export interface PackageInput {
  readonly id: string;
  readonly ref: string;
  readonly rank: number;
  readonly status: PackageStatus;
  readonly price: Money | null;
}

/** USD of the active allocations of one pledge to one package. */
export interface AllocationInput {
  readonly pledgeId: string;
  readonly packageId: string;
  readonly usd: Money;
}

export interface PublicSummary {
  readonly asOf: string;
  readonly currency: CurrencyCode;
  readonly totals: readonly StageTotal[];
  readonly byDonor: readonly DonorRow[];
  readonly byCategory: readonly CategoryRow[];
  readonly byMonth: readonly MonthRow[];
  readonly byForum: readonly ForumRow[];
  readonly packages: readonly PackageSummary[];
  /** Pledges whose money the totals count. */
  readonly pledgesCounted: number;
  /** Re-announcements of money already recorded (`duplicateOf`), left out of every amount. */
  readonly reAnnouncementsExcluded: number;
  /** Pledges whose amount is undisclosed, counted and never valued. */
  readonly undisclosedPledges: number;
  /** What each figure counts, in words, for the page and for the downloads. */
  readonly rules: PublicSummaryRules;
}

export interface PublicSummaryRules {
  readonly stages: string;
  readonly fx: string;
  readonly reAnnouncements: string;
  readonly undisclosed: string;
  readonly restricted: string;
  readonly categories: string;
  readonly months: string;
  readonly forums: string;
  readonly packages: string;
}

export interface PublicSummaryInput {
  /** The moment the figures are read, passed in (the core reads no clock). */
  readonly asOf: string;
  readonly pledges: readonly Pledge[];
  /** Organisation names by code; a donor missing here is shown by its code. */
  readonly donors: readonly { readonly code: string; readonly name: string }[];
  /** Category names by code; a code missing here is shown as itself. */
  readonly categories: readonly { readonly code: string; readonly name: string }[];
  /** Every package (the summary shows those open or later, not cancelled); none when omitted. */
  readonly packages?: readonly PackageInput[];
  /** Active allocations, summed per pledge and package; none when omitted. */
  readonly allocations?: readonly AllocationInput[];
}

const usd = 'USD' as CurrencyCode;
const unearmarked = 'unearmarked';
const packageEarmarked = 'package';
const noForum = '(forum not recorded)';
const noAllocations = 'no package allocations recorded yet';
const deliveriesNotValued = 'deliveries are not valued in the public figures yet';
const publicPackageStatuses: readonly PackageStatus[] = [
  'open',
  'funded',
  'contracted',
  'delivering',
  'completed',
];

const fxRule =
  'US dollars at the per-USD rate in force on the date of each pledge’s latest stage change ' +
  '(announcement, commitment or payment), locked when that stage was recorded, rounded half-even ' +
  'to the cent (docs/fx.md). The original amount and currency stay on the pledge.';

const rules: PublicSummaryRules = Object.freeze({
  stages:
    'announced counts the money of every disclosed pledge at any stage (announced, committed and ' +
    'paid); committed counts committed and paid pledges; paid counts paid pledges. allocated counts ' +
    'the money of disclosed pledges allocated to package lines (allocations released by a cancelled ' +
    'package no longer count), in the USD of each allocation. delivered is not valued yet.',
  fx: fxRule,
  reAnnouncements:
    'A re-announcement of money already recorded (a pledge with duplicateOf) is never counted, ' +
    'in any total or table; reAnnouncementsExcluded says how many were left out.',
  undisclosed:
    'A pledge whose amount is undisclosed is counted in undisclosedPledges and never valued: no ' +
    'amount of it, known or estimated, is in any figure.',
  restricted: 'Restricted pledges are left out entirely, not even counted.',
  categories:
    'By earmark. A pledge earmarked to several categories is counted once, under the combined ' +
    'label of all its categories (codes sorted, joined with "+"), so no money is split or counted ' +
    'twice; money with no category earmark is "unearmarked"; money earmarked to one package is ' +
    '"package".',
  months: 'By the month in which the pledge was announced (YYYY-MM).',
  forums: `By the forum where the pledge was announced, as recorded; "${noForum}" when none was.`,
  packages:
    'Packages open for funding or later (not drafts, not cancelled), by rank, with their status. ' +
    'funded counts the allocations of disclosed pledges only, so that no undisclosed or restricted ' +
    'amount can be derived from it; coverage is funded / price, 4 places, rounded down. donors ' +
    'lists, for each package, the donors of those disclosed pledges with the USD their ' +
    'allocations bring, largest first; they sum to funded.',
});

type Counted = { readonly kind: 'money'; readonly usd: Money } | { readonly kind: 'undisclosed' };

interface Accumulator {
  announced: bigint;
  committed: bigint;
  paid: bigint;
  pledges: number;
  committedPledges: number;
  paidPledges: number;
  undisclosedPledges: number;
}

function emptyAccumulator(): Accumulator {
  return {
    announced: 0n,
    committed: 0n,
    paid: 0n,
    pledges: 0,
    committedPledges: 0,
    paidPledges: 0,
    undisclosedPledges: 0,
  };
}

function add(accumulator: Accumulator, pledge: Pledge, counted: Counted): void {
  if (counted.kind === 'undisclosed') {
    accumulator.undisclosedPledges += 1;
    return;
  }
  accumulator.pledges += 1;
  accumulator.announced += counted.usd.minor;
  if (Pledges.reached(pledge.stage, 'committed')) {
    accumulator.committed += counted.usd.minor;
    accumulator.committedPledges += 1;
  }
  if (Pledges.reached(pledge.stage, 'paid')) {
    accumulator.paid += counted.usd.minor;
    accumulator.paidPledges += 1;
  }
}

function row(accumulator: Accumulator): SummaryRow {
  return {
    announced: Money.of(accumulator.announced, usd),
    committed: Money.of(accumulator.committed, usd),
    paid: Money.of(accumulator.paid, usd),
    pledges: accumulator.pledges,
    undisclosedPledges: accumulator.undisclosedPledges,
  };
}

/** Largest announced money first; equal amounts in the order of `tieBreak`. */
function byAnnouncedThen<T extends SummaryRow>(tieBreak: (row: T) => string) {
  return (a: T, b: T): number => {
    if (a.announced.minor !== b.announced.minor) return a.announced.minor > b.announced.minor ? -1 : 1;
    const [left, right] = [tieBreak(a), tieBreak(b)];
    return left < right ? -1 : left > right ? 1 : 0;
  };
}

/**
 * What a pledge brings to the public figures: its locked USD value, a count without an amount, or
 * nothing at all (restricted, or a re-announcement: `excluded`).
 */
function classify(pledge: Pledge): Counted | 'restricted' | 'excluded' {
  if (pledge.visibility === 'restricted') return 'restricted';
  if (pledge.duplicateOf !== null) return 'excluded';
  if (pledge.visibility === 'amount-undisclosed' || pledge.amount === null) return { kind: 'undisclosed' };
  assert(pledge.usd !== null, `pledge ${pledge.ref} with a known amount has its USD value`);
  assert(pledge.usd.amount.currency === usd, `pledge ${pledge.ref} is valued in USD`);
  return { kind: 'money', usd: pledge.usd.amount };
}

function categoryKey(pledge: Pledge): { key: string; categories: readonly string[] } {
  switch (pledge.earmark.kind) {
    case 'none':
      return { key: unearmarked, categories: [] };
    case 'package':
      return { key: packageEarmarked, categories: [] };
    case 'categories': {
      const categories = [...pledge.earmark.categories].sort();
      return { key: categories.join('+'), categories };
    }
  }
}

function group<K>(map: Map<K, Accumulator>, key: K): Accumulator {
  let accumulator = map.get(key);
  if (!accumulator) {
    accumulator = emptyAccumulator();
    map.set(key, accumulator);
  }
  return accumulator;
}

export const PublicSummaries = {
  fxRule,
  rules,

  /**
   * The public figures over `pledges`: totals by stage in USD, and the same money by donor, by
   * capability category, by month of announcement and by forum. Restricted pledges are left out
   * entirely; re-announcements are counted only in `reAnnouncementsExcluded`; undisclosed amounts
   * only in `undisclosedPledges`. Every amount is an exact sum of the pledges' locked USD values,
   * so each table's column sums to the total of its stage.
   */
  compute(input: PublicSummaryInput): PublicSummary {
    if (typeof input !== 'object' || input === null || !Array.isArray(input.pledges)) {
      throw new TypeError('PublicSummaries.compute takes { asOf, pledges, donors, categories }');
    }
    const donorNames = new Map(input.donors.map((donor) => [donor.code, donor.name]));
    const categoryNames = new Map(input.categories.map((category) => [category.code, category.name]));
    const total = emptyAccumulator();
    const donors = new Map<string, Accumulator>();
    const categories = new Map<string, Accumulator>();
    const categoryCodes = new Map<string, readonly string[]>();
    const months = new Map<string, Accumulator>();
    const forums = new Map<string, Accumulator>();
    let reAnnouncementsExcluded = 0;

    for (const pledge of input.pledges) {
      const counted = classify(pledge);
      if (counted === 'restricted') continue;
      if (counted === 'excluded') {
        reAnnouncementsExcluded += 1;
        continue;
      }
      const category = categoryKey(pledge);
      categoryCodes.set(category.key, category.categories);
      const forum = pledge.forum.trim() || noForum;
      for (const accumulator of [
        total,
        group(donors, pledge.donor),
        group(categories, category.key),
        group(months, pledge.announcedOn.slice(0, 7)),
        group(forums, forum),
      ]) {
        add(accumulator, pledge, counted);
      }
    }

    const summed = row(total);
    const zero = Money.zero(usd);
    // Allocations count only the money of pledges the totals count themselves (disclosed).
    const disclosed = new Map(
      input.pledges
        .filter((pledge) => {
          const counted = classify(pledge);
          return typeof counted === 'object' && counted.kind === 'money';
        })
        .map((pledge) => [pledge.id, pledge.donor]),
    );
    const allocations = input.allocations ?? [];
    const allocatedPledges = new Set<string>();
    const fundedByPackage = new Map<string, bigint>();
    const donorsByPackage = new Map<string, Map<string, bigint>>();
    let allocated = 0n;
    for (const allocation of allocations) {
      assert(allocation.usd.currency === usd, 'an allocation is valued in USD');
      const donor = disclosed.get(allocation.pledgeId);
      if (donor === undefined) continue;
      allocated += allocation.usd.minor;
      let byDonor = donorsByPackage.get(allocation.packageId);
      if (!byDonor) {
        byDonor = new Map();
        donorsByPackage.set(allocation.packageId, byDonor);
      }
      byDonor.set(donor, (byDonor.get(donor) ?? 0n) + allocation.usd.minor);
      allocatedPledges.add(allocation.pledgeId);
      fundedByPackage.set(
        allocation.packageId,
        (fundedByPackage.get(allocation.packageId) ?? 0n) + allocation.usd.minor,
      );
    }
    const packages: PackageSummary[] = (input.packages ?? [])
      .filter((pkg) => publicPackageStatuses.includes(pkg.status))
      .sort((a, b) => a.rank - b.rank)
      .map((pkg) => {
        const funded = fundedByPackage.get(pkg.id) ?? 0n;
        return {
          ref: pkg.ref,
          rank: pkg.rank,
          status: pkg.status,
          price: pkg.price,
          funded: Money.of(funded, usd),
          coverage: Packages.coverage(funded, pkg.price),
          donors: [...(donorsByPackage.get(pkg.id) ?? [])]
            .map(([code, minor]) => ({
              code,
              name: donorNames.get(code) ?? code,
              allocated: Money.of(minor, usd),
            }))
            .sort((a, b) =>
              a.allocated.minor !== b.allocated.minor
                ? a.allocated.minor > b.allocated.minor
                  ? -1
                  : 1
                : a.code < b.code
                  ? -1
                  : a.code > b.code
                    ? 1
                    : 0,
            ),
        };
      });
    const noneYet = allocations.length === 0;
    const totals: StageTotal[] = [
      {
        stage: 'announced',
        counts: ['announced', 'committed', 'paid'],
        amount: summed.announced,
        pledges: total.pledges,
        fxRule,
        note: null,
      },
      {
        stage: 'committed',
        counts: ['committed', 'paid'],
        amount: summed.committed,
        pledges: total.committedPledges,
        fxRule,
        note: null,
      },
      {
        stage: 'paid',
        counts: ['paid'],
        amount: summed.paid,
        pledges: total.paidPledges,
        fxRule,
        note: null,
      },
      {
        stage: 'allocated',
        counts: [],
        amount: Money.of(allocated, usd),
        pledges: allocatedPledges.size,
        fxRule,
        note: noneYet ? noAllocations : null,
      },
      {
        stage: 'delivered',
        counts: [],
        amount: zero,
        pledges: 0,
        fxRule,
        note: noneYet ? noAllocations : deliveriesNotValued,
      },
    ];

    const categoryLabel = (codes: readonly string[], key: string): string =>
      codes.length === 0
        ? key === unearmarked
          ? 'Unearmarked'
          : 'Earmarked to a package'
        : codes.map((code) => categoryNames.get(code) ?? code).join(' + ');

    return Object.freeze({
      asOf: input.asOf,
      currency: usd,
      totals,
      byDonor: [...donors]
        .map(([code, accumulator]) => ({ code, name: donorNames.get(code) ?? code, ...row(accumulator) }))
        .sort(byAnnouncedThen((donor) => donor.code)),
      byCategory: [...categories]
        .map(([key, accumulator]) => {
          const codes = categoryCodes.get(key) ?? [];
          return { key, label: categoryLabel(codes, key), categories: codes, ...row(accumulator) };
        })
        .sort(byAnnouncedThen((category) => category.key)),
      byMonth: [...months]
        .map(([month, accumulator]) => ({ month, ...row(accumulator) }))
        .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)),
      byForum: [...forums]
        .map(([forum, accumulator]) => ({ forum, ...row(accumulator) }))
        .sort(byAnnouncedThen((forum) => forum.forum)),
      packages,
      pledgesCounted: total.pledges,
      reAnnouncementsExcluded,
      undisclosedPledges: total.undisclosedPledges,
      rules,
    });
  },
} as const;
