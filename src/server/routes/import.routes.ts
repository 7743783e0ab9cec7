import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { type ImportOutcome, importPledges, importRequirements } from '../../app/imports/import-files.ts';
import { importTemplate } from '../../app/imports/list-exports.ts';
import { type SheetFormat, sourceOfBuffer, xlsxContentType } from '../../app/imports/sheet-reader.ts';
import { StringEnum } from '../../contract/common.schema.ts';
import { ProblemSchema } from '../../contract/index.ts';
import { Failure } from '../../core/errors.ts';
import { type ImportKind, importKinds } from '../../core/imports/import-template.ts';
import { Limits } from '../../core/limits.ts';
import { actorOf } from '../plugins/access.ts';
import { type Router, sendDownload } from './route-helpers.ts';

const ImportOutcomeSchema = Type.Object({
  kind: StringEnum(importKinds),
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows read' }),
  created: Type.Integer({ description: 'objects written: every row, or none on a dry run' }),
  firstRef: Type.Union([Type.String(), Type.Null()]),
  lastRef: Type.Union([Type.String(), Type.Null()]),
});

function formatOfContentType(contentType: string | undefined): SheetFormat {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === xlsxContentType) return 'xlsx';
  throw new Failure('UNSUPPORTED_MEDIA_TYPE', `Send the file as text/csv or ${xlsxContentType}.`);
}

export function importRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/import/templates/:kind',
    {
      config: { action: 'import-template.read' },
      schema: {
        tags: ['imports'],
        summary: 'The empty template of a requirement or pledge import (docs/import.md)',
        params: Type.Object({ kind: StringEnum(importKinds) }, { additionalProperties: false }),
        querystring: Type.Object(
          { format: Type.Optional(StringEnum(['xlsx', 'csv'] as const)) },
          { additionalProperties: false },
        ),
        produces: ['text/csv', xlsxContentType],
      },
    },
    async (request, reply) =>
      sendDownload(reply, importTemplate(request.params.kind, request.query.format ?? 'xlsx')),
  );

  // The imports take the file itself as the body: their own scope, content types and body limit.
  app.register(async (scope) => {
    for (const type of ['text/csv', xlsxContentType]) {
      scope.addContentTypeParser(
        type,
        { parseAs: 'buffer', bodyLimit: Limits.importBodyLimitBytes },
        (_request, body, done) => done(null, body),
      );
    }
    const router = scope as unknown as Router;
    const importers: Record<ImportKind, typeof importRequirements> = {
      requirements: importRequirements,
      pledges: importPledges,
    };
    for (const kind of importKinds) {
      router.post(
        `/api/v1/imports/${kind}`,
        {
          config: { action: kind === 'requirements' ? 'requirement.import' : 'pledge.import' },
          bodyLimit: Limits.importBodyLimitBytes,
          schema: {
            tags: ['imports'],
            summary:
              kind === 'requirements'
                ? 'Import requirement lines from a CSV or XLSX file of the template: all rows or none'
                : 'Import pledges from a CSV or XLSX file of the template: all rows or none (a donor its own)',
            description:
              'The body is the file, as text/csv (UTF-8) or XLSX. With dryRun=true every row is checked and nothing is written. Problems: 422 IMPORT_ROWS_INVALID with errors[] by row and column.',
            consumes: ['text/csv', xlsxContentType],
            querystring: Type.Object(
              { dryRun: Type.Optional(Type.Boolean({ default: false })) },
              { additionalProperties: false },
            ),
            response: {
              200: ImportOutcomeSchema,
              201: ImportOutcomeSchema,
              413: ProblemSchema,
              415: ProblemSchema,
              422: ProblemSchema,
            },
          },
        },
        async (request, reply) => {
          const format = formatOfContentType(request.headers['content-type']);
          // An empty body never reaches the parser: it is an empty file, not another media type.
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const dryRun = request.query.dryRun === true;
          const outcome: ImportOutcome = await importers[kind](
            context,
            actorOf(request),
            sourceOfBuffer(format, body),
            { dryRun },
          );
          return reply.code(dryRun ? 200 : 201).send(outcome);
        },
      );
    }
  });
}
