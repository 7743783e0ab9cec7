import { randomBytes } from 'node:crypto';
import type { OrganizationKind, Role } from '../core/access/roles.ts';
import type { IsoDate } from '../core/calendar/iso-date.ts';
import type { Actor } from '../core/directory/organization.ts';
import { assert } from '../core/errors.ts';
import { Currency } from '../core/money/currency.ts';
import { Money } from '../core/money/money.ts';
import type { PledgeStage } from '../core/pledges/pledge.ts';
import type { RequirementVisibility } from '../core/requirements/requirement.ts';
import { applyAllocation, planAllocation } from './allocation.ts';
import { createCategory } from './categories.ts';
import { type AppContext, systemActor } from './context.ts';
import { addOrganization, addUser } from './directory.ts';
import { recordFxRate } from './fx-rates.ts';
import { createPackage, transitionPackage } from './packages.ts';
import { recordPledge, transitionPledge } from './pledges.ts';
import { createRequirement, transitionRequirement } from './requirements.ts';
import { actorOf } from './sessions.ts';

/** The shape of the files in demo/: public facts with their sources, and illustrative lines. */
export interface DemoData {
  readonly organizations: readonly { code: string; name: string; kind: OrganizationKind; source?: string }[];
  readonly users: readonly { email: string; displayName: string; organization: string; role: Role }[];
  readonly categories: readonly { code: string; name: string }[];
  readonly requirements: readonly {
    title: string;
    category: string;
    quantity: number;
    unit: string;
    unitCost: { amount: string; currency: string };
    status: 'draft' | 'submitted' | 'validated';
    visibility?: RequirementVisibility;
    notes?: string;
  }[];
  /** Per-USD rates, each with its source: implied by a source's own USD figure, or illustrative. */
  readonly fxRates: readonly DemoFxRate[];
  /** Public PURL contributions, each with its source; see demo/README.md. */
  readonly pledges: readonly DemoPledge[];
  /** The packages the 2025 money funded, recorded as history; see demo/README.md. */
  readonly packages: readonly DemoPackage[];
}

type DemoRequirement = DemoData['requirements'][number];

/**
 * A package of the public record, built from its own (illustrative) requirement lines right after
 * the pledge `fundedAfter` is committed, priced, opened and funded by the allocation plan: at that
 * moment the only unallocated committed money is its funders', so the plan spends it there.
 */
export interface DemoPackage {
  readonly name: string;
  readonly fundedAfter: string;
  readonly source: string;
  readonly notes: string;
  readonly lines: readonly (Omit<DemoRequirement, 'status' | 'visibility' | 'notes'> & {
    /** The supplier's price in USD; null on the last line: what the funders' money leaves. */
    readonly price: { readonly amount: string; readonly currency: 'USD' } | null;
  })[];
}

export interface DemoFxRate {
  readonly currency: string;
  readonly date: IsoDate;
  readonly perUsd: string;
  readonly source: string;
  /** How the rate was obtained, for a person; not stored. */
  readonly notes?: string;
}

export interface DemoPledge {
  /** Stable within the data set (`NLD-2025-08-04`): what `duplicateOfKey` points at. */
  readonly key: string;
  readonly donor: string;
  /** Null for an amount that is classified or not found. */
  readonly amount: { readonly amount: string; readonly currency: string } | null;
  readonly announcedOn: IsoDate;
  readonly forum: string;
  readonly source: string;
  readonly earmark: { readonly categories?: readonly string[] };
  readonly stage: PledgeStage;
  readonly committedOn?: IsoDate;
  readonly paidOn?: IsoDate;
  readonly visibility: 'public' | 'amount-undisclosed' | 'restricted';
  /** The key of the pledge whose money this one re-announces. */
  readonly duplicateOfKey?: string;
  readonly notes: string;
}

export interface DemoAccount {
  readonly email: string;
  readonly role: Role;
  readonly password: string;
}

export interface DemoOutcome {
  readonly loaded: boolean;
  readonly accounts: readonly DemoAccount[];
}

function generatedPassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Loads the demo data set. With `onlyIfEmpty`, a database that has organisations already is left
 * alone (npm start on a second run). Passwords are generated unless `password` is given (tests).
 */
export async function loadDemo(
  context: AppContext,
  data: DemoData,
  options: { onlyIfEmpty: boolean; password?: string },
): Promise<DemoOutcome> {
  if (options.onlyIfEmpty) {
    const existing = await context.store.read.organizations.list({ limit: 1, cursor: null });
    if (existing.items.length) return { loaded: false, accounts: [] };
  }
  for (const organization of data.organizations) {
    await addOrganization(context, systemActor, {
      code: organization.code,
      name: organization.name,
      kind: organization.kind,
    });
  }
  const accounts: DemoAccount[] = [];
  const actors = new Map<Role, Actor>();
  for (const user of data.users) {
    const password = options.password ?? generatedPassword();
    const added = await addUser(context, systemActor, {
      email: user.email,
      displayName: user.displayName,
      organizationCode: user.organization,
      role: user.role,
      password,
    });
    if (!actors.has(user.role)) actors.set(user.role, actorOf(added));
    accounts.push({ email: added.email, role: added.role, password });
  }
  const coordinator = actors.get('coordinator') ?? systemActor;
  const recipient = actors.get('recipient') ?? systemActor;
  for (const category of data.categories) await createCategory(context, coordinator, category);
  for (const line of data.requirements) {
    const { status, ...fields } = line;
    const requirement = await createRequirement(context, recipient, fields);
    if (status === 'submitted' || status === 'validated') {
      await transitionRequirement(context, recipient, requirement.id, 'submitted', undefined, undefined);
    }
    if (status === 'validated') {
      await transitionRequirement(context, coordinator, requirement.id, 'validated', undefined, undefined);
    }
  }
  const packageRequirements = new Map<DemoPackage, string[]>();
  for (const pkg of data.packages) {
    const ids: string[] = [];
    for (const { price: _price, ...fields } of pkg.lines) {
      const requirement = await createRequirement(context, recipient, {
        ...fields,
        notes: `${pkg.name}. ${pkg.source}`,
      });
      await transitionRequirement(context, recipient, requirement.id, 'submitted', undefined, undefined);
      await transitionRequirement(context, coordinator, requirement.id, 'validated', undefined, undefined);
      ids.push(requirement.id);
    }
    packageRequirements.set(pkg, ids);
  }
  for (const rate of data.fxRates) {
    const { notes: _notes, ...record } = rate;
    await recordFxRate(context, coordinator, record);
  }
  const supplier = actors.get('supplier') ?? systemActor;
  await loadPledges(context, coordinator, data.pledges, async (key) => {
    for (const pkg of data.packages.filter((candidate) => candidate.fundedAfter === key)) {
      await fundPackage(context, { coordinator, supplier }, pkg, packageRequirements.get(pkg) ?? []);
    }
  });
  return { loaded: true, accounts };
}

/**
 * Records the pledges as the coordinator records public announcements: each with its source, in
 * the order of the file, originals before the re-announcements that point at them (a first,
 * partial announcement may re-announce money fixed later). A pledge the sources say was committed
 * or paid is recorded as announced and then moved, so that its history reads as it happened.
 */
async function loadPledges(
  context: AppContext,
  coordinator: Actor,
  pledges: readonly DemoPledge[],
  afterPledge: (key: string) => Promise<void>,
) {
  const ids = new Map<string, string>();
  const originals = pledges.filter((pledge) => pledge.duplicateOfKey === undefined);
  const reAnnouncements = pledges.filter((pledge) => pledge.duplicateOfKey !== undefined);
  for (const pledge of [...originals, ...reAnnouncements]) {
    assert(!ids.has(pledge.key), `demo pledge key ${pledge.key} is unique`);
    const expected =
      pledge.paidOn !== undefined ? 'paid' : pledge.committedOn !== undefined ? 'committed' : 'announced';
    assert(expected === pledge.stage, `demo pledge ${pledge.key} has the dates of its stage ${pledge.stage}`);
    const duplicateOf = pledge.duplicateOfKey === undefined ? undefined : ids.get(pledge.duplicateOfKey);
    assert(
      pledge.duplicateOfKey === undefined || duplicateOf !== undefined,
      `demo pledge ${pledge.key} re-announces a pledge of the data set (${pledge.duplicateOfKey})`,
    );
    const recorded = await recordPledge(context, coordinator, {
      donor: pledge.donor,
      amount: pledge.amount,
      announcedOn: pledge.announcedOn,
      forum: pledge.forum,
      source: pledge.source,
      earmark: pledge.earmark.categories ? { categories: pledge.earmark.categories } : {},
      visibility: pledge.visibility,
      notes: pledge.notes,
      ...(duplicateOf === undefined ? {} : { duplicateOf }),
    });
    ids.set(pledge.key, recorded.id);
    if (pledge.committedOn !== undefined) {
      await transitionPledge(
        context,
        coordinator,
        recorded.id,
        { to: 'committed', on: pledge.committedOn },
        undefined,
      );
    }
    if (pledge.paidOn !== undefined) {
      await transitionPledge(context, coordinator, recorded.id, { to: 'paid', on: pledge.paidOn }, undefined);
    }
    await afterPledge(pledge.key);
  }
}

/**
 * Builds a package of the record and funds it: the supplier prices its lines (the last at what the
 * unallocated committed money leaves), the coordinator opens it and applies the plan. The plan must
 * fund it in full, or the demo data contradicts itself.
 */
async function fundPackage(
  context: AppContext,
  actors: { coordinator: Actor; supplier: Actor },
  pkg: DemoPackage,
  requirementIds: readonly string[],
): Promise<void> {
  const lines = pkg.lines.map((line, index) => ({
    requirementId: requirementIds[index] as string,
    quantity: line.quantity,
  }));
  const { package: draft } = await createPackage(context, actors.coordinator, {
    name: pkg.name,
    target: { amount: '500000000.00', currency: 'USD' },
    lines,
  });
  const usd = Currency.parse('USD');
  const money = (await planAllocation(context, actors.coordinator)).pledges.reduce(
    (sum, pledge) => Money.add(sum, pledge.available),
    Money.zero(usd),
  );
  const fixed = pkg.lines.reduce(
    (sum, line) => (line.price ? Money.add(sum, Money.parse(line.price.amount, usd)) : sum),
    Money.zero(usd),
  );
  const rest = Money.subtract(money, fixed);
  assert(Money.isPositive(rest), `demo package '${pkg.name}' leaves its last line some money`);
  const priceOf = (requirementId: string) => {
    const line = pkg.lines[requirementIds.indexOf(requirementId)];
    return line?.price ?? Money.toJson(rest);
  };
  await transitionPackage(
    context,
    actors.supplier,
    draft.id,
    {
      to: 'priced',
      lines: draft.lines.map((line) => ({ lineId: line.id, amount: priceOf(line.requirementId) })),
    },
    undefined,
  );
  await transitionPackage(context, actors.coordinator, draft.id, { to: 'open' }, undefined);
  const plan = await planAllocation(context, actors.coordinator);
  const applied = await applyAllocation(context, actors.coordinator, plan.planId);
  assert(
    applied.packages.some((funded) => funded.packageId === draft.id && funded.status === 'funded'),
    `demo package '${pkg.name}' is funded by the money committed before it`,
  );
}
