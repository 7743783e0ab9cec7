import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * The routes a Fastify app registers, read from `printRoutes({ commonPrefix: false })`: a tree
 * whose lines are `├── /segment (GET, HEAD)`, each segment continuing its parent's path.
 */
function registeredRoutes(app: FastifyInstance): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const segments: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    if (!line.trim()) continue;
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) throw new Error(`cannot read the route line '${line}'`);
    const [, indent = '', segment = '', methods] = match;
    segments.length = indent.length / 4;
    segments.push(segment);
    for (const method of methods?.split(', ') ?? []) routes.push({ method, path: segments.join('') });
  }
  return routes;
}

/** Fastify's `/:id` in OpenAPI's spelling `/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The OpenAPI document and the route table are built from the route schemas alone, the same
 * whichever database is behind the app, so they are checked on SQLite only; the health checks,
 * which do talk to the database, run on both dialects below.
 */
describe('the API description (on sqlite)', () => {
  let api: TestApi;
  let document: {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
  };

  beforeAll(async () => {
    api = await startApi('sqlite');
    const response = await api.public.request('GET', '/api/v1/openapi.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.json();
  });
  afterAll(async () => api?.close());

  /** The routes the API itself serves: not HEAD (Fastify adds it), not the reference's own files. */
  const apiRoutes = () =>
    registeredRoutes(api.app).filter(
      ({ method, path }) =>
        method !== 'HEAD' && !path.startsWith('/api/docs') && path !== '/api/v1/openapi.json',
    );

  test('is an OpenAPI 3.1.0 document served to anyone', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('PURL Desk API');
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('reads the route table the app registers', () => {
    const routes = apiRoutes();
    expect(routes).toContainEqual({ method: 'GET', path: '/api/v1/requirements/:id' });
    expect(routes).toContainEqual({ method: 'POST', path: '/api/v1/priority-list/approve' });
    expect(routes).toContainEqual({ method: 'GET', path: '/healthz' });
    expect(routes.length).toBeGreaterThan(15);
  });

  test('lists every route the app registers', () => {
    const undocumented = apiRoutes()
      .filter(({ method, path }) => !document.paths[openApiPath(path)]?.[method.toLowerCase()])
      .map(({ method, path }) => `${method} ${path}`);
    expect(undocumented).toEqual([]);
  });

  test('lists no route that the app does not serve', () => {
    const served = new Set(
      apiRoutes().map(({ method, path }) => `${method.toLowerCase()} ${openApiPath(path)}`),
    );
    const phantom = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => !served.has(`${method} ${path}`))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(phantom).toEqual([]);
  });

  test('gives every operation a summary and a success response', () => {
    const incomplete = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(
          ([, operation]) =>
            !operation.summary ||
            !Object.keys(operation.responses ?? {}).some((status) => /^2\d\d$/.test(status)),
        )
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(incomplete).toEqual([]);
  });

  test('describes money amounts as strings, never numbers', () => {
    type Schema = { type?: string; properties?: Record<string, Schema> };
    const create = document.paths['/api/v1/requirements']?.post as {
      requestBody: { content: Record<string, { schema: Schema }> };
    };
    const schema = create.requestBody.content['application/json']?.schema;
    expect(schema?.properties?.unitCost?.properties?.amount?.type).toBe('string');
  });

  test('serves the interactive reference at /api/docs, with the files it loads', async () => {
    const page = await api.public.request('GET', '/api/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toMatch(/swagger-ui/i);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const url = asset.startsWith('/') ? asset : `/api/docs/${asset.replace(/^\.\//, '')}`;
      const response = await api.public.request('GET', url);
      expect(response.statusCode, url).toBe(200);
    }
    const spec = await api.public.request('GET', '/api/docs/json');
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toBe('3.1.0');
  });
});

describe.each(dialects)('health on %s', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => api?.close());

  test('/healthz answers 200 without credentials', async () => {
    const response = await api.public.request('GET', '/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  test('/readyz answers 200 when the database answers and is migrated', async () => {
    const response = await api.public.request('GET', '/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, dialect });
  });
});
