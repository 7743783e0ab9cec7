import Type from 'typebox';
import { createCategory, listCategories } from '../../app/categories.ts';
import type { AppContext } from '../../app/context.ts';
import { exportCategories } from '../../app/export/list-downloads.ts';
import { exportRequirements } from '../../app/imports/list-exports.ts';
import { approvePriorityList, getPriorityList, reorderPriorityList } from '../../app/priority-list.ts';
import {
  createRequirement,
  editRequirement,
  getRequirement,
  listRequirements,
  requirementHistory,
  transitionRequirement,
} from '../../app/requirements.ts';
import {
  CategorySchema,
  IdParamsSchema,
  IfMatchHeaderSchema,
  NewRequirementSchema,
  PageExportQuerySchema,
  PageQuerySchema,
  PageSchema,
  PriorityListSchema,
  ProblemSchema,
  ReorderSchema,
  RequirementChangesSchema,
  RequirementHistoryEventSchema,
  RequirementListQuerySchema,
  RequirementSchema,
  RequirementTransitionSchema,
} from '../../contract/index.ts';
import { actorOf } from '../plugins/access.ts';
import { present } from '../presenters.ts';
import { etagOf, pageOf, type Router, sendDownload, versionFromIfMatch } from './route-helpers.ts';

const problems = { 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema, 422: ProblemSchema };

export function requirementRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/categories',
    {
      config: { action: 'category.list' },
      schema: {
        tags: ['requirements'],
        summary: 'The capability taxonomy',
        querystring: PageExportQuerySchema,
        response: { 200: PageSchema(CategorySchema) },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      if (format) return sendDownload(reply, await exportCategories(context, actorOf(request), format));
      const page = await listCategories(context, actorOf(request), pageOf(request.query));
      return { items: [...page.items], nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/categories',
    {
      config: { action: 'category.create' },
      schema: {
        tags: ['requirements'],
        summary: 'Add a capability category',
        body: CategorySchema,
        response: { 201: CategorySchema, 409: ProblemSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCategory(context, actorOf(request), request.body)),
  );

  app.get(
    '/api/v1/requirements',
    {
      config: { action: 'requirement.list' },
      schema: {
        tags: ['requirements'],
        summary: 'Requirement lines, oldest first',
        querystring: RequirementListQuerySchema,
        response: { 200: PageSchema(RequirementSchema) },
      },
    },
    async (request, reply) => {
      const { status, category, format } = request.query;
      if (format) return sendDownload(reply, await exportRequirements(context, actorOf(request), format));
      const page = await listRequirements(
        context,
        actorOf(request),
        { ...(status ? { status } : {}), ...(category ? { category } : {}) },
        pageOf(request.query),
      );
      return { items: page.items.map(present.requirement), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/requirements',
    {
      config: { action: 'requirement.create' },
      schema: {
        tags: ['requirements'],
        summary: 'Add a draft line at the bottom of the list',
        body: NewRequirementSchema,
        response: { 201: RequirementSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const requirement = await createRequirement(context, actorOf(request), request.body);
      return reply
        .code(201)
        .header('location', `/api/v1/requirements/${requirement.id}`)
        .header('etag', etagOf(requirement.version))
        .send(present.requirement(requirement));
    },
  );

  app.get(
    '/api/v1/requirements/:id',
    {
      config: { action: 'requirement.read' },
      schema: {
        tags: ['requirements'],
        summary: 'One line',
        params: IdParamsSchema,
        response: { 200: RequirementSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const requirement = await getRequirement(context, actorOf(request), request.params.id);
      return reply.header('etag', etagOf(requirement.version)).send(present.requirement(requirement));
    },
  );

  app.get(
    '/api/v1/requirements/:id/history',
    {
      config: { action: 'requirement.read' },
      schema: {
        tags: ['requirements'],
        summary: 'Who changed the line and when: its audit events, oldest first',
        params: IdParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: PageSchema(RequirementHistoryEventSchema), 404: ProblemSchema },
      },
    },
    async (request) => {
      const page = await requirementHistory(
        context,
        actorOf(request),
        request.params.id,
        pageOf(request.query),
      );
      return {
        items: page.items.map((event) => ({
          seq: event.seq,
          occurredAt: event.occurredAt,
          action: event.action,
          actorOrganization: event.actorOrganization,
          hash: event.hash,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.patch(
    '/api/v1/requirements/:id',
    {
      config: { action: 'requirement.edit' },
      schema: {
        tags: ['requirements'],
        summary: 'Edit a draft or submitted line; send If-Match with the version read',
        params: IdParamsSchema,
        headers: IfMatchHeaderSchema,
        body: RequirementChangesSchema,
        response: { 200: RequirementSchema, 428: ProblemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], true);
      const requirement = await editRequirement(
        context,
        actorOf(request),
        request.params.id,
        request.body,
        expected,
      );
      return reply.header('etag', etagOf(requirement.version)).send(present.requirement(requirement));
    },
  );

  app.post(
    '/api/v1/requirements/:id/transitions',
    {
      config: { action: 'requirement.transition' },
      schema: {
        tags: ['requirements'],
        summary: 'Submit, validate, reject or withdraw a line',
        description:
          "The action checked is the transition's own (requirement.submit, .validate, .reject, .withdraw).",
        params: IdParamsSchema,
        headers: IfMatchHeaderSchema,
        body: RequirementTransitionSchema,
        response: { 200: RequirementSchema, ...problems },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], false);
      const requirement = await transitionRequirement(
        context,
        actorOf(request),
        request.params.id,
        request.body.to,
        request.body.reason,
        expected,
      );
      return reply.header('etag', etagOf(requirement.version)).send(present.requirement(requirement));
    },
  );

  app.get(
    '/api/v1/priority-list',
    {
      config: { action: 'priority-list.read' },
      schema: {
        tags: ['requirements'],
        summary: 'The ranked list, its version and the approved version',
        response: { 200: PriorityListSchema },
      },
    },
    async (request, reply) => {
      const list = await getPriorityList(context, actorOf(request));
      return reply.header('etag', etagOf(list.version)).send(list);
    },
  );

  app.put(
    '/api/v1/priority-list',
    {
      config: { action: 'priority-list.reorder' },
      schema: {
        tags: ['requirements'],
        summary: 'Reorder the active lines: a new list version; If-Match with the list version read',
        headers: IfMatchHeaderSchema,
        body: ReorderSchema,
        response: { 200: PriorityListSchema, 428: ProblemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], true);
      const list = await reorderPriorityList(context, actorOf(request), request.body.order, expected);
      return reply.header('etag', etagOf(list.version)).send(list);
    },
  );

  app.post(
    '/api/v1/priority-list/approve',
    {
      config: { action: 'priority-list.approve' },
      schema: {
        tags: ['requirements'],
        summary: 'Approve the current list version (If-Match optional: approve only that version)',
        headers: IfMatchHeaderSchema,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PriorityListSchema, ...problems },
      },
      // The body is optional, but Fastify validates an absent body against the schema too ("must
      // be object"): a POST without a body approves like one with `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], false);
      const list = await approvePriorityList(context, actorOf(request), expected);
      return reply.header('etag', etagOf(list.version)).send(list);
    },
  );
}
