import type { AppContext } from '../../app/context.ts';
import { addOrganization, addUser, disableUser, listOrganizations, listUsers } from '../../app/directory.ts';
import { exportOrganizations, exportUsers } from '../../app/export/list-downloads.ts';
import {
  IdParamsSchema,
  NewOrganizationSchema,
  NewUserSchema,
  OrganizationSchema,
  PageExportQuerySchema,
  PageSchema,
  ProblemSchema,
  UserSchema,
} from '../../contract/index.ts';
import { actorOf } from '../plugins/access.ts';
import { present } from '../presenters.ts';
import { pageOf, type Router, sendDownload } from './route-helpers.ts';

export function directoryRoutes(app: Router, context: AppContext): void {
  app.get(
    '/api/v1/organizations',
    {
      config: { action: 'organization.list' },
      schema: {
        tags: ['admin'],
        summary: 'Organisations',
        querystring: PageExportQuerySchema,
        response: { 200: PageSchema(OrganizationSchema) },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      if (format) return sendDownload(reply, await exportOrganizations(context, actorOf(request), format));
      const page = await listOrganizations(context, actorOf(request), pageOf(request.query));
      return { items: page.items.map(present.organization), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/organizations',
    {
      config: { action: 'organization.create' },
      schema: {
        tags: ['admin'],
        summary: 'Add an organisation',
        body: NewOrganizationSchema,
        response: { 201: OrganizationSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const organization = await addOrganization(context, actorOf(request), request.body);
      return reply.code(201).send(present.organization(organization));
    },
  );

  app.get(
    '/api/v1/users',
    {
      config: { action: 'user.list' },
      schema: {
        tags: ['admin'],
        summary: 'Users',
        querystring: PageExportQuerySchema,
        response: { 200: PageSchema(UserSchema) },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      if (format) return sendDownload(reply, await exportUsers(context, actorOf(request), format));
      const page = await listUsers(context, actorOf(request), pageOf(request.query));
      return { items: page.items.map(present.user), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { action: 'user.create' },
      schema: {
        tags: ['admin'],
        summary: 'Add a user with one role; the role follows the organisation kind',
        body: NewUserSchema,
        response: { 201: UserSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { organization, ...rest } = request.body;
      const user = await addUser(context, actorOf(request), { ...rest, organizationCode: organization });
      return reply.code(201).send(present.user(user));
    },
  );

  app.post(
    '/api/v1/users/:id/disable',
    {
      config: { action: 'user.disable' },
      schema: {
        tags: ['admin'],
        summary:
          'Disable a user: its sessions and tokens stop working and it cannot log in; the account stays in the record',
        params: IdParamsSchema,
        response: { 200: UserSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => present.user(await disableUser(context, actorOf(request), request.params.id)),
  );
}
