import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { exportFxRates } from '../../app/export/list-downloads.ts';
import { getRateInForce, importEcbRates, listFxRates, recordFxRate } from '../../app/fx-rates.ts';
import { FxRateQuerySchema, FxRateSchema, PageSchema, ProblemSchema } from '../../contract/index.ts';
import { Limits } from '../../core/limits.ts';
import { actorOf } from '../plugins/access.ts';
import { pageOf, type Router, sendDownload } from './route-helpers.ts';

export function fxRateRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/fx-rates',
    {
      config: { action: 'fx-rate.list' },
      schema: {
        tags: ['fx'],
        summary:
          'Rates per USD; with currency and date, the one rate in force that day (the latest on or before it)',
        querystring: FxRateQuerySchema,
        response: { 200: Type.Union([PageSchema(FxRateSchema), FxRateSchema]), 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { currency, date, format } = request.query;
      if (format) {
        const filter = { ...(currency ? { currency } : {}), ...(date ? { date } : {}) };
        return sendDownload(reply, await exportFxRates(context, actorOf(request), filter, format));
      }
      if (currency && date) return getRateInForce(context, actorOf(request), currency, date);
      const page = await listFxRates(
        context,
        actorOf(request),
        currency ? { currency } : {},
        pageOf(request.query),
      );
      return { items: [...page.items], nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/fx-rates',
    {
      config: { action: 'fx-rate.create' },
      schema: {
        tags: ['fx'],
        summary: 'Record one rate per USD with its source',
        body: FxRateSchema,
        response: { 201: FxRateSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordFxRate(context, actorOf(request), request.body)),
  );

  // The import takes the ECB's CSV file as it is: its own scope, content type and body limit.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: Limits.fxImportBodyLimitBytes },
      (_request, body, done) => done(null, body),
    );
    (scope as unknown as Router).post(
      '/api/v1/fx-rates/import',
      {
        config: { action: 'fx-rate.import' },
        bodyLimit: Limits.fxImportBodyLimitBytes,
        schema: {
          tags: ['fx'],
          summary: 'Import the ECB reference-rate CSV (daily or historical); all or nothing',
          consumes: ['text/csv'],
          body: Type.String({ maxLength: Limits.fxImportBodyLimitBytes }),
          response: {
            200: Type.Object({
              rates: Type.Integer(),
              currencies: Type.Integer(),
              firstDate: Type.Union([Type.String(), Type.Null()]),
              lastDate: Type.Union([Type.String(), Type.Null()]),
            }),
            422: ProblemSchema,
          },
        },
      },
      async (request) => importEcbRates(context, actorOf(request), request.body as string),
    );
  });
}
