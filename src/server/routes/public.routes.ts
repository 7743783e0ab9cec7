import { gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { cachedPublicSummary, ifNoneMatchHits } from '../../app/summary-cache.ts';
import {
  ProblemSchema,
  type PublicSummaryJson,
  PublicSummaryQuerySchema,
  PublicSummarySchema,
} from '../../contract/index.ts';
import { Money } from '../../core/money/money.ts';
import type { PublicSummary, SummaryRow } from '../../core/reports/public-summary.ts';
import { summaryFile, summaryFileName } from '../report-export.ts';
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
      donors: pkg.donors.map((donor) => ({
        code: donor.code,
        name: donor.name,
        allocated: Money.toJson(donor.allocated),
      })),
    })),
    pledgesCounted: summary.pledgesCounted,
    reAnnouncementsExcluded: summary.reAnnouncementsExcluded,
    undisclosedPledges: summary.undisclosedPledges,
    rules: { ...summary.rules },
  };
}

/** Whether the client's Accept-Encoding takes gzip in preference to the plain bytes. */
function gzipAccepted(acceptEncoding: string | undefined): boolean {
  return acceptEncoding !== undefined && negotiate(acceptEncoding, ['gzip', 'identity']) === 'gzip';
}

export function publicRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/public/summary',
    {
      config: { action: 'public-summary.read' },
      schema: {
        tags: ['public'],
        summary:
          'The public figures by stage, donor, category, month and forum (no login; ?format=json|csv|xlsx downloads them)',
        querystring: PublicSummaryQuerySchema,
        response: { 200: PublicSummarySchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { format, table } = request.query;
      if (format === 'csv' || format === 'xlsx') {
        // A file of the same figures, rendered once per state of the data like the JSON.
        const file = await cachedPublicSummary(
          context,
          request.actor?.role ?? 'public',
          format === 'csv' ? `csv:${table ?? 'totals'}` : 'xlsx',
          (computed) => summaryFile(presentPublicSummary(computed), format, table),
        );
        const { fileName, contentType } = summaryFileName(file.summary.asOf, format, table);
        const untyped = reply as unknown as FastifyReply;
        untyped.header('etag', file.etag).header('cache-control', 'no-cache');
        if (ifNoneMatchHits(request.headers['if-none-match'], file.etag)) return untyped.code(304).send();
        return untyped
          .type(contentType)
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .send(file.body);
      }
      // Computed and serialised once per state of the data (src/app/summary-cache.ts), and gzipped
      // once for the clients that accept it (browsers and fetch all do): a fifth of the bytes to move.
      const gzip = gzipAccepted(request.headers['accept-encoding']);
      const serialise = (computed: PublicSummary) =>
        reply.serialize(presentPublicSummary(computed)) as string;
      const { summary, body, etag } = await cachedPublicSummary(
        context,
        request.actor?.role ?? 'public',
        gzip ? 'json:gzip' : 'json',
        gzip ? (computed) => gzipSync(serialise(computed), { level: 9 }) : serialise,
      );
      // The type provider knows only the schema's documents; the cached body is that document, serialised.
      const untyped = reply as unknown as FastifyReply;
      // Each encoding is its own representation with its own strong tag (RFC 9110 §8.8.3).
      untyped.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
      if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return untyped.code(304).send();
      if (gzip) untyped.header('content-encoding', 'gzip');
      if (request.query.format === 'json') {
        const day = summary.asOf.slice(0, 10);
        reply.header('content-disposition', `attachment; filename="purl-public-summary-${day}.json"`);
      }
      return untyped.type('application/json; charset=utf-8').send(body);
    },
  );
}
