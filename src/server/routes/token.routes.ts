import Type from 'typebox';
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/api-tokens.ts';
import type { AppContext } from '../../app/context.ts';
import { IdParamsSchema, ProblemSchema, text } from '../../contract/index.ts';
import { Limits } from '../../core/limits.ts';
import { actorOf } from '../plugins/access.ts';
import type { Router } from './route-helpers.ts';

const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export function tokenRoutes(app: Router, context: AppContext): void {
  app.post(
    '/api/v1/tokens',
    {
      config: { action: 'token.create' },
      schema: {
        tags: ['session'],
        summary: 'Create a personal API token (shown once; acts with your role; expires)',
        body: Type.Object(
          {
            name: text(Limits.nameLengthMax),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.tokenLifetimeDaysMax })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...TokenSchema.properties, token: Type.String() }) },
      },
    },
    async (request, reply) => {
      const issued = await createApiToken(context, actorOf(request), request.body);
      const { id, name, createdAt, expiresAt, revokedAt } = issued.token;
      return reply.code(201).send({ id, name, createdAt, expiresAt, revokedAt, token: issued.presented });
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      config: { action: 'token.list' },
      schema: {
        tags: ['session'],
        summary: 'Your API tokens (never their secrets)',
        response: { 200: Type.Object({ items: Type.Array(TokenSchema), nextCursor: Type.Null() }) },
      },
    },
    async (request) => {
      const tokens = await listApiTokens(context, actorOf(request));
      return {
        items: tokens.map(({ id, name, createdAt, expiresAt, revokedAt }) => ({
          id,
          name,
          createdAt,
          expiresAt,
          revokedAt,
        })),
        nextCursor: null,
      };
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { action: 'token.revoke' },
      schema: {
        tags: ['session'],
        summary: 'Revoke one of your tokens',
        params: IdParamsSchema,
        response: { 204: Type.Null(), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      await revokeApiToken(context, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
