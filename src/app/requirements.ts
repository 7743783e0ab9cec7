import type { AuditEvent } from '../core/audit/audit-event.ts';
import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { Money } from '../core/money/money.ts';
import { PriorityList } from '../core/requirements/priority-list.ts';
import {
  type Requirement,
  Requirements,
  type RequirementVisibility,
} from '../core/requirements/requirement.ts';
import { type RequestedTransition, RequirementStatus } from '../core/requirements/requirement-status.ts';
import type { Page, PageRequest } from '../store/page.ts';
import type { RequirementFilter } from '../store/requirement.repository.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, audit, authorize, timestamp } from './context.ts';
import { recordListVersion } from './priority-list.ts';

export interface MoneyInput {
  readonly amount: string;
  readonly currency: string;
}

export interface NewRequirement {
  readonly title: string;
  readonly category: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitCost: MoneyInput;
  readonly visibility?: RequirementVisibility;
  readonly notes?: string;
}

export type RequirementChanges = Partial<NewRequirement>;

async function checkCategory(repositories: Repositories, code: string): Promise<void> {
  if (!(await repositories.categories.exists(code))) {
    throw new Failure('CATEGORY_UNKNOWN', `There is no category '${code}'.`, [
      { path: '/category', message: 'unknown category' },
    ]);
  }
}

function parseUnitCost(input: MoneyInput): Money {
  const money = Money.parse(input.amount, input.currency);
  if (money.minor < 0n) throw new Failure('MONEY_OUT_OF_RANGE', 'A unit cost cannot be negative.');
  return money;
}

/** Creates a draft line at the bottom of the list: a new list version. */
export async function createRequirement(
  context: AppContext,
  actor: Actor,
  input: NewRequirement,
): Promise<Requirement> {
  authorize(actor, 'requirement.create');
  const unitCost = parseUnitCost(input.unitCost);
  return context.store.transaction(async (repositories) => {
    await checkCategory(repositories, input.category);
    const ranked = await repositories.requirements.ranked();
    const now = timestamp(context);
    const requirement: Requirement = {
      id: context.newId(),
      ref: Requirements.ref(await repositories.sequences.next('requirement')),
      title: input.title,
      category: input.category,
      quantity: input.quantity,
      unit: input.unit,
      unitCost,
      rank: ranked.length + 1,
      status: 'draft',
      visibility: input.visibility ?? 'restricted',
      notes: input.notes ?? '',
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    Requirements.estimatedCost(requirement);
    await repositories.requirements.insert(requirement);
    await recordListVersion(context, repositories, actor, `${requirement.ref} added`, [
      ...ranked.map((line) => line.id),
      requirement.id,
    ]);
    await audit(context, repositories, actor, {
      action: 'requirement.create',
      objectType: 'requirement',
      objectId: requirement.id,
      before: null,
      after: requirement,
    });
    return requirement;
  });
}

export async function getRequirement(context: AppContext, actor: Actor, id: string): Promise<Requirement> {
  authorize(actor, 'requirement.read');
  const requirement = await context.store.read.requirements.findById(id);
  if (!requirement) throw new Failure('NOT_FOUND', 'No such requirement.');
  return requirement;
}

/**
 * The audit events of one requirement, oldest first: who changed it and when, each with its hash
 * in the chain. Visible to whoever may read the requirement (a restricted one is 404 as ever).
 */
export async function requirementHistory(
  context: AppContext,
  actor: Actor,
  id: string,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  await getRequirement(context, actor, id);
  return context.store.read.audit.list({ objectType: 'requirement', objectId: id }, page);
}

export function listRequirements(
  context: AppContext,
  actor: Actor,
  filter: RequirementFilter,
  page: PageRequest,
): Promise<Page<Requirement>> {
  authorize(actor, 'requirement.list');
  return context.store.read.requirements.list(filter, page);
}

async function writeIfCurrent(
  repositories: Repositories,
  current: Requirement,
  next: Requirement,
  expectedVersion: number,
): Promise<void> {
  if (
    current.version !== expectedVersion ||
    !(await repositories.requirements.update(next, expectedVersion))
  ) {
    throw new Failure(
      'VERSION_MISMATCH',
      `The requirement is at version ${current.version}; the request was made against version ${expectedVersion}.`,
    );
  }
}

/** Edits fields of a line that is still a draft or submitted, if nobody changed it since `expectedVersion`. */
export async function editRequirement(
  context: AppContext,
  actor: Actor,
  id: string,
  changes: RequirementChanges,
  expectedVersion: number,
): Promise<Requirement> {
  authorize(actor, 'requirement.edit');
  const unitCost = changes.unitCost && parseUnitCost(changes.unitCost);
  return context.store.transaction(async (repositories) => {
    const current = await repositories.requirements.findById(id);
    if (!current) throw new Failure('NOT_FOUND', 'No such requirement.');
    if (changes.category !== undefined) await checkCategory(repositories, changes.category);
    if (current.version === expectedVersion && !RequirementStatus.isEditable(current.status)) {
      throw new Failure('REQUIREMENT_LOCKED', `A ${current.status} requirement can no longer be edited.`);
    }
    const next: Requirement = {
      ...current,
      title: changes.title ?? current.title,
      category: changes.category ?? current.category,
      quantity: changes.quantity ?? current.quantity,
      unit: changes.unit ?? current.unit,
      unitCost: unitCost ?? current.unitCost,
      visibility: changes.visibility ?? current.visibility,
      notes: changes.notes ?? current.notes,
      version: current.version + 1,
      updatedAt: timestamp(context),
    };
    Requirements.estimatedCost(next);
    await writeIfCurrent(repositories, current, next, expectedVersion);
    await audit(context, repositories, actor, {
      action: 'requirement.edit',
      objectType: 'requirement',
      objectId: id,
      before: current,
      after: next,
    });
    return next;
  });
}

/**
 * Moves a line through its status machine. A line that leaves the list (rejected, withdrawn)
 * gives up its rank and the others close the gap: a new list version.
 */
export async function transitionRequirement(
  context: AppContext,
  actor: Actor,
  id: string,
  to: RequestedTransition,
  reason: string | undefined,
  expectedVersion: number | undefined,
): Promise<Requirement> {
  authorize(actor, RequirementStatus.actionFor(to));
  return context.store.transaction(async (repositories) => {
    const current = await repositories.requirements.findById(id);
    if (!current) throw new Failure('NOT_FOUND', 'No such requirement.');
    const version = expectedVersion ?? current.version;
    const status = RequirementStatus.transition(current.status, to);
    const leaves = !RequirementStatus.isActive(status);
    const next: Requirement = {
      ...current,
      status,
      rank: leaves ? null : current.rank,
      version: current.version + 1,
      updatedAt: timestamp(context),
    };
    await writeIfCurrent(repositories, current, next, version);
    if (leaves) {
      const remaining = (await repositories.requirements.ranked()).filter((line) => line.id !== id);
      const closed = PriorityList.closeGaps(remaining.map((line) => ({ id: line.id, rank: line.rank ?? 0 })));
      await recordListVersion(
        context,
        repositories,
        actor,
        `${current.ref} ${status}`,
        closed.map((line) => line.id),
      );
    }
    await audit(context, repositories, actor, {
      action: RequirementStatus.actionFor(to),
      objectType: 'requirement',
      objectId: id,
      before: current,
      after: { ...next, reason: reason ?? null },
    });
    return next;
  });
}
