import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { exportPackageLines, exportPackages } from '../../app/export/list-downloads.ts';
import {
  confirmReceipt,
  createPackage,
  editPackage,
  getPackage,
  listPackages,
  type PackageView,
  proposePackage,
  recordDelivery,
  transitionPackage,
} from '../../app/packages.ts';
import {
  DeliveryParamsSchema,
  DeliverySchema,
  IdParamsSchema,
  IfMatchHeaderSchema,
  NewDeliverySchema,
  NewPackageSchema,
  PackageChangesSchema,
  PackageListQuerySchema,
  PackageReadQuerySchema,
  PackageSchema,
  PackageTransitionSchema,
  PageSchema,
  ProblemSchema,
  ProposalRequestSchema,
  ProposalSchema,
  ReceiptSchema,
  WriteHeadersSchema,
  WriteProblemResponses,
} from '../../contract/index.ts';
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

export function packageRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/packages',
    {
      config: { action: 'package.list' },
      schema: {
        tags: ['packages'],
        summary: 'Packages in rank order (a donor sees those its pledges fund)',
        querystring: PackageListQuerySchema,
        response: { 200: PageSchema(PackageSchema) },
      },
    },
    async (request, reply) => {
      const { status, format } = request.query;
      if (format) {
        const filter = status ? { status } : {};
        return sendDownload(reply, await exportPackages(context, actorOf(request), filter, format));
      }
      const page = await listPackages(
        context,
        actorOf(request),
        status ? { status } : {},
        pageOf(request.query),
      );
      return { items: page.items.map(present.package), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/packages',
    {
      config: { action: 'package.create' },
      schema: {
        tags: ['packages'],
        summary: 'Create a draft package from validated requirements, ranked after the existing packages',
        body: NewPackageSchema,
        response: { 201: PackageSchema, ...problems },
      },
    },
    async (request, reply) => {
      const view = await createPackage(context, actorOf(request), request.body);
      return reply
        .code(201)
        .header('location', `/api/v1/packages/${view.package.id}`)
        .header('etag', etagOf(view.package.version))
        .send(present.package(view));
    },
  );

  app.post(
    '/api/v1/packages/proposal',
    {
      config: { action: 'package.propose' },
      schema: {
        tags: ['packages'],
        summary: 'Propose the next package from the top validated requirements, up to a target (not saved)',
        body: ProposalRequestSchema,
        response: { 200: ProposalSchema, ...problems },
      },
    },
    async (request) => present.proposal(await proposePackage(context, actorOf(request), request.body)),
  );

  app.get(
    '/api/v1/packages/:id',
    {
      config: { action: 'package.read' },
      schema: {
        tags: ['packages'],
        summary: 'One package with its lines, funding and deliveries (?format=csv|xlsx|json: its lines)',
        params: IdParamsSchema,
        querystring: PackageReadQuerySchema,
        response: { 200: PackageSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      if (format) {
        const download = await exportPackageLines(context, actorOf(request), request.params.id, format);
        return sendDownload(reply, download);
      }
      const view = await getPackage(context, actorOf(request), request.params.id);
      return reply.header('etag', etagOf(view.package.version)).send(present.package(view));
    },
  );

  app.patch(
    '/api/v1/packages/:id',
    {
      config: { action: 'package.edit' },
      schema: {
        tags: ['packages'],
        summary: 'Edit the name or target of a draft package; send If-Match with the version read',
        params: IdParamsSchema,
        headers: IfMatchHeaderSchema,
        body: PackageChangesSchema,
        response: { 200: PackageSchema, 428: ProblemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], true);
      const view = await editPackage(context, actorOf(request), request.params.id, request.body, expected);
      return reply.header('etag', etagOf(view.package.version)).send(present.package(view));
    },
  );

  app.post(
    '/api/v1/packages/:id/transitions',
    {
      config: { action: 'package.transition' },
      schema: {
        tags: ['packages'],
        summary: 'Price, open, contract, deliver, complete or cancel a package',
        description:
          'The supplier prices (with every line amount), contracts and moves to delivering; the coordinator opens, completes and cancels. Cancelling releases the allocated money with reversing journal entries.',
        params: IdParamsSchema,
        headers: WriteHeadersSchema,
        body: PackageTransitionSchema,
        response: { 200: PackageSchema, ...problems },
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
          transitionPackage(context, actor, request.params.id, request.body, expected, afterWrite),
        (view: PackageView) => ({ status: 200, body: present.package(view) }),
      );
      return reply.header('etag', etagOf(body.version)).send(body);
    },
  );

  app.post(
    '/api/v1/packages/:id/deliveries',
    {
      config: { action: 'delivery.record' },
      schema: {
        tags: ['packages'],
        summary: 'Record a shipment of a package line (the first moves the package to delivering)',
        params: IdParamsSchema,
        body: NewDeliverySchema,
        response: { 201: DeliverySchema, ...problems },
      },
    },
    async (request, reply) => {
      const { view, delivery } = await recordDelivery(
        context,
        actorOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).header('etag', etagOf(view.package.version)).send(present.delivery(delivery));
    },
  );

  app.post(
    '/api/v1/packages/:id/deliveries/:deliveryId/receipt',
    {
      config: { action: 'delivery.confirm' },
      schema: {
        tags: ['packages'],
        summary: 'Confirm receipt of a delivery (receivedOn defaults to today)',
        params: DeliveryParamsSchema,
        body: Type.Optional(ReceiptSchema),
        response: { 200: DeliverySchema, ...problems },
      },
      // An absent body confirms like `{}` (Fastify validates an absent body against the schema too).
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      present.delivery(
        await confirmReceipt(
          context,
          actorOf(request),
          request.params.id,
          request.params.deliveryId,
          request.body ?? {},
        ),
      ),
  );
}
