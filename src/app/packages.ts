import { IsoDate } from '../core/calendar/iso-date.ts';
import type { Actor } from '../core/directory/organization.ts';
import { assert, Failure } from '../core/errors.ts';
import { JournalEntry } from '../core/ledger/journal-entry.ts';
import { Limits } from '../core/limits.ts';
import { Currency, type CurrencyCode } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import type { Rate } from '../core/money/rate.ts';
import { Deliveries, type Delivery } from '../core/packages/delivery.ts';
import { type LinePrice, type Package, type PackageLine, Packages } from '../core/packages/package.ts';
import { type PackageProposal, PackageProposals } from '../core/packages/package-proposal.ts';
import { PackageStatus, type RequestedPackageTransition } from '../core/packages/package-status.ts';
import { PackagedRequirement } from '../core/packages/packaged-requirement.ts';
import type { Requirement } from '../core/requirements/requirement.ts';
import type { PackageFilter } from '../store/package.repository.ts';
import type { Page, PageRequest } from '../store/page.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, audit, authorize, timestamp, today } from './context.ts';
import { rateInForce } from './fx-rates.ts';
import type { AfterWrite } from './idempotency.ts';
import { writeEntries } from './ledger.ts';

const usd = Currency.parse('USD');

export interface MoneyInput {
  readonly amount: string;
  readonly currency: string;
}

export interface NewPackage {
  readonly name: string;
  readonly target: MoneyInput;
  readonly lines: readonly { readonly requirementId: string; readonly quantity: number }[];
}

export interface PackageChanges {
  readonly name?: string;
  readonly target?: MoneyInput;
}

export interface PackageTransitionRequest {
  readonly to: RequestedPackageTransition;
  /** The supplier's pricing, with `to: 'priced'` only. */
  readonly lines?: readonly { readonly lineId: string; readonly amount: MoneyInput }[];
  readonly reason?: string;
}

export interface DeliveryInput {
  readonly lineId: string;
  readonly quantity: number;
  readonly shippedOn: IsoDate;
}

/** A package as the API shows it: with its price, the money allocated to it, and its deliveries. */
export interface PackageView {
  readonly package: Package;
  readonly price: Money | null;
  /** USD of the active allocations to the package. */
  readonly funded: Money;
  /** USD of the active allocations per line id. */
  readonly fundedByLine: ReadonlyMap<string, Money>;
  /** funded / price, exact to `coverageDecimals` places, rounded down; null while unpriced. */
  readonly coverage: string | null;
  readonly deliveries: readonly Delivery[];
}

/** A line of an open package as the allocation engine takes it (see `openPackageLines`). */
export interface OpenPackageLine {
  readonly lineId: string;
  readonly packageId: string;
  readonly packageRef: string;
  readonly packageRank: number;
  /** The requirement's current rank (unranked, which a packaged requirement never is: after all others). */
  readonly lineRank: number;
  /** The order the line was added in its package: breaks ties of `lineRank`. */
  readonly lineNo: number;
  readonly requirementId: string;
  readonly requirementRef: string;
  readonly category: string;
  /** The line's priced amount (USD). */
  readonly price: Money;
  /** USD minor units of the active allocations to the line. */
  readonly allocated: bigint;
}

function parseMoney(input: MoneyInput, path: string): Money {
  try {
    return Money.parse(input.amount, input.currency);
  } catch (error) {
    if (error instanceof Failure && error.errors.length === 0) {
      throw new Failure(error.code, error.detail, [{ path, message: error.detail }]);
    }
    throw error;
  }
}

function parseTarget(input: MoneyInput): Money {
  return Packages.checkTarget(parseMoney(input, '/target'));
}

async function viewOf(repositories: Repositories, pkg: Package): Promise<PackageView> {
  const [byLine, deliveries] = await Promise.all([
    repositories.allocations.allocatedByLine(pkg.lines.map((line) => line.id)),
    repositories.packages.deliveriesOf(pkg.id),
  ]);
  const fundedByLine = new Map(pkg.lines.map((line) => [line.id, Money.of(byLine.get(line.id) ?? 0n, usd)]));
  const funded = Money.sum(usd, [...fundedByLine.values()]);
  const price = Packages.price(pkg);
  return {
    package: pkg,
    price,
    funded,
    fundedByLine,
    coverage: Packages.coverage(funded.minor, price),
    deliveries,
  };
}

/** Whether the actor may see the package: donors only those their pledges were allocated to. */
async function maySee(repositories: Repositories, actor: Actor, pkg: Package): Promise<boolean> {
  return actor.role !== 'donor' || repositories.allocations.donorFunds(actor.organizationCode, pkg.id);
}

async function loadPackage(repositories: Repositories, id: string): Promise<Package> {
  const pkg = await repositories.packages.findById(id);
  if (!pkg) throw new Failure('NOT_FOUND', 'No such package.');
  return pkg;
}

async function writeIfCurrent(
  repositories: Repositories,
  current: Package,
  next: Package,
  expectedVersion: number,
): Promise<void> {
  Packages.assertSound(next);
  if (current.version !== expectedVersion || !(await repositories.packages.update(next, expectedVersion))) {
    throw new Failure(
      'VERSION_MISMATCH',
      `Package ${current.ref} is at version ${current.version}; the request was made against version ${expectedVersion}.`,
    );
  }
}

/**
 * Moves each requirement to the status its packages give it (docs/packages.md), with a version
 * bump and an audit event for each one that changes. Runs in the caller's transaction.
 */
export async function followPackages(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  requirementIds: readonly string[],
): Promise<void> {
  const ids = [...new Set(requirementIds)];
  const [requirements, shares] = await Promise.all([
    repositories.requirements.findByIds(ids),
    repositories.packages.sharesOf(ids),
  ]);
  requirements.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  for (const requirement of requirements) {
    const status = PackagedRequirement.status(
      requirement.status,
      requirement.quantity,
      shares.get(requirement.id) ?? [],
    );
    if (status === requirement.status) continue;
    const next: Requirement = {
      ...requirement,
      status,
      version: requirement.version + 1,
      updatedAt: timestamp(context),
    };
    if (
      !(await repositories.requirements.updateStatus(
        requirement.id,
        status,
        requirement.version,
        next.updatedAt,
      ))
    ) {
      throw new Failure('VERSION_MISMATCH', `${requirement.ref} changed while its package moved; try again.`);
    }
    await audit(context, repositories, actor, {
      action: 'requirement.follow-package',
      objectType: 'requirement',
      objectId: requirement.id,
      before: requirement,
      after: next,
    });
  }
}

/**
 * Creates a draft package from validated requirements, ranked after every existing package. A
 * line may take part of a requirement's quantity; it can never take more than the units that no
 * other (active) package holds. Each line's category is its requirement's.
 */
export async function createPackage(
  context: AppContext,
  actor: Actor,
  input: NewPackage,
): Promise<PackageView> {
  authorize(actor, 'package.create');
  const target = parseTarget(input.target);
  if (input.lines.length === 0 || input.lines.length > Limits.packageLinesMax) {
    throw new Failure('VALIDATION_FAILED', `A package has 1 to ${Limits.packageLinesMax} lines.`, [
      { path: '/lines', message: `1 to ${Limits.packageLinesMax} lines` },
    ]);
  }
  const seen = new Set<string>();
  input.lines.forEach((line, index) => {
    if (seen.has(line.requirementId)) {
      throw new Failure('VALIDATION_FAILED', 'A package takes each requirement on one line.', [
        { path: `/lines/${index}/requirementId`, message: 'appears on an earlier line' },
      ]);
    }
    seen.add(line.requirementId);
  });
  return context.store.transaction(async (repositories) => {
    // The sequence row is locked until this transaction ends: concurrent creations queue here, so
    // the rank and the free quantities read below are not raced.
    const number = await repositories.sequences.next('package');
    const ids = input.lines.map((line) => line.requirementId);
    const [requirements, shares, maxRank] = await Promise.all([
      repositories.requirements.findByIds(ids),
      repositories.packages.sharesOf(ids),
      repositories.packages.maxRank(),
    ]);
    const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]));
    const id = context.newId();
    const drafted = input.lines.map((line, index) => {
      const path = `/lines/${index}`;
      const requirement = byId.get(line.requirementId);
      if (!requirement) {
        throw new Failure('REQUIREMENT_UNKNOWN', `There is no requirement '${line.requirementId}'.`, [
          { path: `${path}/requirementId`, message: 'unknown requirement' },
        ]);
      }
      if (requirement.status !== 'validated') {
        throw new Failure(
          'REQUIREMENT_NOT_VALIDATED',
          `${requirement.ref} is ${requirement.status}; a package takes validated requirements only.`,
          [{ path: `${path}/requirementId`, message: `${requirement.ref} is ${requirement.status}` }],
        );
      }
      const free = PackagedRequirement.remaining(requirement.quantity, shares.get(requirement.id) ?? []);
      if (line.quantity > free) {
        throw new Failure(
          'PACKAGE_QUANTITY_EXCEEDS_REQUIREMENT',
          `${requirement.ref} has ${free} of its ${requirement.quantity} ${requirement.unit} outside other packages; the line asks for ${line.quantity}.`,
          [{ path: `${path}/quantity`, message: `at most ${free}` }],
        );
      }
      return { requirement, quantity: line.quantity, lineNo: index + 1 };
    });
    const ordered = Packages.linesInPriorityOrder(drafted, (line) => line.requirement.rank);
    const now = timestamp(context);
    const pkg: Package = {
      id,
      ref: Packages.ref(number),
      name: input.name,
      rank: maxRank + 1,
      target,
      status: 'draft',
      lines: ordered.map(
        (line, index): PackageLine => ({
          id: context.newId(),
          packageId: id,
          lineNo: index + 1,
          requirementId: line.requirement.id,
          requirementRef: line.requirement.ref,
          category: line.requirement.category,
          quantity: line.quantity,
          amount: null,
          deliveredQuantity: 0,
          receivedQuantity: 0,
        }),
      ),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    Packages.assertSound(pkg);
    await repositories.packages.insert(pkg);
    await audit(context, repositories, actor, {
      action: 'package.create',
      objectType: 'package',
      objectId: pkg.id,
      before: null,
      after: pkg,
    });
    await followPackages(context, repositories, actor, ids);
    return viewOf(repositories, pkg);
  });
}

export async function getPackage(context: AppContext, actor: Actor, id: string): Promise<PackageView> {
  authorize(actor, 'package.read');
  const repositories = context.store.read;
  const pkg = await repositories.packages.findById(id);
  if (!pkg || !(await maySee(repositories, actor, pkg))) throw new Failure('NOT_FOUND', 'No such package.');
  return viewOf(repositories, pkg);
}

/** Packages in rank order; a donor sees those its pledges were allocated to. */
export async function listPackages(
  context: AppContext,
  actor: Actor,
  filter: Omit<PackageFilter, 'fundedBy'>,
  page: PageRequest,
): Promise<Page<PackageView>> {
  authorize(actor, 'package.list');
  const repositories = context.store.read;
  const scoped: PackageFilter =
    actor.role === 'donor' ? { ...filter, fundedBy: actor.organizationCode } : filter;
  const packages = await repositories.packages.list(scoped, page);
  const items: PackageView[] = [];
  for (const pkg of packages.items) items.push(await viewOf(repositories, pkg));
  return { items, nextCursor: packages.nextCursor };
}

/** Edits the name or the target of a draft package, if nobody changed it since `expectedVersion`. */
export async function editPackage(
  context: AppContext,
  actor: Actor,
  id: string,
  changes: PackageChanges,
  expectedVersion: number,
): Promise<PackageView> {
  authorize(actor, 'package.edit');
  const target = changes.target && parseTarget(changes.target);
  return context.store.transaction(async (repositories) => {
    const current = await loadPackage(repositories, id);
    if (current.version === expectedVersion && !PackageStatus.isEditable(current.status)) {
      throw new Failure(
        'PACKAGE_LOCKED',
        `${current.ref} is ${current.status}; only a draft package is edited.`,
      );
    }
    const next: Package = {
      ...current,
      name: changes.name ?? current.name,
      target: target ?? current.target,
      version: current.version + 1,
      updatedAt: timestamp(context),
    };
    await writeIfCurrent(repositories, current, next, expectedVersion);
    await audit(context, repositories, actor, {
      action: 'package.edit',
      objectType: 'package',
      objectId: id,
      before: current,
      after: next,
    });
    return viewOf(repositories, next);
  });
}

function parsePrices(request: PackageTransitionRequest): LinePrice[] | undefined {
  if (request.to !== 'priced') {
    if (request.lines !== undefined) {
      throw new Failure('VALIDATION_FAILED', 'Line amounts come with a pricing (to: priced) only.', [
        { path: '/lines', message: 'only with "to": "priced"' },
      ]);
    }
    return undefined;
  }
  if (request.lines === undefined) {
    throw new Failure('PACKAGE_PRICING_INCOMPLETE', 'A pricing gives the amount of every line.', [
      { path: '/lines', message: 'required with "to": "priced"' },
    ]);
  }
  return request.lines.map((line, index) => ({
    lineId: line.lineId,
    amount: parseMoney(line.amount, `/lines/${index}/amount`),
  }));
}

/**
 * The money of a cancelled package goes back to its pledges: each journal entry that allocated to
 * it is reversed (JournalEntry.reverse), and its allocations are marked released with the
 * reversal's id. An allocation entry covers allocations of one package only; one that covered
 * others too could not be reversed whole, and that is a broken invariant.
 */
async function releaseMoney(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  pkg: Package,
): Promise<void> {
  const allocations = await repositories.allocations.activeByPackage(pkg.id);
  const entryIds = [...new Set(allocations.map((allocation) => allocation.entryId))];
  for (const entryId of entryIds) {
    const sharing = await repositories.allocations.activeByEntry(entryId);
    assert(
      sharing.every((allocation) => allocation.packageId === pkg.id),
      `journal entry ${entryId} records allocations of ${pkg.ref} only, so reversing it releases nothing else`,
    );
    const entry = await repositories.ledger.findById(entryId);
    assert(entry, `the allocation entry ${entryId} exists`);
    const reversal = JournalEntry.reverse(entry, entryId, {
      date: today(context),
      description: `Release of ${pkg.ref} allocations (package cancelled)`,
    });
    const [recorded] = await writeEntries(context, repositories, [reversal]);
    assert(recorded, 'the reversal was recorded');
    const releasedAt = timestamp(context);
    const released = await repositories.allocations.releaseByPackage(pkg.id, entryId, {
      releasedAt,
      releaseEntryId: recorded.id,
    });
    assert(released === sharing.length, `every allocation of entry ${entryId} was released`);
    for (const allocation of sharing) {
      await audit(context, repositories, actor, {
        action: 'allocation.release',
        objectType: 'allocation',
        objectId: allocation.id,
        before: allocation,
        after: { ...allocation, releasedAt, releaseEntryId: recorded.id },
      });
    }
  }
}

/**
 * Moves a package through its status machine (docs/packages.md): the supplier prices (every line,
 * positive USD), contracts and ships; the coordinator opens, completes and cancels. Cancelling
 * releases the package's money to its pledges with reversing journal entries, and its
 * requirements' units become free again. Requirements follow their packages' statuses.
 */
export async function transitionPackage(
  context: AppContext,
  actor: Actor,
  id: string,
  request: PackageTransitionRequest,
  expectedVersion: number | undefined,
  afterWrite?: AfterWrite<PackageView>,
): Promise<PackageView> {
  authorize(actor, 'package.transition');
  const prices = parsePrices(request);
  return context.store.transaction(async (repositories) => {
    const current = await loadPackage(repositories, id);
    PackageStatus.checkRequest(current.status, request.to, actor.role);
    const version = expectedVersion ?? current.version;
    const now = timestamp(context);
    let next: Package;
    if (request.to === 'priced') {
      next = Packages.priceLines(current, prices ?? [], now);
    } else {
      if (request.to === 'completed' && !Packages.isFullyReceived(current)) {
        throw new Failure(
          'INVALID_TRANSITION',
          `${current.ref} completes when every line has been delivered and received in full.`,
        );
      }
      next = { ...current, status: request.to, version: current.version + 1, updatedAt: now };
    }
    await writeIfCurrent(repositories, current, next, version);
    if (request.to === 'cancelled') await releaseMoney(context, repositories, actor, current);
    await audit(context, repositories, actor, {
      action: 'package.transition',
      objectType: 'package',
      objectId: id,
      before: current,
      after: { ...next, reason: request.reason ?? null },
    });
    await followPackages(
      context,
      repositories,
      actor,
      next.lines.map((line) => line.requirementId),
    );
    const view = await viewOf(repositories, next);
    await afterWrite?.(repositories, view);
    return view;
  });
}

/**
 * The system's move to funded, for the allocation engine's apply, inside its transaction: when
 * the active allocations of an open package reach its price, the package becomes funded (an audit
 * event) and its requirements follow. Returns the package as it now is (unchanged when the money
 * does not cover the price yet, or the package is not open).
 */
export async function markPackageFunded(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  packageId: string,
): Promise<Package> {
  const current = await loadPackage(repositories, packageId);
  const allocated = (await repositories.allocations.allocatedByPackage([packageId])).get(packageId) ?? 0n;
  const next = Packages.markFunded(current, allocated, timestamp(context));
  if (next === current) return current;
  await writeIfCurrent(repositories, current, next, current.version);
  await audit(context, repositories, actor, {
    action: 'package.funded',
    objectType: 'package',
    objectId: packageId,
    before: current,
    after: { ...next, funded: Money.format(Money.of(allocated, usd)) },
  });
  await followPackages(
    context,
    repositories,
    actor,
    next.lines.map((line) => line.requirementId),
  );
  return next;
}

/**
 * Every line of every open package in priority order (package rank, then the requirement's
 * current rank, then line number), with its price and the USD already allocated to it: the
 * allocation engine's input. Reads through the repositories given (a transaction's, or the store's).
 */
export async function openPackageLines(repositories: Repositories): Promise<OpenPackageLine[]> {
  const rows = await repositories.packages.linesOfPackagesIn(['open']);
  const allocated = await repositories.allocations.allocatedByLine(rows.map((row) => row.line.id));
  return rows.map((row) => {
    assert(row.line.amount !== null, `line ${row.line.id} of open package ${row.packageRef} is priced`);
    return {
      lineId: row.line.id,
      packageId: row.line.packageId,
      packageRef: row.packageRef,
      packageRank: row.packageRank,
      lineRank: row.requirementRank ?? Number.MAX_SAFE_INTEGER,
      lineNo: row.line.lineNo,
      requirementId: row.line.requirementId,
      requirementRef: row.line.requirementRef,
      category: row.line.category,
      price: row.line.amount,
      allocated: allocated.get(row.line.id) ?? 0n,
    };
  });
}

/** A shipment recorded by the supplier; the first one moves the package to delivering. */
export async function recordDelivery(
  context: AppContext,
  actor: Actor,
  packageId: string,
  input: DeliveryInput,
): Promise<{ view: PackageView; delivery: Delivery }> {
  authorize(actor, 'delivery.record');
  const shippedOn = IsoDate.parse(input.shippedOn);
  return context.store.transaction(async (repositories) => {
    const current = await loadPackage(repositories, packageId);
    const { package: next, delivery } = Deliveries.record(current, {
      id: context.newId(),
      lineId: input.lineId,
      quantity: input.quantity,
      shippedOn,
      recordedBy: actor.userId,
      recordedAt: timestamp(context),
    });
    await writeIfCurrent(repositories, current, next, current.version);
    await repositories.packages.insertDelivery(delivery);
    await audit(context, repositories, actor, {
      action: 'delivery.record',
      objectType: 'delivery',
      objectId: delivery.id,
      before: null,
      after: delivery,
    });
    await audit(context, repositories, actor, {
      action: 'package.delivery',
      objectType: 'package',
      objectId: packageId,
      before: current,
      after: next,
    });
    await followPackages(
      context,
      repositories,
      actor,
      next.lines.map((line) => line.requirementId),
    );
    return { view: await viewOf(repositories, next), delivery };
  });
}

/**
 * The recipient confirms a delivery (on `receivedOn`, today by default). When every line is
 * received in full the package is completed, and its requirements are delivered.
 */
export async function confirmReceipt(
  context: AppContext,
  actor: Actor,
  packageId: string,
  deliveryId: string,
  input: { readonly receivedOn?: IsoDate } = {},
): Promise<Delivery> {
  authorize(actor, 'delivery.confirm');
  const receivedOn = input.receivedOn === undefined ? today(context) : IsoDate.parse(input.receivedOn);
  return context.store.transaction(async (repositories) => {
    const delivery = await repositories.packages.findDelivery(deliveryId);
    if (!delivery || delivery.packageId !== packageId) throw new Failure('NOT_FOUND', 'No such delivery.');
    const current = await loadPackage(repositories, packageId);
    const { package: next, delivery: confirmed } = Deliveries.confirm(current, delivery, {
      receivedOn,
      receivedBy: actor.userId,
      at: timestamp(context),
    });
    if (!(await repositories.packages.confirmDelivery(confirmed))) {
      throw new Failure('DELIVERY_ALREADY_RECEIVED', 'This delivery was confirmed already.');
    }
    await writeIfCurrent(repositories, current, next, current.version);
    await audit(context, repositories, actor, {
      action: 'delivery.confirm',
      objectType: 'delivery',
      objectId: delivery.id,
      before: delivery,
      after: confirmed,
    });
    await audit(context, repositories, actor, {
      action: 'package.receipt',
      objectType: 'package',
      objectId: packageId,
      before: current,
      after: next,
    });
    await followPackages(
      context,
      repositories,
      actor,
      next.lines.map((line) => line.requirementId),
    );
    return confirmed;
  });
}

/**
 * The next package from the top of the list, up to `target` (docs/packages.md). Estimates are unit
 * cost × quantity; a requirement costed in another currency is converted at the rate in force
 * today, and one the proposal must estimate without such a rate is `FX_RATE_MISSING`. Writes nothing.
 */
export async function proposePackage(
  context: AppContext,
  actor: Actor,
  input: { readonly target: MoneyInput },
): Promise<PackageProposal> {
  authorize(actor, 'package.propose');
  const target = parseTarget(input.target);
  const repositories = context.store.read;
  const [ranked, packaged] = await Promise.all([
    repositories.requirements.ranked(),
    repositories.packages.packagedQuantities(),
  ]);
  const candidates = ranked
    .filter((requirement) => requirement.status === 'validated')
    .map((requirement) => ({
      requirementId: requirement.id,
      ref: requirement.ref,
      category: requirement.category,
      unit: requirement.unit,
      available: requirement.quantity - (packaged.get(requirement.id) ?? 0),
      unitCost: requirement.unitCost,
    }))
    .filter((candidate) => candidate.available > 0);
  const date = today(context);
  const rates = new Map<CurrencyCode, Rate>();
  for (const currency of new Set(candidates.map((candidate) => candidate.unitCost.currency))) {
    if (currency === usd) continue;
    try {
      rates.set(currency, await rateInForce(repositories, currency, date));
    } catch (error) {
      if (!(error instanceof Failure && error.code === 'FX_RATE_MISSING')) throw error;
    }
  }
  return PackageProposals.propose({ target, candidates, rateOf: (currency) => rates.get(currency), date });
}
