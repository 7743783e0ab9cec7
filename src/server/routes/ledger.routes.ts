import { Readable } from 'node:stream';
import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { exportBalances, exportEntries } from '../../app/export/list-downloads.ts';
import { accountBalances, exportLedger, ledgerExportFormats, listEntries } from '../../app/ledger.ts';
import {
  AccountBalanceSchema,
  DateSchema,
  ExportFormatSchema,
  JournalEntrySchema,
  PageSchema,
  ProblemSchema,
  StringEnum,
} from '../../contract/index.ts';
import { Limits } from '../../core/limits.ts';
import { Money } from '../../core/money/money.ts';
import { actorOf } from '../plugins/access.ts';
import { pageOf, type Router, sendDownload } from './route-helpers.ts';

export function ledgerRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/ledger/accounts',
    {
      config: { action: 'ledger.read' },
      schema: {
        tags: ['ledger'],
        summary: 'Every account with its balance per currency, as of a date (inclusive)',
        querystring: Type.Object(
          { asOf: Type.Optional(DateSchema), format: Type.Optional(ExportFormatSchema) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asOf: Type.Union([DateSchema, Type.Null()]),
            items: Type.Array(AccountBalanceSchema),
            nextCursor: Type.Null(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { asOf, format } = request.query;
      if (format) return sendDownload(reply, await exportBalances(context, actorOf(request), asOf, format));
      const balances = await accountBalances(context, actorOf(request), request.query.asOf);
      return {
        asOf: request.query.asOf ?? null,
        items: balances.map((balance) => ({
          account: balance.account,
          balance: Money.toJson(balance.balance),
        })),
        nextCursor: null,
      };
    },
  );

  app.get(
    '/api/v1/ledger/entries',
    {
      config: { action: 'ledger.read' },
      schema: {
        tags: ['ledger'],
        summary:
          'Immutable journal entries in journal order, optionally those touching an account or its sub-accounts, or dated on or before asOf',
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: Limits.pageSizeMax, default: Limits.pageSizeDefault }),
            ),
            cursor: Type.Optional(Type.String({ maxLength: 512 })),
            account: Type.Optional(Type.String({ maxLength: Limits.accountNameLengthMax })),
            asOf: Type.Optional(DateSchema),
            format: Type.Optional(ExportFormatSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageSchema(JournalEntrySchema) },
      },
    },
    async (request, reply) => {
      const { account, asOf, format } = request.query;
      const filter = { ...(account ? { account } : {}), ...(asOf ? { asOf } : {}) };
      if (format) return sendDownload(reply, await exportEntries(context, actorOf(request), filter, format));
      const page = await listEntries(context, actorOf(request), filter, pageOf(request.query));
      return {
        items: page.items.map((entry) => ({
          id: entry.id,
          seq: entry.seq,
          date: entry.date,
          description: entry.description,
          postings: entry.postings.map((posting) => ({
            account: posting.account,
            amount: Money.toJson(posting.amount),
          })),
          tags: { ...entry.tags },
          reverses: entry.reverses,
          conversion: entry.conversion && {
            ...entry.conversion,
            from: Money.toJson(entry.conversion.from),
            to: Money.toJson(entry.conversion.to),
          },
          recordedAt: entry.recordedAt,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/ledger/export',
    {
      config: { action: 'ledger.export' },
      schema: {
        tags: ['ledger'],
        summary:
          'The whole journal as a plain-text file that hledger (format=hledger) or Beancount (format=beancount) reads, streamed as an attachment',
        querystring: Type.Object(
          { format: StringEnum(ledgerExportFormats, { description: 'the journal format' }) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description:
              'The journal, e.g. purl-ledger-2026-04-02.journal or purl-ledger-2026-04-02.beancount (docs/ledger.md)',
            content: { 'text/plain': { schema: Type.String() } },
          },
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const exported = exportLedger(context, actorOf(request), request.query.format);
      // Streamed as the chunks are written; the response schema documents the text, and the type
      // provider only knows the schema, so the stream is passed as what it becomes on the wire.
      const body = Readable.from(exported) as unknown as string;
      return reply
        .type(exported.mediaType)
        .header('content-disposition', `attachment; filename="${exported.fileName}"`)
        .send(body);
    },
  );
}
