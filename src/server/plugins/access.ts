import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../../app/context.ts';
import { csrfMatches, resolveSession } from '../../app/sessions.ts';
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
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authentication and authorisation for every route, before its body is even parsed: who is
 * asking (session cookie), whether the policy table lets that principal perform the route's
 * action, and, for cookie sessions, whether a state-changing request carries the CSRF token.
 */
async function access(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    const action = route.config?.action;
    if (!action || !Policy.isAction(action)) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no action of the policy table`);
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const action = request.routeOptions.config.action;
    if (!action) {
      if (request.is404) return; // the 404 handler: no route, nothing to protect
      throw new Failure('FORBIDDEN', 'This route declares no action.');
    }
    const token = request.cookies[sessionCookieName];
    const isLogin = action === 'session.create';
    if (token && !isLogin) {
      const session = await resolveSession(options.context, token);
      if (session) {
        if (!safeMethods.has(request.method)) {
          const header = request.headers['x-csrf-token'];
          if (
            !csrfMatches(options.context, session.csrfHash, typeof header === 'string' ? header : undefined)
          ) {
            throw new Failure('CSRF_TOKEN_INVALID');
          }
        }
        request.actor = session.actor;
      }
    }
    const principal = request.actor?.role ?? 'public';
    if (!Policy.allows(principal, action)) {
      throw new Failure(request.actor ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
  });
}

export const accessPlugin = fp(access, { name: 'purl-access' });

/** The actor of a route whose action the public may not perform: the hook guarantees one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Failure('UNAUTHENTICATED');
  return request.actor;
}
