import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { exportPledges } from '../../app/imports/list-exports.ts';
import { getPledge, listPledges, recordPledge, transitionPledge } from '../../app/pledges.ts';
import { pledgeReceipts, pledgeWriteReceipt } from '../../app/receipts.ts';
import {
  IdParamsSchema,
  NewPledgeSchema,
  PageSchema,
  type PledgeJson,
  PledgeListQuerySchema,
  PledgeSchema,
  PledgeTransitionSchema,
  ProblemSchema,
  WriteHeadersSchema,
  WriteProblemResponses,
} from '../../contract/index.ts';
import { type ReceiptJson, ReceiptSchema } from '../../contract/receipt.schema.ts';
import type { StoredPledge } from '../../store/pledge.repository.ts';
import { actorOf } from '../plugins/access.ts';
import { present } from '../presenters.ts';
import {
  etagOf,
  pageOf,
  type Router,
  replyIdempotent,
  sendDownload,
  versionFromIfMatch,
} from './route-helpers.ts';

const problems = WriteProblemResponses;

/** A pledge as a write answers it: the pledge, and the receipt of that write (additive to PledgeSchema). */
const WrittenPledgeSchema = Type.Object({
  ...PledgeSchema.properties,
  receipt: Type.Optional(ReceiptSchema),
});

/** Adds the receipt of the write that left the pledge at its version; also on an idempotent replay. */
async function withReceipt(context: AppContext, body: PledgeJson) {
  const receipt = await pledgeWriteReceipt(context, body);
  return receipt ? { ...body, receipt: receipt as ReceiptJson } : body;
}

export function pledgeRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/pledges',
    {
      config: { action: 'pledge.list' },
      schema: {
        tags: ['pledges'],
        summary: 'Pledges by announcement date (a donor sees its own)',
        querystring: PledgeListQuerySchema,
        response: { 200: PageSchema(PledgeSchema) },
      },
    },
    async (request, reply) => {
      const { donor, stage, format } = request.query;
      if (format) return sendDownload(reply, await exportPledges(context, actorOf(request), format));
      const page = await listPledges(
        context,
        actorOf(request),
        { ...(donor ? { donor } : {}), ...(stage ? { stage } : {}) },
        pageOf(request.query),
      );
      return { items: page.items.map(present.pledge), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/pledges',
    {
      config: { action: 'pledge.create' },
      schema: {
        tags: ['pledges'],
        summary: 'Record a pledge (a donor its own; a coordinator one announced in public, with its source)',
        headers: WriteHeadersSchema,
        body: NewPledgeSchema,
        response: { 201: WrittenPledgeSchema, ...problems },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = await replyIdempotent(
        context,
        request,
        reply,
        (afterWrite) => recordPledge(context, actor, request.body, afterWrite),
        (pledge: StoredPledge) => ({ status: 201, body: present.pledge(pledge) }),
      );
      return reply
        .header('location', `/api/v1/pledges/${body.id}`)
        .header('etag', etagOf(body.version))
        .send(await withReceipt(context, body));
    },
  );

  app.get(
    '/api/v1/pledges/:id',
    {
      config: { action: 'pledge.read' },
      schema: {
        tags: ['pledges'],
        summary: 'One pledge',
        params: IdParamsSchema,
        response: { 200: PledgeSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const pledge = await getPledge(context, actorOf(request), request.params.id);
      return reply.header('etag', etagOf(pledge.version)).send(present.pledge(pledge));
    },
  );

  app.post(
    '/api/v1/pledges/:id/transitions',
    {
      config: { action: 'pledge.transition' },
      schema: {
        tags: ['pledges'],
        summary: 'Commit or pay a pledge on a date; its USD value is locked at that date’s rate',
        params: IdParamsSchema,
        headers: WriteHeadersSchema,
        body: PledgeTransitionSchema,
        response: { 200: WrittenPledgeSchema, ...problems },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const expected = versionFromIfMatch(request.headers['if-match'], false);
      const body = await replyIdempotent(
        context,
        request,
        reply,
        (afterWrite) =>
          transitionPledge(context, actor, request.params.id, request.body, expected, afterWrite),
        (pledge: StoredPledge) => ({ status: 200, body: present.pledge(pledge) }),
      );
      return reply.header('etag', etagOf(body.version)).send(await withReceipt(context, body));
    },
  );

  app.get(
    '/api/v1/pledges/:id/receipts',
    {
      config: { action: 'pledge.read' },
      schema: {
        tags: ['pledges'],
        summary:
          'The receipts of every write of a pledge, newest first: each checked offline by `purl audit verify --receipt`',
        params: IdParamsSchema,
        response: { 200: Type.Object({ items: Type.Array(ReceiptSchema) }), 404: ProblemSchema },
      },
    },
    async (request) => ({
      items: (await pledgeReceipts(context, actorOf(request), request.params.id)) as ReceiptJson[],
    }),
  );
}
