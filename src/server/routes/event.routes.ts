import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { resolveApiToken } from '../../app/api-tokens.ts';
import type { AppContext } from '../../app/context.ts';
import { resolveSession } from '../../app/sessions.ts';
import type { Actor } from '../../core/directory/organization.ts';
import { LiveUpdates, type LiveUpdatesTiming, liveUpdatesTiming } from '../live-updates.ts';
import { actorOf, sessionCookieName } from '../plugins/access.ts';
import type { Router } from './route-helpers.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `Last-Event-ID` as EventSource sends it on reconnecting, else `?since=`; null when neither came, -1 for garbage. */
function lastEventIdOf(header: string | string[] | undefined, since: number | undefined): number | null {
  if (typeof header === 'string' && header !== '') return /^\d{1,15}$/.test(header) ? Number(header) : -1;
  return since ?? null;
}

/**
 * Whether the credential that opened a stream still authenticates the same user: a stream must not
 * outlive its session's logout or expiry, its token's revocation, or its user being disabled.
 */
function credentialCheck(context: AppContext, request: FastifyRequest, actor: Actor): () => Promise<boolean> {
  const authorization = request.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  const cookie = request.cookies[sessionCookieName];
  const same = (other: Actor | undefined) =>
    other?.userId === actor.userId &&
    other.role === actor.role &&
    other.organizationId === actor.organizationId;
  if (bearer) return async () => same(await resolveApiToken(context, bearer));
  if (cookie) return async () => same((await resolveSession(context, cookie))?.actor);
  return async () => false;
}

/**
 * `GET /api/v1/events`: server-sent events telling a logged-in user which objects it may read
 * changed (src/server/live-updates.ts). The streams end when the app closes, so a graceful
 * shutdown is not held up by them.
 */
export function eventRoutes(app: Router, context: AppContext, timing: LiveUpdatesTiming = liveUpdatesTiming) {
  const live = new LiveUpdates(context, app.log, timing);

  // A callback hook, not an async one: it runs after every response, and a read costs it no promise.
  app.addHook('onResponse', (request, reply, done) => {
    if (!safeMethods.has(request.method) && reply.statusCode < 400) {
      live.nudge();
      const action = request.routeOptions.config.action;
      if ((action === 'session.delete' || action === 'token.revoke') && request.actor)
        live.revalidate(request.actor.userId);
      else if (action?.startsWith('user.') || action?.startsWith('organization.')) live.revalidate();
    }
    done();
  });
  app.addHook('preClose', async () => live.closeAll());

  app.get(
    '/api/v1/events',
    {
      config: { action: 'events.read' },
      schema: {
        tags: ['events'],
        summary: 'Live updates: server-sent events naming the objects the caller may read that changed',
        description:
          'A `text/event-stream` that stays open. The first message is `ready` (or `refetch` when the `Last-Event-ID` header or `?since=` names an older sequence number than the current one); after each committed write, a `{ type: "changed", object: { kind, id }, seq }` message for every object the caller may read, and nothing for any other; a comment every 15 seconds. Each message id is the audit sequence number. No field of the object is sent: clients refetch.',
        querystring: Type.Object(
          {
            since: Type.Optional(
              Type.Integer({
                minimum: 0,
                description:
                  'The last sequence number the client saw, for clients that cannot set Last-Event-ID',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The event stream',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const output = await live.open({
        actor,
        lastEventId: lastEventIdOf(request.headers['last-event-id'], request.query.since),
        stillValid: credentialCheck(context, request, actor),
      });
      // The client went away: its stream is removed at once, not at the next write.
      reply.raw.once('close', () => output.destroy());
      return (
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-store')
          .header('x-accel-buffering', 'no')
          // The typed reply knows the documented string body; a stream is how that string is sent.
          .send(output as never)
      );
    },
  );
}
