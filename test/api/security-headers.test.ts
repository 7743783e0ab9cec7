import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { securityHeadersOf } from '../../src/server/plugins/security-headers.ts';
import { startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/** The headers @fastify/helmet itself sends, per request, with these options. */
async function headersHelmetSends(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const app = Fastify({ logger: false });
  try {
    await app.register(helmet, options);
    app.get('/', async () => ({ ok: true }));
    const response = await app.inject({ method: 'GET', url: '/' });
    const ordinary = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
    return Object.fromEntries(
      Object.entries(response.headers)
        .filter(([name]) => !ordinary.has(name))
        .map(([name, value]) => [name, String(value)]),
    );
  } finally {
    await app.close();
  }
}

describe('security headers computed once', () => {
  const optionSets: [string, FastifyHelmetOptions][] = [
    ['helmet’s defaults', {}],
    [
      'a policy of our own, without HSTS',
      {
        contentSecurityPolicy: {
          directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null },
        },
        strictTransportSecurity: false,
      },
    ],
  ];
  test.each(optionSets)(
    'are exactly the headers helmet sends per request, with %s',
    async (_name, options) => {
      const expected = await headersHelmetSends(options);
      expect(Object.keys(expected).length).toBeGreaterThan(8);
      expect(await securityHeadersOf(options)).toEqual(expected);
    },
  );
});

describe.each(dialects)('security headers on every kind of answer on %s', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api?.close();
  });

  test('200, 304, 401, 404 and 422 answers all carry the same full set, and their own request id', async () => {
    const summary = await api.public.request('GET', '/api/v1/public/summary');
    const answers: LightMyRequestResponse[] = [
      summary,
      await api.public.request('GET', '/api/v1/public/summary', {
        headers: { 'if-none-match': String(summary.headers.etag) },
      }),
      await api.public.request('GET', '/healthz'),
      await api.public.request('GET', '/api/v1/me'),
      await api.public.request('GET', '/api/v1/me', { headers: { cookie: 'purl_session=stale.cookie' } }),
      await api.public.request('GET', '/api/v1/no-such-route'),
      await api.public.request('GET', '/api/v1/public/summary?format=nonsense'),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 304, 200, 401, 401, 404, 422]);
    const names = [
      'content-security-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
      'referrer-policy',
      'x-content-type-options',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-frame-options',
      'x-permitted-cross-domain-policies',
      'x-xss-protection',
    ];
    const first = answers[0]?.headers ?? {};
    // Every header present on the first answer, so that equal answers cannot be equally without it.
    for (const name of names) expect(first[name], name).toEqual(expect.any(String));
    for (const answer of answers) {
      for (const name of names) expect(answer.headers[name], name).toBe(first[name]);
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['strict-transport-security']).toBeUndefined();
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(answers.map((answer) => answer.headers['x-request-id'])).size).toBe(answers.length);
  });
});
