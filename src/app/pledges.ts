import { Policy } from '../core/access/policy.ts';
import type { IsoDate } from '../core/calendar/iso-date.ts';
import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { Money } from '../core/money/money.ts';
import { Earmark, type EarmarkJson } from '../core/pledges/earmark.ts';
import { type NewPledge, type PledgeStage, Pledges, type PledgeVisibility } from '../core/pledges/pledge.ts';
import { PledgeLedger } from '../core/pledges/pledge-ledger.ts';
import type { Page, PageRequest } from '../store/page.ts';
import type { PledgeFilter, StoredPledge } from '../store/pledge.repository.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, auditWithReceipt, authorize, systemActor, timestamp } from './context.ts';
import { rateInForce } from './fx-rates.ts';
import type { AfterWrite } from './idempotency.ts';
import { writeEntries } from './ledger.ts';

export interface PledgeInput {
  readonly donor: string;
  readonly amount?: { readonly amount: string; readonly currency: string } | null;
  readonly announcedOn: IsoDate;
  readonly forum?: string;
  readonly source?: string;
  readonly stage?: PledgeStage;
  readonly committedOn?: IsoDate;
  readonly paidOn?: IsoDate;
  readonly earmark?: EarmarkJson;
  readonly visibility?: PledgeVisibility;
  readonly duplicateOf?: string;
  readonly notes?: string;
}

/** Whether the actor may see this pledge at all: donors see their own; coordinators and auditors all. */
function maySee(actor: Actor, pledge: StoredPledge): boolean {
  return actor.role !== 'donor' || pledge.donor === actor.organizationCode;
}

async function checkEarmark(repositories: Repositories, earmark: Earmark): Promise<void> {
  if (earmark.kind === 'categories') {
    for (const code of earmark.categories) {
      if (!(await repositories.categories.exists(code))) {
        throw new Failure('CATEGORY_UNKNOWN', `The earmark names an unknown category '${code}'.`, [
          { path: '/earmark/categories', message: `unknown category '${code}'` },
        ]);
      }
    }
  }
  if (earmark.kind === 'package' && !(await repositories.packages.exists(earmark.packageId))) {
    throw new Failure('PACKAGE_UNKNOWN', `The earmark names an unknown package '${earmark.packageId}'.`, [
      { path: '/earmark/packageId', message: 'unknown package' },
    ]);
  }
}

/**
 * Records a pledge: a donor its own, a coordinator one announced in public on a donor's behalf
 * (with the source that reports it). The USD value is locked with the rate in force on the date of
 * its latest stage; each stage it was recorded at writes its journal entry; a re-announcement
 * (`duplicateOf`) writes none, so its money is never counted twice.
 */
export async function recordPledge(
  context: AppContext,
  actor: Actor,
  input: PledgeInput,
  afterWrite?: AfterWrite<StoredPledge>,
): Promise<StoredPledge> {
  authorize(actor, 'pledge.create');
  if (actor.role === 'donor' && input.donor !== actor.organizationCode) {
    throw new Failure(
      'FORBIDDEN',
      `A donor records its own pledges only; you act for ${actor.organizationCode}.`,
    );
  }
  const source = input.source?.trim() ?? '';
  if (actor.role === 'coordinator' && !source) {
    throw new Failure('VALIDATION_FAILED', 'A pledge recorded on a donor’s behalf cites its public source.', [
      { path: '/source', message: 'required when a coordinator records a pledge' },
    ]);
  }
  const amount = input.amount ? Money.parse(input.amount.amount, input.amount.currency) : null;
  const earmark = Earmark.fromJson(input.earmark ?? null);
  return context.store.transaction(async (repositories) => {
    const donor = await repositories.organizations.findByCode(input.donor);
    if (donor?.kind !== 'donor') {
      throw new Failure('ORGANIZATION_UNKNOWN', `No donor organisation has the code '${input.donor}'.`, [
        { path: '/donor', message: 'unknown donor' },
      ]);
    }
    await checkEarmark(repositories, earmark);
    if (input.duplicateOf !== undefined) {
      const original = await repositories.pledges.findById(input.duplicateOf);
      if (!original || original.donor !== input.donor) {
        throw new Failure(
          'VALIDATION_FAILED',
          'A re-announcement points at an earlier pledge of the same donor.',
          [{ path: '/duplicateOf', message: 'unknown pledge of this donor' }],
        );
      }
    }
    const proposal: NewPledge = {
      id: context.newId(),
      ref: '',
      donor: input.donor,
      amount,
      announcedOn: input.announcedOn,
      forum: input.forum ?? '',
      source,
      stage: input.stage ?? 'announced',
      committedOn: input.committedOn ?? null,
      paidOn: input.paidOn ?? null,
      earmark,
      visibility: input.visibility ?? 'public',
      duplicateOf: input.duplicateOf ?? null,
    };
    Pledges.check(proposal);
    const rate =
      amount && amount.currency !== 'USD'
        ? await rateInForce(repositories, amount.currency, Pledges.valuationDate(proposal))
        : null;
    const ref = Pledges.ref(await repositories.sequences.next('pledge'));
    const now = timestamp(context);
    const pledge: StoredPledge = {
      ...Pledges.create({ ...proposal, ref }, rate),
      notes: input.notes ?? '',
      version: 1,
      recordedBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    };
    await repositories.pledges.insert(pledge);
    await writeEntries(context, repositories, PledgeLedger.creationEntries(pledge));
    await auditWithReceipt(context, repositories, actor, {
      action: 'pledge.create',
      objectType: 'pledge',
      objectId: pledge.id,
      before: null,
      after: pledge,
    });
    await afterWrite?.(repositories, pledge);
    return pledge;
  });
}

/** Moves a pledge forward (committed, paid) on a date; its USD value is locked again at that date's rate. */
export async function transitionPledge(
  context: AppContext,
  actor: Actor,
  id: string,
  change: { to: PledgeStage; on: IsoDate },
  expectedVersion: number | undefined,
  afterWrite?: AfterWrite<StoredPledge>,
): Promise<StoredPledge> {
  authorize(actor, 'pledge.transition');
  return context.store.transaction(async (repositories) => {
    const current = await repositories.pledges.findById(id);
    if (!current || !maySee(actor, current)) throw new Failure('NOT_FOUND', 'No such pledge.');
    Pledges.checkTransition(current, change);
    const rate =
      current.amount && current.amount.currency !== 'USD'
        ? await rateInForce(repositories, current.amount.currency, change.on)
        : null;
    const version = expectedVersion ?? current.version;
    const next: StoredPledge = {
      ...current,
      ...Pledges.transition(current, change, rate),
      version: current.version + 1,
      updatedAt: timestamp(context),
    };
    if (current.version !== version || !(await repositories.pledges.update(next, version))) {
      throw new Failure('VERSION_MISMATCH', `Pledge ${current.ref} is at version ${current.version}.`);
    }
    const entry = PledgeLedger.transitionEntry(current, next);
    if (entry) await writeEntries(context, repositories, [entry]);
    await auditWithReceipt(context, repositories, actor, {
      action: 'pledge.transition',
      objectType: 'pledge',
      objectId: id,
      before: current,
      after: next,
    });
    await afterWrite?.(repositories, next);
    return next;
  });
}

export async function getPledge(context: AppContext, actor: Actor, id: string): Promise<StoredPledge> {
  authorize(actor, 'pledge.read');
  const pledge = await context.store.read.pledges.findById(id);
  if (!pledge || !maySee(actor, pledge)) throw new Failure('NOT_FOUND', 'No such pledge.');
  return pledge;
}

/**
 * The pledges among `ids` the actor may read, by id, in one read: those it may not (another
 * donor's, or any when its role reads no pledge) and those that do not exist are left out.
 */
export async function readablePledges(
  context: AppContext,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, StoredPledge>> {
  if (actor !== systemActor && !Policy.allows(actor.role, 'pledge.read')) return new Map();
  const found = await context.store.read.pledges.findByIds(ids);
  for (const [id, pledge] of found) if (!maySee(actor, pledge)) found.delete(id);
  return found;
}

export function listPledges(
  context: AppContext,
  actor: Actor,
  filter: PledgeFilter,
  page: PageRequest,
): Promise<Page<StoredPledge>> {
  authorize(actor, 'pledge.list');
  const scoped = actor.role === 'donor' ? { ...filter, donor: actor.organizationCode } : filter;
  return context.store.read.pledges.list(scoped, page);
}
