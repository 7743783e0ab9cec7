import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { runIdempotent } from '../../app/idempotency.ts';
import { getPledge, listPledges, recordPledge, transitionPledge } from '../../app/pledges.ts';
import {
  IdParamsSchema,
  IfMatchHeaderSchema,
  NewPledgeSchema,
  PageSchema,
  PledgeListQuerySchema,
  PledgeSchema,
  PledgeTransitionSchema,
  ProblemSchema,
} from '../../contract/index.ts';
import type { StoredPledge } from '../../store/pledge.repository.ts';
import { actorOf } from '../plugins/access.ts';
import { present } from '../presenters.ts';
import { etagOf, idempotencyOf, pageOf, type Router, versionFromIfMatch } from './route-helpers.ts';

const problems = {
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
};
const IdempotencyHeaderSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      maxLength: 128,
      description: 'Retry-safe key: the same key and body return the first response',
    }),
  ),
  'if-match': Type.Optional(Type.String({ maxLength: 64 })),
});

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
        headers: IdempotencyHeaderSchema,
        body: NewPledgeSchema,
        response: { 201: PledgeSchema, ...problems },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const outcome = await runIdempotent<StoredPledge>(
        context,
        actor,
        idempotencyOf(context, request),
        (afterWrite) => recordPledge(context, actor, request.body, afterWrite),
        (pledge) => ({ status: 201, body: present.pledge(pledge) }),
      );
      const body = outcome.body as ReturnType<typeof present.pledge>;
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .code(outcome.status)
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
        headers: IdempotencyHeaderSchema,
        body: PledgeTransitionSchema,
        response: { 200: PledgeSchema, ...problems },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const expected = versionFromIfMatch(request.headers['if-match'], false);
      const outcome = await runIdempotent<StoredPledge>(
        context,
        actor,
        idempotencyOf(context, request),
        (afterWrite) =>
          transitionPledge(context, actor, request.params.id, request.body, expected, afterWrite),
        (pledge) => ({ status: 200, body: present.pledge(pledge) }),
      );
      const body = outcome.body as ReturnType<typeof present.pledge>;
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(outcome.status).header('etag', etagOf(body.version)).send(body);
    },
  );
}
