import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import fp from 'fastify-plugin';

/**
 * The headers helmet sends with these options, worked out once. @fastify/helmet builds a new
 * helmet middleware, and parses the Content-Security-Policy again, for every request (two hooks,
 * about a fifth of a cached summary's server time); the headers never depend on the request, so
 * we let helmet itself answer one request on a throwaway app and keep what it set.
 */
export async function securityHeadersOf(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  try {
    await probe.register(helmet, options);
    // helmet writes to the raw response; Fastify's own headers are added only when the reply is sent.
    // The not-found handler answers, so the probe registers no route for anything watching routes.
    probe.setNotFoundHandler(async (_request, reply) => reply.code(200).send(reply.raw.getHeaders()));
    const response = await probe.inject({ method: 'GET', url: '/' });
    const set = response.json() as Record<string, string | number | string[]>;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(set))
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    if (!headers['content-security-policy']) throw new Error('helmet set no Content-Security-Policy');
    return Object.freeze(headers) as Record<string, string>;
  } finally {
    await probe.close();
  }
}

/**
 * Every answer carries the security headers (and the request id its log lines name), set in one
 * synchronous hook from objects computed at start-up.
 */
async function securityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<void> {
  const headers = await securityHeadersOf(options);
  const names = Object.keys(headers);
  app.addHook('onRequest', (request, reply, done) => {
    for (const name of names) reply.header(name, headers[name]);
    reply.header('x-request-id', request.id);
    done();
  });
}

export const securityHeadersPlugin = fp(securityHeaders, { name: 'purl-security-headers' });
