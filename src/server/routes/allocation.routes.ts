import Type from 'typebox';
import {
  type AllocationPlan,
  type AppliedPlan,
  applyAllocation,
  planAllocation,
  previewAllocation,
  type ShortfallMoney,
} from '../../app/allocation.ts';
import type { AppContext } from '../../app/context.ts';
import { exportAllocationPlan, planTableNames } from '../../app/export/list-downloads.ts';
import {
  type AllocationApplyJson,
  AllocationApplyRequestSchema,
  AllocationApplySchema,
  type AllocationPlanJson,
  AllocationPlanSchema,
  AllocationPreviewRequestSchema,
  exportFormat,
  ProblemSchema,
  StringEnum,
  WriteHeadersSchema,
} from '../../contract/index.ts';
import { Money } from '../../core/money/money.ts';
import { actorOf } from '../plugins/access.ts';
import { type Router, replyIdempotent, sendDownload } from './route-helpers.ts';

type Usd = { amount: string; currency: 'USD' };

function dollars(money: Money): Usd {
  return { amount: Money.format(money), currency: 'USD' };
}

function presentMoney(summary: ShortfallMoney) {
  return {
    pledges: summary.pledges,
    total: dollars(summary.total),
    listed: summary.listed.map((entry) => ({
      pledgeId: entry.pledgeId,
      pledgeRef: entry.pledgeRef,
      donor: entry.donor,
      available: dollars(entry.available),
      used: dollars(entry.used),
      usedBy: entry.usedBy.map((use) => ({
        lineId: use.lineId,
        packageRef: use.packageRef,
        lineNo: use.lineNo,
        amount: dollars(use.amount),
        higherPriority: use.higherPriority,
      })),
    })),
  };
}

/** The plan as the contract's JSON: USD figures as `{ amount, currency: "USD" }`, original money as it is. */
export function presentPlan(plan: AllocationPlan): AllocationPlanJson {
  return {
    planId: plan.planId,
    asOf: plan.asOf,
    allocations: plan.allocations.map((allocation) => ({
      pledgeId: allocation.pledgeId,
      pledgeRef: allocation.pledgeRef,
      donor: allocation.donor,
      packageId: allocation.packageId,
      packageRef: allocation.packageRef,
      lineId: allocation.lineId,
      amount: Money.toJson(allocation.amount),
      usd: dollars(allocation.usd),
    })),
    lines: plan.lines.map((line) => ({
      lineId: line.lineId,
      packageId: line.packageId,
      packageRef: line.packageRef,
      lineNo: line.lineNo,
      requirementRef: line.requirementRef,
      category: line.category,
      price: dollars(line.price),
      allocatedBefore: dollars(line.allocatedBefore),
      planned: dollars(line.planned),
      missing: dollars(line.missing),
    })),
    shortfalls: plan.shortfalls.map((shortfall) => ({
      lineId: shortfall.lineId,
      packageId: shortfall.packageId,
      packageRef: shortfall.packageRef,
      lineNo: shortfall.lineNo,
      missing: dollars(shortfall.missing),
      reason: shortfall.reason,
      eligible: presentMoney(shortfall.eligible),
      swappable: presentMoney(shortfall.swappable),
    })),
    pledges: plan.pledges.map((pledge) => ({
      pledgeId: pledge.pledgeId,
      pledgeRef: pledge.pledgeRef,
      donor: pledge.donor,
      hypothetical: pledge.hypothetical,
      available: dollars(pledge.available),
      allocated: dollars(pledge.allocated),
      remaining: dollars(pledge.remaining),
      lines: pledge.lines.map((line) => ({
        lineId: line.lineId,
        packageRef: line.packageRef,
        amount: dollars(line.amount),
      })),
    })),
    otherDonors: plan.otherDonors && {
      pledges: plan.otherDonors.pledges,
      available: dollars(plan.otherDonors.available),
      allocated: dollars(plan.otherDonors.allocated),
    },
  };
}

export function presentApplied(applied: AppliedPlan): AllocationApplyJson {
  return {
    planId: applied.planId,
    appliedAt: applied.appliedAt,
    allocated: dollars(applied.allocated),
    allocations: applied.allocations,
    entries: [...applied.entries],
    packages: applied.packages.map((pkg) => ({
      packageId: pkg.packageId,
      packageRef: pkg.packageRef,
      status: pkg.status,
      funded: dollars(pkg.funded),
      coverage: pkg.coverage,
    })),
    plan: presentPlan(applied.plan),
  };
}

export function allocationRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/allocation/plan',
    {
      config: { action: 'allocation.plan' },
      schema: {
        tags: ['allocation'],
        summary:
          'The allocation plan: open package lines funded in priority order from committed money, every earmark honoured, every shortfall explained',
        querystring: Type.Object(
          {
            format: Type.Optional(
              exportFormat(
                "Download the plan as tables instead: xlsx, one sheet per table; csv and json, the one named by table. Each allocation has the pledge's own amount and currency, the USD, and the pledge's locked rate and rate date",
              ),
            ),
            table: Type.Optional(
              StringEnum(planTableNames, {
                description: 'with format=csv or json: the table to download (default allocations)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: AllocationPlanSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { format, table } = request.query;
      if (format)
        return sendDownload(reply, await exportAllocationPlan(context, actorOf(request), format, table));
      return presentPlan(await planAllocation(context, actorOf(request)));
    },
  );

  app.post(
    '/api/v1/allocation/preview',
    {
      config: { action: 'allocation.preview' },
      schema: {
        tags: ['allocation'],
        summary:
          'What-if: the plan with hypothetical committed pledges added (writes nothing; a donor previews its own pledges and sees its own view)',
        body: AllocationPreviewRequestSchema,
        response: { 200: AllocationPlanSchema, 403: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => presentPlan(await previewAllocation(context, actorOf(request), request.body.pledges)),
  );

  app.post(
    '/api/v1/allocation/apply',
    {
      config: { action: 'allocation.apply' },
      schema: {
        tags: ['allocation'],
        summary:
          'Apply the plan read (its planId): allocations, one journal entry per pledge and package, funded packages; 409 PLAN_STALE if the plan changed',
        headers: WriteHeadersSchema,
        body: AllocationApplyRequestSchema,
        response: { 200: AllocationApplySchema, 403: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = await replyIdempotent(
        context,
        request,
        reply,
        (afterWrite) => applyAllocation(context, actor, request.body.planId, afterWrite),
        (applied: AppliedPlan) => ({ status: 200, body: presentApplied(applied) }),
      );
      return reply.send(body);
    },
  );
}
