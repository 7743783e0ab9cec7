import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { resolveApiToken } from '../../app/api-tokens.ts';
import type { AppContext } from '../../app/context.ts';
import { resolveSession } from '../../app/sessions.ts';
import { type Action, Policy } from '../../core/access/policy.ts';
import type { Actor } from '../../core/directory/organization.ts';
import { Failure } from '../../core/errors.ts';

export const sessionCookieName = 'purl_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action of the policy table this route performs; every route declares one. */
    action?: Action;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The id of the cookie session that authenticated the request, if one did. */
    sessionId: string | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authentication and authorisation for every route, before its body is even parsed: who is
 * asking (a bearer token, or the session cookie), whether the policy table lets that principal
 * perform the route's action, and, for cookie sessions, whether a state-changing request carries
 * the CSRF token. Credentials that are presented but invalid are 401, never silently public.
 */
async function access(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRoute', (route) => {
    const action = route.config?.action;
    if (!action || !Policy.isAction(action)) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no action of the policy table`);
    }
  });

  /** Who is asking, when a credential came: needs the database, so it is the asynchronous path. */
  async function authenticate(request: FastifyRequest, action: Action, cookie: string | undefined) {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match?.[1] ? await resolveApiToken(options.context, match[1]) : undefined;
      if (!actor)
        throw new Failure('UNAUTHENTICATED', 'The bearer token is malformed, unknown, expired or revoked.');
      request.actor = actor;
    }
    // A stale or malformed cookie makes the caller the public: public pages still load, and a
    // protected route answers 401 below.
    const session =
      !request.actor && cookie && action !== 'session.create'
        ? await resolveSession(options.context, cookie)
        : undefined;
    if (session) {
      if (!safeMethods.has(request.method)) {
        const header = request.headers['x-csrf-token'];
        if (!session.csrfMatches(typeof header === 'string' ? header : undefined))
          throw new Failure('CSRF_TOKEN_INVALID');
      }
      request.actor = session.actor;
      request.sessionId = session.id;
    }
    authorize(request, action, cookie);
  }

  function authorize(request: FastifyRequest, action: Action, cookie: string | undefined): void {
    const principal = request.actor?.role ?? 'public';
    if (!Policy.allows(principal, action)) {
      if (request.actor) throw new Failure('FORBIDDEN');
      throw new Failure(
        'UNAUTHENTICATED',
        cookie ? 'The session is malformed, unknown or expired; log in again.' : undefined,
      );
    }
  }

  // A callback hook, not an async one: a request without credentials (the public reading) is
  // decided without a promise; one with credentials goes on to `authenticate`.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      const action = request.routeOptions.config.action;
      if (!action) {
        if (request.is404) return done(); // the 404 handler: no route, nothing to protect
        throw new Failure('FORBIDDEN', 'This route declares no action.');
      }
      const cookie = request.cookies[sessionCookieName];
      if (request.headers.authorization === undefined && !cookie) {
        authorize(request, action, cookie);
        return done();
      }
      authenticate(request, action, cookie).then(() => done(), done);
    } catch (error) {
      done(error as Error);
    }
  });
}

export const accessPlugin = fp(access, { name: 'purl-access' });

/** The actor of a route whose action the public may not perform: the hook guarantees one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Failure('UNAUTHENTICATED');
  return request.actor;
}
