import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { logIn, logOut } from '../../app/sessions.ts';
import { LoginSchema, MeSchema, ProblemSchema, SessionSchema } from '../../contract/index.ts';
import { Emails } from '../../core/directory/organization.ts';
import { Limits } from '../../core/limits.ts';
import { actorOf, sessionCookieName } from '../plugins/access.ts';
import type { Router } from './route-helpers.ts';

export function sessionRoutes(app: Router, context: AppContext, options: { secureCookies: boolean }): void {
  app.post(
    '/api/v1/session',
    {
      config: {
        action: 'session.create',
        // Throttles password guessing per client address; see docs/security.md.
        // Keyed by client address and account: guessing one account's password is throttled, while
        // colleagues behind one office address (or one test run) can still log in.
        rateLimit: {
          max: Limits.loginAttemptsPerMinute,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request) => {
            const body = request.body as { email?: unknown } | undefined;
            const email = typeof body?.email === 'string' ? Emails.normalize(body.email) : '';
            return `${request.ip}|${email}`;
          },
        },
      },
      schema: {
        tags: ['session'],
        summary: 'Log in: sets the HttpOnly session cookie and returns the CSRF token',
        body: LoginSchema,
        response: { 200: SessionSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      const grant = await logIn(context, request.body.email, request.body.password);
      reply.setCookie(sessionCookieName, grant.sessionToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.secureCookies,
        path: '/',
        maxAge: Limits.sessionLifetimeSeconds,
      });
      return {
        csrfToken: grant.csrfToken,
        expiresAt: grant.expiresAt,
        me: {
          user: { id: grant.user.id, email: grant.user.email, displayName: grant.user.displayName },
          organization: { id: grant.user.organizationId, code: grant.user.organizationCode },
          role: grant.user.role,
        },
      };
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { action: 'session.delete' },
      schema: { tags: ['session'], summary: 'Log out', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.sessionId) await logOut(context, actorOf(request), request.sessionId);
      reply.clearCookie(sessionCookieName, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { action: 'me.read' },
      schema: {
        tags: ['session'],
        summary: 'Who am I: user, organisation and role',
        response: { 200: MeSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const user = await context.store.read.users.findById(actor.userId);
      return {
        user: { id: actor.userId, email: actor.email, displayName: user?.displayName ?? actor.email },
        organization: { id: actor.organizationId, code: actor.organizationCode },
        role: actor.role,
      };
    },
  );
}
