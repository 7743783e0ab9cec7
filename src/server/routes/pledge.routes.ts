import type { AppContext } from '../../app/context.ts';
import { getPledge, listPledges, recordPledge, transitionPledge } from '../../app/pledges.ts';
import {
  IdParamsSchema,
  NewPledgeSchema,
  PageSchema,
  PledgeListQuerySchema,
  PledgeSchema,
  PledgeTransitionSchema,
  ProblemSchema,
  WriteHeadersSchema,
  WriteProblemResponses,
} from '../../contract/index.ts';
import type { StoredPledge } from '../../store/pledge.repository.ts';
import { actorOf } from '../plugins/access.ts';
import { present } from '../presenters.ts';
import { etagOf, pageOf, type Router, replyIdempotent, versionFromIfMatch } from './route-helpers.ts';

const problems = WriteProblemResponses;

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
    async (request) => {
      const { donor, stage } = request.query;
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
        response: { 201: PledgeSchema, ...problems },
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
        .send(body);
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
        response: { 200: PledgeSchema, ...problems },
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
      return reply.header('etag', etagOf(body.version)).send(body);
    },
  );
}
