import { AllocationEngine, type EnginePlan, type ShortfallMoneySummary } from '../core/allocation/index.ts';
import { canonicalJson } from '../core/audit/canonical-json.ts';
import type { Actor } from '../core/directory/organization.ts';
import { assert, Failure } from '../core/errors.ts';
import { Account } from '../core/ledger/account.ts';
import { type ConversionRecord, JournalEntry, type Posting } from '../core/ledger/journal-entry.ts';
import { Limits } from '../core/limits.ts';
import { Currency, type CurrencyCode } from '../core/money/currency.ts';
import { Fraction } from '../core/money/fraction.ts';
import { Money } from '../core/money/money.ts';
import { Rate } from '../core/money/rate.ts';
import { Packages } from '../core/packages/package.ts';
import type { PackageStatus } from '../core/packages/package-status.ts';
import { Earmark, type EarmarkJson } from '../core/pledges/earmark.ts';
import { Pledges } from '../core/pledges/pledge.ts';
import type { Allocation } from '../store/allocation.repository.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, audit, authorize, timestamp, today } from './context.ts';
import { rateInForce } from './fx-rates.ts';
import type { AfterWrite } from './idempotency.ts';
import { writeEntries } from './ledger.ts';
import { markPackageFunded, type OpenPackageLine, openPackageLines } from './packages.ts';

/**
 * The allocation engine's use cases (docs/allocation.md, "Plan, preview and apply"): the plan over
 * the open package lines and the unallocated money of committed pledges; the preview, the same
 * with hypothetical pledges added, writing nothing; and the apply, which recomputes the plan in
 * its own transaction and writes it only if it is still the plan the caller read.
 */

const usd = Currency.parse('USD');

export interface HypotheticalPledgeInput {
  readonly donor: string;
  readonly amount: { readonly amount: string; readonly currency: string };
  readonly earmark?: EarmarkJson;
}

export interface PlannedAllocation {
  readonly pledgeId: string;
  readonly pledgeRef: string;
  readonly donor: string;
  readonly packageId: string;
  readonly packageRef: string;
  readonly lineId: string;
  /** The part of the pledge's own money this allocation consumes (what the apply writes). */
  readonly amount: Money;
  readonly usd: Money;
}

export interface PlannedLine {
  readonly lineId: string;
  readonly packageId: string;
  readonly packageRef: string;
  readonly lineNo: number;
  readonly requirementRef: string;
  readonly category: string;
  readonly price: Money;
  readonly allocatedBefore: Money;
  readonly planned: Money;
  readonly missing: Money;
}

export interface PlannedLineUse {
  readonly lineId: string;
  readonly packageRef: string;
  readonly lineNo: number;
  readonly amount: Money;
  /** True when the line ranks ahead of the short line; false for the short line itself. */
  readonly higherPriority: boolean;
}

export interface ShortfallPledge {
  /** Null for the aggregate of other donors' pledges in a donor's view. */
  readonly pledgeId: string | null;
  readonly pledgeRef: string | null;
  readonly donor: string | null;
  readonly available: Money;
  readonly used: Money;
  readonly usedBy: readonly PlannedLineUse[];
}

export interface ShortfallMoney {
  readonly pledges: number;
  readonly total: Money;
  readonly listed: readonly ShortfallPledge[];
}

export interface PlannedShortfall {
  readonly lineId: string;
  readonly packageId: string;
  readonly packageRef: string;
  readonly lineNo: number;
  readonly missing: Money;
  /** One English sentence built from the data. */
  readonly reason: string;
  readonly eligible: ShortfallMoney;
  readonly swappable: ShortfallMoney;
}

export interface PlannedPledge {
  readonly pledgeId: string;
  readonly pledgeRef: string;
  readonly donor: string;
  readonly hypothetical: boolean;
  readonly available: Money;
  readonly allocated: Money;
  readonly remaining: Money;
  readonly lines: readonly { readonly lineId: string; readonly packageRef: string; readonly amount: Money }[];
}

export interface OtherDonors {
  readonly pledges: number;
  readonly available: Money;
  readonly allocated: Money;
}

export interface AllocationPlan {
  /** SHA-256 of the canonical JSON of the inputs: it changes whenever anything the plan depends on does. */
  readonly planId: string;
  readonly asOf: string;
  readonly allocations: readonly PlannedAllocation[];
  readonly lines: readonly PlannedLine[];
  readonly shortfalls: readonly PlannedShortfall[];
  readonly pledges: readonly PlannedPledge[];
  /** In a donor's view only: the other donors' pledges, aggregated. */
  readonly otherDonors: OtherDonors | null;
}

export interface AppliedPackage {
  readonly packageId: string;
  readonly packageRef: string;
  readonly status: PackageStatus;
  readonly funded: Money;
  readonly coverage: string | null;
}

export interface AppliedPlan {
  readonly planId: string;
  readonly appliedAt: string;
  readonly allocated: Money;
  readonly allocations: number;
  readonly entries: readonly string[];
  readonly packages: readonly AppliedPackage[];
  readonly plan: AllocationPlan;
}

/** A pledge as the plan takes it: its unallocated money, in its own currency and in USD. */
interface PlanPledge {
  readonly id: string;
  readonly ref: string;
  readonly donor: string;
  readonly hypothetical: boolean;
  readonly earmark: Earmark;
  /** Commitment date (or payment date) then reference: the engine's order within an earmark. */
  readonly order: string;
  readonly availableOriginal: Money;
  /** `availableOriginal` at the pledge's rate, rounded down: the plan never promises more. */
  readonly availableUsd: bigint;
  /** The per-USD rate (base USD, quote the pledge's currency); null for a USD pledge. */
  readonly rate: Rate | null;
}

interface PlanLine extends OpenPackageLine {
  readonly need: bigint;
}

interface ComputedPlan {
  readonly plan: AllocationPlan;
  readonly engine: EnginePlan;
  readonly lines: ReadonlyMap<string, PlanLine>;
  readonly pledges: ReadonlyMap<string, PlanPledge>;
}

function dollars(minor: bigint): Money {
  return Money.of(minor, usd);
}

/** `P-17` sorts after `P-9`: the number, zero-padded. */
function refOrder(ref: string): string {
  const match = /^[A-Z]+-(\d{1,15})$/.exec(ref);
  return match?.[1] ? match[1].padStart(15, '0') : ref;
}

/** The pledge's per-USD rate as it was locked with its latest stage. */
function lockedRate(pledge: {
  readonly ref: string;
  readonly amount: Money;
  readonly usd: { readonly perUsd: string; readonly rateDate: string; readonly rateSource: string } | null;
}): Rate | null {
  if (pledge.amount.currency === usd) return null;
  assert(pledge.usd !== null, `pledge ${pledge.ref} with a known amount has its USD value`);
  const value = Fraction.parse(pledge.usd.perUsd);
  assert(value !== undefined, `pledge ${pledge.ref} has an exact per-USD rate`);
  return Rate.of({
    base: usd,
    quote: pledge.amount.currency,
    value,
    date: pledge.usd.rateDate,
    source: pledge.usd.rateSource,
  });
}

function inUsdDown(amount: Money, rate: Rate | null): bigint {
  if (rate === null) return amount.minor;
  if (amount.minor === 0n) return 0n;
  return Money.convert(amount, rate, usd, 'floor').to.minor;
}

/** Every committed or paid pledge that carries money, with what earlier plans left of it. */
async function recordedPledges(repositories: Repositories): Promise<PlanPledge[]> {
  const candidates = (await repositories.pledges.all()).filter(
    (pledge) => Pledges.reached(pledge.stage, 'committed') && Pledges.carriesMoney(pledge),
  );
  const allocated = await repositories.allocations.allocatedByPledge(candidates.map((pledge) => pledge.id));
  const result: PlanPledge[] = [];
  for (const pledge of candidates) {
    const amount = pledge.amount as Money;
    const used = allocated.get(pledge.id)?.amount ?? Money.zero(amount.currency);
    const availableOriginal = Money.subtract(amount, used);
    assert(availableOriginal.minor >= 0n, `pledge ${pledge.ref} is not allocated beyond its amount`);
    const rate = lockedRate({ ref: pledge.ref, amount, usd: pledge.usd });
    const availableUsd = inUsdDown(availableOriginal, rate);
    if (availableUsd === 0n) continue;
    const date = pledge.committedOn ?? pledge.paidOn ?? pledge.announcedOn;
    result.push({
      id: pledge.id,
      ref: pledge.ref,
      donor: pledge.donor,
      hypothetical: false,
      earmark: pledge.earmark,
      order: `${date} ${refOrder(pledge.ref)}`,
      availableOriginal,
      availableUsd,
      rate,
    });
  }
  return result;
}

function parseAmount(input: HypotheticalPledgeInput['amount'], path: string): Money {
  let amount: Money;
  try {
    amount = Money.parse(input.amount, input.currency);
  } catch (error) {
    if (error instanceof Failure && error.errors.length === 0) {
      throw new Failure(error.code, error.detail, [{ path, message: error.detail }]);
    }
    throw error;
  }
  if (amount.minor <= 0n) {
    throw new Failure('MONEY_OUT_OF_RANGE', 'A hypothetical pledge is a positive amount.', [
      { path, message: 'greater than zero' },
    ]);
  }
  return amount;
}

function parseEarmark(json: EarmarkJson | undefined, path: string): Earmark {
  try {
    return Earmark.fromJson(json ?? null);
  } catch (error) {
    if (error instanceof Failure) {
      throw new Failure(
        error.code,
        error.detail,
        error.errors.map((field) => ({ ...field, path: `${path}${field.path}` })),
      );
    }
    throw error;
  }
}

/**
 * The preview's pledges: checked (amount, donor, earmark), valued at the rate in force today,
 * rounded down, and placed after every recorded pledge of their earmark (they fund what recorded
 * money cannot). A donor names its own organisation only.
 */
async function hypotheticalPledges(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  inputs: readonly HypotheticalPledgeInput[],
): Promise<PlanPledge[]> {
  if (inputs.length > Limits.previewPledgesMax) {
    throw new Failure('VALIDATION_FAILED', `A preview takes at most ${Limits.previewPledgesMax} pledges.`, [
      { path: '/pledges', message: `at most ${Limits.previewPledgesMax}` },
    ]);
  }
  const parsed = inputs.map((input, index) => {
    const path = `/pledges/${index}`;
    if (actor.role === 'donor' && input.donor !== actor.organizationCode) {
      throw new Failure(
        'FORBIDDEN',
        `A donor previews pledges of its own organisation only; you act for ${actor.organizationCode}.`,
        [{ path: `${path}/donor`, message: `must be ${actor.organizationCode}` }],
      );
    }
    return {
      donor: input.donor,
      amount: parseAmount(input.amount, `${path}/amount`),
      earmark: parseEarmark(input.earmark, `${path}/earmark`),
      path,
    };
  });
  const date = today(context);
  const rates = new Map<CurrencyCode, Rate>();
  const result: PlanPledge[] = [];
  for (const [index, pledge] of parsed.entries()) {
    const donor = await repositories.organizations.findByCode(pledge.donor);
    if (donor?.kind !== 'donor') {
      throw new Failure('ORGANIZATION_UNKNOWN', `No donor organisation has the code '${pledge.donor}'.`, [
        { path: `${pledge.path}/donor`, message: 'unknown donor' },
      ]);
    }
    if (pledge.earmark.kind === 'categories') {
      for (const code of pledge.earmark.categories) {
        if (!(await repositories.categories.exists(code))) {
          throw new Failure('CATEGORY_UNKNOWN', `The earmark names an unknown category '${code}'.`, [
            { path: `${pledge.path}/earmark/categories`, message: `unknown category '${code}'` },
          ]);
        }
      }
    }
    if (
      pledge.earmark.kind === 'package' &&
      !(await repositories.packages.exists(pledge.earmark.packageId))
    ) {
      throw new Failure(
        'PACKAGE_UNKNOWN',
        `The earmark names an unknown package '${pledge.earmark.packageId}'.`,
        [{ path: `${pledge.path}/earmark/packageId`, message: 'unknown package' }],
      );
    }
    const currency = pledge.amount.currency;
    let rate: Rate | null = null;
    if (currency !== usd) {
      rate = rates.get(currency) ?? null;
      if (rate === null) {
        try {
          rate = await rateInForce(repositories, currency, date);
        } catch (error) {
          if (error instanceof Failure && error.code === 'FX_RATE_MISSING') {
            throw new Failure(error.code, error.detail, [
              { path: `${pledge.path}/amount/currency`, message: `no ${currency} rate in force today` },
            ]);
          }
          throw error;
        }
        rates.set(currency, rate);
      }
    }
    const id = `hypothetical-${index + 1}`;
    result.push({
      id,
      ref: id,
      donor: pledge.donor,
      hypothetical: true,
      earmark: pledge.earmark,
      order: `~${String(index + 1).padStart(3, '0')}`,
      availableOriginal: pledge.amount,
      availableUsd: inUsdDown(pledge.amount, rate),
      rate,
    });
  }
  return result;
}

/** The plan's digest: every input the plan depends on, in a canonical form. */
function planIdOf(context: AppContext, lines: readonly PlanLine[], pledges: readonly PlanPledge[]): string {
  return context.sha256(
    canonicalJson({
      plan: 1,
      lines: lines.map((line) => ({
        id: line.lineId,
        packageId: line.packageId,
        packageRank: line.packageRank,
        lineRank: line.lineRank,
        lineNo: line.lineNo,
        category: line.category,
        need: line.need,
      })),
      pledges: pledges.map((pledge) => ({
        id: pledge.id,
        earmark: { kind: pledge.earmark.kind, ...Earmark.toJson(pledge.earmark) },
        order: pledge.order,
        availableUsd: pledge.availableUsd,
        availableOriginal: {
          minor: pledge.availableOriginal.minor,
          currency: pledge.availableOriginal.currency,
        },
        rate: pledge.rate && {
          value: Rate.format(pledge.rate),
          date: pledge.rate.date,
          source: pledge.rate.source,
        },
      })),
    }),
  );
}

/** `money` split in proportion to `ratios`, exactly, in as many parts as there are ratios. */
function allocateInParts(money: Money, ratios: readonly bigint[]): Money[] {
  if (ratios.length <= Limits.allocationPartsMax) return Money.allocate(money, ratios);
  // More parts than one split takes: split over groups first, then within each group.
  const groups: bigint[][] = [];
  for (let start = 0; start < ratios.length; start += Limits.allocationPartsMax) {
    groups.push(ratios.slice(start, start + Limits.allocationPartsMax));
  }
  const sums = groups.map((group) => group.reduce((sum, ratio) => sum + ratio, 0n));
  return Money.allocate(money, sums).flatMap((part, index) => {
    const group = groups[index] as bigint[];
    return (sums[index] as bigint) === 0n
      ? group.map(() => Money.zero(money.currency))
      : allocateInParts(part, group);
  });
}

/**
 * The original money each allocation of one pledge consumes. When the plan uses all the pledge's
 * available USD, it consumes all its available original money; otherwise the USD it uses,
 * converted back at the pledge's rate and rounded UP (the original money always covers the USD
 * promised). Either way the consumed money is split over the allocations in proportion to their
 * USD (largest remainder), so the parts sum exactly to what is consumed.
 */
function originalParts(pledge: PlanPledge, usdParts: readonly bigint[]): Money[] {
  const used = usdParts.reduce((sum, part) => sum + part, 0n);
  assert(used <= pledge.availableUsd, `pledge ${pledge.ref} is not used beyond its available money`);
  let consumed: Money;
  if (used === pledge.availableUsd) consumed = pledge.availableOriginal;
  else if (pledge.rate === null) consumed = Money.of(used, usd);
  else consumed = Money.convert(dollars(used), pledge.rate, pledge.availableOriginal.currency, 'ceiling').to;
  assert(
    consumed.minor <= pledge.availableOriginal.minor,
    `pledge ${pledge.ref} consumes no more than its available money`,
  );
  return allocateInParts(consumed, usdParts);
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

interface Explainer {
  readonly lines: ReadonlyMap<string, PlanLine>;
  readonly pledges: ReadonlyMap<string, PlanPledge>;
  readonly priority: ReadonlyMap<string, number>;
  readonly uses: ReadonlyMap<string, readonly { lineId: string; amount: bigint }[]>;
}

function lineName(explainer: Explainer, lineId: string): string {
  const line = explainer.lines.get(lineId);
  assert(line, `line ${lineId} is an input of the plan`);
  return `${line.packageRef} line ${line.lineNo}`;
}

function usesOf(explainer: Explainer, pledgeId: string, shortLineId: string): PlannedLineUse[] {
  const shortPriority = explainer.priority.get(shortLineId) ?? 0;
  return (explainer.uses.get(pledgeId) ?? []).slice(0, Limits.explanationUsesMax).map((use) => {
    const line = explainer.lines.get(use.lineId) as PlanLine;
    return {
      lineId: use.lineId,
      packageRef: line.packageRef,
      lineNo: line.lineNo,
      amount: dollars(use.amount),
      higherPriority: (explainer.priority.get(use.lineId) ?? 0) < shortPriority,
    };
  });
}

/** "PKG-9 line 2, PKG-9 line 3 and this line", with "and N more lines" past the few named. */
function describeUses(explainer: Explainer, pledgeIds: readonly string[], shortLineId: string): string {
  const names: string[] = [];
  let self = false;
  let count = 0;
  const seen = new Set<string>();
  for (const pledgeId of pledgeIds) {
    for (const use of explainer.uses.get(pledgeId) ?? []) {
      if (seen.has(use.lineId)) continue;
      seen.add(use.lineId);
      if (use.lineId === shortLineId) self = true;
      else {
        count += 1;
        if (names.length < 3) names.push(lineName(explainer, use.lineId));
      }
    }
  }
  if (count > names.length) names.push(plural(count - names.length, 'more line'));
  if (self) names.push('this line');
  return names.length ? listWords(names) : 'lines ranked ahead of it';
}

function pledgeName(pledge: PlanPledge): string {
  const kind = pledge.hypothetical ? 'hypothetical pledge' : 'pledge';
  return `${pledge.availableOriginal.currency} ${kind} ${pledge.ref} (${pledge.donor})`;
}

/**
 * The sentence that says why a line stays short. `shown` are the pledges the viewer may see by
 * name (the largest ones, or a donor's own); the rest are counted: "more" in the full view, "of
 * other donors" in a donor's. The lines that use the money are named from `eligible.listed` and
 * `shown` (lines are not secret: a donor sees every open line and its funding).
 */
function reasonOf(
  explainer: Explainer,
  line: PlanLine,
  eligible: ShortfallMoneySummary,
  shown: readonly string[],
  swappable: ShortfallMoneySummary,
  viewer: 'full' | 'donor',
): string {
  if (eligible.pledges === 0) {
    return `No committed money left may fund this line: no pledge with unallocated money allows ${line.category} in ${line.packageRef}.`;
  }
  const uses = describeUses(
    explainer,
    [...new Set([...eligible.listed.map((money) => money.pledgeId), ...shown])],
    line.lineId,
  );
  const swapped =
    swappable.pledges === 0
      ? ''
      : `; the ${plural(swappable.pledges, 'other pledge')} that could have been swapped in (${Money.format(dollars(swappable.total))} USD) ${swappable.pledges === 1 ? 'is' : 'are'} fully used too`;
  const total = `${Money.format(dollars(eligible.total))} USD`;
  const hidden = eligible.pledges - shown.length;
  if (hidden === 0 && shown.length === 1) {
    const pledge = explainer.pledges.get(shown[0] as string) as PlanPledge;
    return `The only eligible money is ${pledgeName(pledge)}, fully used by ${uses}${swapped}.`;
  }
  if (shown.length === 0) {
    return `The eligible money, ${plural(hidden, 'pledge')} of other donors (${total}), is fully used by ${uses}${swapped}.`;
  }
  const refs = shown.map((id) => (explainer.pledges.get(id) as PlanPledge).ref);
  const names = viewer === 'full' ? refs.slice(0, 3) : refs;
  const unnamed = eligible.pledges - names.length;
  const rest =
    unnamed === 0
      ? []
      : viewer === 'full'
        ? [`${unnamed} more`]
        : [`${plural(unnamed, 'pledge')} of other donors`];
  return `All ${plural(eligible.pledges, 'eligible pledge')} (${total}: ${listWords([...names, ...rest])}) are fully used by ${uses}${swapped}.`;
}

/** Reads the inputs through `repositories` and plans. Writes nothing. */
async function computePlan(
  context: AppContext,
  repositories: Repositories,
  hypothetical: readonly PlanPledge[],
): Promise<ComputedPlan> {
  const [open, recorded] = await Promise.all([openPackageLines(repositories), recordedPledges(repositories)]);
  const lines: PlanLine[] = open.map((line) => {
    const price = line.price.minor;
    return { ...line, need: price > line.allocated ? price - line.allocated : 0n };
  });
  const pledges = [...recorded, ...hypothetical].sort((a, b) =>
    a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const planId = planIdOf(context, lines, pledges);
  const engine = AllocationEngine.plan(
    lines.map((line) => ({
      id: line.lineId,
      packageId: line.packageId,
      packageRank: line.packageRank,
      // Ties of the requirement's rank (none between two requirements of one list) by line number.
      lineRank: line.lineRank,
      category: line.category,
      need: line.need,
    })),
    pledges.map((pledge) => ({
      id: pledge.id,
      earmark: pledge.earmark,
      available: pledge.availableUsd,
      order: pledge.order,
    })),
  );
  const lineById = new Map(lines.map((line) => [line.lineId, line]));
  const pledgeById = new Map(pledges.map((pledge) => [pledge.id, pledge]));

  // The original money of each allocation, pledge by pledge.
  const byPledge = new Map<string, number[]>();
  engine.allocations.forEach((allocation, index) => {
    const list = byPledge.get(allocation.pledgeId) ?? [];
    list.push(index);
    byPledge.set(allocation.pledgeId, list);
  });
  const original: Money[] = new Array(engine.allocations.length);
  for (const [pledgeId, indexes] of byPledge) {
    const pledge = pledgeById.get(pledgeId) as PlanPledge;
    const parts = originalParts(
      pledge,
      indexes.map((index) => (engine.allocations[index] as EnginePlan['allocations'][number]).amount),
    );
    indexes.forEach((index, position) => {
      original[index] = parts[position] as Money;
    });
  }
  const allocations: PlannedAllocation[] = engine.allocations.map((allocation, index) => {
    const pledge = pledgeById.get(allocation.pledgeId) as PlanPledge;
    const line = lineById.get(allocation.lineId) as PlanLine;
    return {
      pledgeId: pledge.id,
      pledgeRef: pledge.ref,
      donor: pledge.donor,
      packageId: line.packageId,
      packageRef: line.packageRef,
      lineId: line.lineId,
      amount: original[index] as Money,
      usd: dollars(allocation.amount),
    };
  });

  const fundedByLine = new Map(engine.lines.map((line) => [line.lineId, line.funded]));
  const priority = new Map(engine.lines.map((line, index) => [line.lineId, index]));
  const plannedLines: PlannedLine[] = engine.lines.map((engineLine) => {
    const line = lineById.get(engineLine.lineId) as PlanLine;
    const planned = fundedByLine.get(line.lineId) ?? 0n;
    return {
      lineId: line.lineId,
      packageId: line.packageId,
      packageRef: line.packageRef,
      lineNo: line.lineNo,
      requirementRef: line.requirementRef,
      category: line.category,
      price: line.price,
      allocatedBefore: dollars(line.allocated),
      planned: dollars(planned),
      missing: dollars(line.need - planned),
    };
  });
  const uses = new Map(
    engine.pledges.map((use) => [use.pledgeId, use.lines.map(({ lineId, amount }) => ({ lineId, amount }))]),
  );
  const explainer: Explainer = { lines: lineById, pledges: pledgeById, priority, uses };
  const shortfallMoney = (summary: ShortfallMoneySummary, shortLineId: string): ShortfallMoney => ({
    pledges: summary.pledges,
    total: dollars(summary.total),
    listed: summary.listed.map((money) => {
      const pledge = pledgeById.get(money.pledgeId) as PlanPledge;
      return {
        pledgeId: pledge.id,
        pledgeRef: pledge.ref,
        donor: pledge.donor,
        available: dollars(money.available),
        used: dollars(money.used),
        usedBy: usesOf(explainer, pledge.id, shortLineId),
      };
    }),
  });
  const shortfalls: PlannedShortfall[] = engine.shortfalls.map((shortfall) => {
    const line = lineById.get(shortfall.lineId) as PlanLine;
    return {
      lineId: line.lineId,
      packageId: line.packageId,
      packageRef: line.packageRef,
      lineNo: line.lineNo,
      missing: dollars(shortfall.missing),
      reason: reasonOf(
        explainer,
        line,
        shortfall.eligible,
        shortfall.eligible.listed.map((money) => money.pledgeId),
        shortfall.swappable,
        'full',
      ),
      eligible: shortfallMoney(shortfall.eligible, line.lineId),
      swappable: shortfallMoney(shortfall.swappable, line.lineId),
    };
  });
  const usedOf = new Map(engine.pledges.map((use) => [use.pledgeId, use.allocated]));
  const plannedPledges: PlannedPledge[] = pledges.map((pledge) => {
    const allocated = usedOf.get(pledge.id) ?? 0n;
    return {
      pledgeId: pledge.id,
      pledgeRef: pledge.ref,
      donor: pledge.donor,
      hypothetical: pledge.hypothetical,
      available: dollars(pledge.availableUsd),
      allocated: dollars(allocated),
      remaining: dollars(pledge.availableUsd - allocated),
      lines: (uses.get(pledge.id) ?? []).map((use) => ({
        lineId: use.lineId,
        packageRef: (lineById.get(use.lineId) as PlanLine).packageRef,
        amount: dollars(use.amount),
      })),
    };
  });
  return {
    plan: {
      planId,
      asOf: timestamp(context),
      allocations,
      lines: plannedLines,
      shortfalls,
      pledges: plannedPledges,
      otherDonors: null,
    },
    engine,
    lines: lineById,
    pledges: pledgeById,
  };
}

/**
 * The plan as a donor sees it: the lines, its own pledges (recorded and hypothetical) and their
 * allocations; every other donor's money only as aggregates without ids or references.
 */
function donorView(computed: ComputedPlan, donor: string): AllocationPlan {
  const { plan, engine } = computed;
  const own = (pledge: PlanPledge) => pledge.donor === donor;
  const pledgeOf = (id: string) => computed.pledges.get(id) as PlanPledge;
  const others = plan.pledges.filter((pledge) => pledge.donor !== donor);
  const priority = new Map(engine.lines.map((line, index) => [line.lineId, index]));
  const uses = new Map(
    engine.pledges.map((use) => [use.pledgeId, use.lines.map(({ lineId, amount }) => ({ lineId, amount }))]),
  );
  const explainer: Explainer = { lines: computed.lines, pledges: computed.pledges, priority, uses };
  const restrict = (money: ShortfallMoney, summary: ShortfallMoneySummary): ShortfallMoney => {
    const listed = money.listed.filter((entry) => entry.pledgeId !== null && own(pledgeOf(entry.pledgeId)));
    const ownTotal = listed.reduce((sum, entry) => sum + entry.available.minor, 0n);
    const othersTotal = summary.total - ownTotal;
    const othersCount = summary.pledges - listed.length;
    return {
      pledges: summary.pledges,
      total: money.total,
      listed:
        othersCount > 0
          ? [
              ...listed,
              {
                pledgeId: null,
                pledgeRef: null,
                donor: null,
                available: dollars(othersTotal),
                // Every pledge of a short line's explanation is fully used (docs/allocation.md).
                used: dollars(othersTotal),
                usedBy: [],
              },
            ]
          : listed,
    };
  };
  const shortfalls = plan.shortfalls.map((shortfall, index) => {
    const engineShortfall = engine.shortfalls[index];
    assert(engineShortfall?.lineId === shortfall.lineId, 'shortfalls are listed in the engine order');
    const line = computed.lines.get(shortfall.lineId) as PlanLine;
    // The donor's own eligible pledges may be smaller than the largest ones listed: list them all.
    const ownEligible = [...computed.pledges.values()]
      .filter((pledge) => own(pledge) && Earmark.allows(pledge.earmark, line))
      .map((pledge) => pledge.id);
    const listedIds = new Set(shortfall.eligible.listed.map((entry) => entry.pledgeId));
    const eligible: ShortfallMoney = {
      ...shortfall.eligible,
      listed: [
        ...shortfall.eligible.listed,
        ...ownEligible
          .filter((id) => !listedIds.has(id))
          .map((id) => {
            const pledge = pledgeOf(id);
            return {
              pledgeId: id,
              pledgeRef: pledge.ref,
              donor: pledge.donor,
              available: dollars(pledge.availableUsd),
              used: dollars(pledge.availableUsd),
              usedBy: usesOf(explainer, id, line.lineId),
            };
          }),
      ],
    };
    return {
      ...shortfall,
      reason: reasonOf(
        explainer,
        line,
        engineShortfall.eligible,
        ownEligible,
        engineShortfall.swappable,
        'donor',
      ),
      eligible: restrict(eligible, engineShortfall.eligible),
      swappable: restrict(shortfall.swappable, engineShortfall.swappable),
    };
  });
  return {
    ...plan,
    allocations: plan.allocations.filter((allocation) => allocation.donor === donor),
    shortfalls,
    pledges: plan.pledges.filter((pledge) => pledge.donor === donor),
    otherDonors: {
      pledges: others.length,
      available: Money.sum(
        usd,
        others.map((pledge) => pledge.available),
      ),
      allocated: Money.sum(
        usd,
        others.map((pledge) => pledge.allocated),
      ),
    },
  };
}

/**
 * The plan over the open package lines and the unallocated money of committed pledges. Writes
 * nothing. With hypothetical pledges it is the preview (`previewAllocation`).
 */
export async function planAllocation(
  context: AppContext,
  actor: Actor,
  hypothetical?: readonly HypotheticalPledgeInput[],
): Promise<AllocationPlan> {
  if (hypothetical !== undefined) return previewAllocation(context, actor, hypothetical);
  authorize(actor, 'allocation.plan');
  return (await computePlan(context, context.store.read, [])).plan;
}

/**
 * What-if: the plan with hypothetical committed pledges added (valued at the rate in force today,
 * ids `hypothetical-1`, …). Writes nothing; its planId is never the plan's, so it cannot be
 * applied. A donor previews pledges of its own organisation only and sees the donor's view.
 */
export async function previewAllocation(
  context: AppContext,
  actor: Actor,
  hypothetical: readonly HypotheticalPledgeInput[],
): Promise<AllocationPlan> {
  authorize(actor, 'allocation.preview');
  const repositories = context.store.read;
  const pledges = await hypotheticalPledges(context, repositories, actor, hypothetical);
  const computed = await computePlan(context, repositories, pledges);
  return actor.role === 'donor' ? donorView(computed, actor.organizationCode) : computed.plan;
}

/** One journal entry: the USD a package receives from one pledge, and the pledge's money it consumes. */
function allocationEntry(
  date: string,
  pledge: PlanPledge,
  packageRef: string,
  usdAmount: bigint,
  original: Money,
  planId: string,
): JournalEntry {
  const base = {
    date,
    description: `${pledge.donor} pledge ${pledge.ref} allocated to ${packageRef}`,
    tags: { pledge: pledge.id, package: packageRef, plan: planId },
  };
  const toPackage: Posting = { account: Account.package(packageRef), amount: dollars(usdAmount) };
  const fromDonor: Posting = { account: Account.allocations(pledge.donor), amount: Money.negate(original) };
  if (pledge.rate === null) {
    return JournalEntry.create({ ...base, postings: [toPackage, fromDonor] });
  }
  const currency = original.currency;
  // What the original money is worth at the pledge's rate, minus the USD the package receives.
  const exact = Fraction.divide(Money.toMajorUnits(original), pledge.rate.value);
  const residue = Fraction.subtract(exact, Money.toMajorUnits(dollars(usdAmount)));
  const conversion: ConversionRecord = {
    from: original,
    to: dollars(usdAmount),
    rate: Rate.format(pledge.rate),
    rateBase: pledge.rate.base,
    rateQuote: pledge.rate.quote,
    rateDate: pledge.rate.date,
    rateSource: pledge.rate.source,
    rounding: 'floor',
    residue: Fraction.format(residue),
  };
  return JournalEntry.create({
    ...base,
    postings: [
      toPackage,
      { account: Account.conversion(currency, usd, usd), amount: Money.negate(dollars(usdAmount)) },
      { account: Account.conversion(currency, usd, currency), amount: original },
      fromDonor,
    ],
    conversion,
  });
}

/**
 * Applies the plan the caller read, in ONE transaction: the plan is recomputed there, after taking
 * the locks of the open packages, and if its planId is not `planId` nothing is written
 * (`PLAN_STALE`). Otherwise: one journal entry per pledge and package, the allocation rows, every
 * package whose money now covers its price moves to funded (its requirements follow), one audit
 * event for the application, and `afterWrite` (the idempotent response). An empty plan writes
 * nothing.
 */
export async function applyAllocation(
  context: AppContext,
  actor: Actor,
  planId: string,
  afterWrite?: AfterWrite<AppliedPlan>,
): Promise<AppliedPlan> {
  authorize(actor, 'allocation.apply');
  return context.store.transaction(async (repositories) => {
    await repositories.allocations.lockOpenPackages();
    const computed = await computePlan(context, repositories, []);
    const { plan } = computed;
    if (plan.planId !== planId) {
      throw new Failure(
        'PLAN_STALE',
        `The plan changed since it was read (it is now ${plan.planId.slice(0, 12)}…); read it again and apply the new plan.`,
      );
    }
    const appliedAt = timestamp(context);
    if (plan.allocations.length === 0) {
      const result: AppliedPlan = {
        planId,
        appliedAt,
        allocated: dollars(0n),
        allocations: 0,
        entries: [],
        packages: [],
        plan,
      };
      await afterWrite?.(repositories, result);
      return result;
    }
    // One entry per (pledge, package): cancelling a package reverses its entries whole.
    const groups = new Map<string, { pledge: PlanPledge; packageRef: string; indexes: number[] }>();
    plan.allocations.forEach((allocation, index) => {
      const key = `${allocation.pledgeId}\u0000${allocation.packageId}`;
      const group = groups.get(key) ?? {
        pledge: computed.pledges.get(allocation.pledgeId) as PlanPledge,
        packageRef: allocation.packageRef,
        indexes: [],
      };
      group.indexes.push(index);
      groups.set(key, group);
    });
    const date = today(context);
    const ordered = [...groups.values()];
    const entries = ordered.map((group) => {
      const parts = group.indexes.map((index) => plan.allocations[index] as PlannedAllocation);
      return allocationEntry(
        date,
        group.pledge,
        group.packageRef,
        parts.reduce((sum, part) => sum + part.usd.minor, 0n),
        Money.sum(
          group.pledge.availableOriginal.currency,
          parts.map((part) => part.amount),
        ),
        planId,
      );
    });
    const recorded = await writeEntries(context, repositories, entries);
    const rows: Allocation[] = [];
    ordered.forEach((group, position) => {
      const entry = recorded[position];
      assert(entry, 'every allocation entry was recorded');
      for (const index of group.indexes) {
        const allocation = plan.allocations[index] as PlannedAllocation;
        rows.push({
          id: context.newId(),
          planId,
          pledgeId: allocation.pledgeId,
          packageId: allocation.packageId,
          lineId: allocation.lineId,
          usd: allocation.usd,
          amount: allocation.amount,
          entryId: entry.id,
          createdAt: appliedAt,
          releasedAt: null,
          releaseEntryId: null,
        });
      }
    });
    await repositories.allocations.insertMany(rows);
    const allocated = Money.sum(
      usd,
      rows.map((row) => row.usd),
    );
    const packageIds = [...new Set(plan.allocations.map((allocation) => allocation.packageId))];
    await audit(context, repositories, actor, {
      action: 'allocation.apply',
      objectType: 'allocation-plan',
      objectId: planId,
      before: null,
      after: {
        planId,
        allocated,
        allocations: rows.map(({ id, pledgeId, lineId, usd: dollarsOf, amount, entryId }) => ({
          id,
          pledgeId,
          lineId,
          usd: dollarsOf,
          amount,
          entryId,
        })),
        entries: recorded.map((entry) => entry.id),
      },
    });
    const funded = await repositories.allocations.allocatedByPackage(packageIds);
    const packages: AppliedPackage[] = [];
    for (const packageId of packageIds) {
      const pkg = await markPackageFunded(context, repositories, actor, packageId);
      const minor = funded.get(packageId) ?? 0n;
      packages.push({
        packageId,
        packageRef: pkg.ref,
        status: pkg.status,
        funded: dollars(minor),
        coverage: Packages.coverage(minor, Packages.price(pkg)),
      });
    }
    const result: AppliedPlan = {
      planId,
      appliedAt,
      allocated,
      allocations: rows.length,
      entries: recorded.map((entry) => entry.id),
      packages,
      plan,
    };
    await afterWrite?.(repositories, result);
    return result;
  });
}
