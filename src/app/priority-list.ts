import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { PriorityList } from '../core/requirements/priority-list.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, audit, authorize, timestamp } from './context.ts';

export interface PriorityListView {
  readonly version: number;
  readonly approvedVersion: number | null;
  readonly items: { id: string; ref: string; rank: number }[];
}

/**
 * Writes the next list version with the given order and gives each line its rank. Two writers that
 * read the same version both try to insert the same next version number: the second one fails on
 * the primary key and answers 412, so no reorder is lost silently.
 */
export async function recordListVersion(
  context: AppContext,
  repositories: Repositories,
  actor: Actor,
  reason: string,
  orderedIds: readonly string[],
  expectedVersion?: number,
): Promise<number> {
  const current = await repositories.priorityList.currentVersion();
  if (expectedVersion !== undefined && expectedVersion !== current) {
    throw new Failure(
      'VERSION_MISMATCH',
      `The list is at version ${current}; the request was made against ${expectedVersion}.`,
    );
  }
  const version = current + 1;
  const entries = orderedIds.map((requirementId, index) => ({ requirementId, rank: index + 1 }));
  try {
    await repositories.priorityList.insertVersion(
      {
        version,
        createdAt: timestamp(context),
        createdBy: actor.userId,
        reason,
        approvedAt: null,
        approvedBy: null,
      },
      entries,
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Failure(
        'VERSION_MISMATCH',
        'The list changed while this request was made; nothing was written.',
      );
    }
    throw error;
  }
  for (const entry of entries) await repositories.requirements.setRank(entry.requirementId, entry.rank);
  await audit(context, repositories, actor, {
    action: 'priority-list.version',
    objectType: 'priority-list',
    objectId: String(version),
    before: { version: current },
    after: { version, reason, order: orderedIds },
  });
  return version;
}

export async function getPriorityList(context: AppContext, actor: Actor): Promise<PriorityListView> {
  authorize(actor, 'priority-list.read');
  const repositories = context.store.read;
  const [version, approvedVersion, ranked] = await Promise.all([
    repositories.priorityList.currentVersion(),
    repositories.priorityList.approvedVersion(),
    repositories.requirements.ranked(),
  ]);
  return {
    version,
    approvedVersion,
    items: ranked.map((line) => ({ id: line.id, ref: line.ref, rank: line.rank ?? 0 })),
  };
}

/** Replaces the order of the active lines: a new list version, if `expectedVersion` is current. */
export async function reorderPriorityList(
  context: AppContext,
  actor: Actor,
  order: readonly string[],
  expectedVersion: number,
): Promise<PriorityListView> {
  authorize(actor, 'priority-list.reorder');
  await context.store.transaction(async (repositories) => {
    const current = await repositories.priorityList.currentVersion();
    if (current !== expectedVersion) {
      throw new Failure(
        'VERSION_MISMATCH',
        `The list is at version ${current}; the request was made against ${expectedVersion}.`,
      );
    }
    const ranked = await repositories.requirements.ranked();
    const lines = PriorityList.reorder(
      ranked.map((line) => line.id),
      order,
    );
    await recordListVersion(
      context,
      repositories,
      actor,
      'reordered',
      lines.map((line) => line.id),
      expectedVersion,
    );
  });
  return getPriorityList(context, actor);
}

/** Approves the current version ("the list of 2026-02"); with `expectedVersion`, only if it is still current. */
export async function approvePriorityList(
  context: AppContext,
  actor: Actor,
  expectedVersion: number | undefined,
): Promise<PriorityListView> {
  authorize(actor, 'priority-list.approve');
  await context.store.transaction(async (repositories) => {
    const current = await repositories.priorityList.currentVersion();
    if (expectedVersion !== undefined && current !== expectedVersion) {
      throw new Failure(
        'VERSION_MISMATCH',
        `The list is at version ${current}; the request was made against ${expectedVersion}.`,
      );
    }
    if (current === 0) throw new Failure('INVALID_TRANSITION', 'The list has no version to approve yet.');
    if (!(await repositories.priorityList.approve(current, timestamp(context), actor.userId))) {
      throw new Failure('PRIORITY_LIST_ALREADY_APPROVED', `Version ${current} is already approved.`);
    }
    await audit(context, repositories, actor, {
      action: 'priority-list.approve',
      objectType: 'priority-list',
      objectId: String(current),
      before: null,
      after: { version: current, approved: true },
    });
  });
  return getPriorityList(context, actor);
}
