import type { AppContext } from '../../app/context.ts';
import { publicSummary } from '../../app/public-summary.ts';
import {
  ProblemSchema,
  type PublicSummaryJson,
  PublicSummaryQuerySchema,
  PublicSummarySchema,
} from '../../contract/index.ts';
import { Money } from '../../core/money/money.ts';
import type { PublicSummary, SummaryRow } from '../../core/reports/public-summary.ts';
import type { Router } from './route-helpers.ts';

function presentRow(row: SummaryRow) {
  return {
    announced: Money.toJson(row.announced),
    committed: Money.toJson(row.committed),
    paid: Money.toJson(row.paid),
    pledges: row.pledges,
    undisclosedPledges: row.undisclosedPledges,
  };
}

/** The summary as the contract's JSON: every amount a decimal string with its currency. */
export function presentPublicSummary(summary: PublicSummary): PublicSummaryJson {
  return {
    asOf: summary.asOf,
    currency: 'USD',
    totals: summary.totals.map((total) => ({
      stage: total.stage,
      counts: [...total.counts],
      amount: Money.toJson(total.amount),
      pledges: total.pledges,
      fxRule: total.fxRule,
      note: total.note,
    })),
    byDonor: summary.byDonor.map((donor) => ({ code: donor.code, name: donor.name, ...presentRow(donor) })),
    byCategory: summary.byCategory.map((category) => ({
      key: category.key,
      label: category.label,
      categories: [...category.categories],
      ...presentRow(category),
    })),
    byMonth: summary.byMonth.map((month) => ({ month: month.month, ...presentRow(month) })),
    byForum: summary.byForum.map((forum) => ({ forum: forum.forum, ...presentRow(forum) })),
    packages: summary.packages.map((pkg) => ({
      ref: pkg.ref,
      rank: pkg.rank,
      status: pkg.status,
      price: pkg.price && Money.toJson(pkg.price),
      funded: Money.toJson(pkg.funded),
      coverage: pkg.coverage,
    })),
    pledgesCounted: summary.pledgesCounted,
    reAnnouncementsExcluded: summary.reAnnouncementsExcluded,
    undisclosedPledges: summary.undisclosedPledges,
    rules: { ...summary.rules },
  };
}

export function publicRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/public/summary',
    {
      config: { action: 'public-summary.read' },
      schema: {
        tags: ['public'],
        summary:
          'The public figures by stage, donor, category, month and forum (no login; ?format=json downloads them)',
        querystring: PublicSummaryQuerySchema,
        response: { 200: PublicSummarySchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const summary = await publicSummary(context, request.actor?.role ?? 'public');
      if (request.query.format === 'json') {
        const day = summary.asOf.slice(0, 10);
        reply.header('content-disposition', `attachment; filename="purl-public-summary-${day}.json"`);
      }
      return reply.send(presentPublicSummary(summary));
    },
  );
}
