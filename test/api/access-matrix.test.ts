import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import { type Action, Policy } from '../../src/core/access/policy.ts';
import { type Principal, type Role, roles } from '../../src/core/access/roles.ts';
import { Failure } from '../../src/core/errors.ts';
import { problemOf } from '../../src/server/http-errors.ts';
import { accessPlugin } from '../../src/server/plugins/access.ts';
import { policyTableMarkdown } from '../../tools/policy-table.ts';
import {
  type Credential,
  collectRoutes,
  fillPath,
  issueToken,
  logInOver,
  noCredential,
  type OpenApiDocument,
  type Operation,
  openApiPath,
  operationsOf,
  printedRoutes,
  type RegisteredRoute,
  send,
} from '../support/access.ts';
import { startApi, type TestApi, testAccounts, testPassword, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { openEventStream } from '../support/event-stream.ts';

/**
 * The access matrix: every route the app serves × every principal (the public and the six roles),
 * each with a cookie session and with a bearer token, against the one policy table. The routes are
 * read from the running app and from its OpenAPI document, never listed here, so a route added
 * tomorrow is in the matrix tomorrow, and a route without a row in the table fails this file.
 */

/** Routes served but left out of the OpenAPI document: the document itself and the reference page. */
const undocumented = (url: string) => url === '/api/v1/openapi.json' || url.startsWith('/api/docs');

/** What is wrong with the routes' declared actions; empty when every route names an action of the table. */
function actionProblems(routes: readonly Pick<RegisteredRoute, 'method' | 'url' | 'options'>[]) {
  return routes.flatMap(({ method, url, options }) => {
    const action: unknown = options.config?.action;
    if (typeof action !== 'string') return [`${method} ${url} declares no action`];
    if (!Policy.isAction(action)) return [`${method} ${url} declares '${action}', not in the policy table`];
    return [];
  });
}

type Verdict = 'unauthenticated (401)' | 'forbidden (403)' | 'let through';

function expectedVerdict(principal: Principal, action: Action): Verdict {
  if (Policy.allows(principal, action)) return 'let through';
  return principal === 'public' ? 'unauthenticated (401)' : 'forbidden (403)';
}

function verdictOf(status: number, code: unknown): Verdict | string {
  if (status === 401) return code === 'UNAUTHENTICATED' ? 'unauthenticated (401)' : `401 ${String(code)}`;
  if (status === 403) return code === 'FORBIDDEN' ? 'forbidden (403)' : `403 ${String(code)}`;
  return 'let through';
}

describe('a route without a row in the policy table', () => {
  /** A throwaway app with the real access plugin: the plugin is what refuses such a route. */
  async function probeApp(): Promise<FastifyInstance> {
    const app = Fastify();
    app.setErrorHandler((error, _request, reply) => {
      const problem = problemOf(error instanceof Failure ? error.code : 'INTERNAL');
      return reply.code(problem.status).send(problem);
    });
    await app.register(cookie);
    await app.register(accessPlugin, { context: {} as AppContext });
    return app;
  }
  const handler = async () => ({ ok: true });

  test('cannot be registered when it declares no action', async () => {
    const app = await probeApp();
    expect(() => app.get('/probe', handler)).toThrow(/GET \/probe declares no action of the policy table/);
    expect(() => app.get('/probe', { config: {} }, handler)).toThrow(
      /declares no action of the policy table/,
    );
  });

  test('cannot be registered when its action is not in the table', async () => {
    const app = await probeApp();
    expect(() => app.get('/probe', { config: { action: 'pledge.erase' as Action } }, handler)).toThrow(
      /GET \/probe declares no action of the policy table/,
    );
  });

  test('is served when its action is in the table, to whom the table allows', async () => {
    const app = await probeApp();
    app.get('/open', { config: { action: 'health.read' } }, handler);
    app.get('/closed', { config: { action: 'ledger.read' } }, handler);
    expect((await app.inject({ method: 'GET', url: '/open' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/closed' })).statusCode).toBe(401);
    await app.close();
  });

  test('is reported by the matrix check, whether the action is missing or unknown', () => {
    const route = (config: Record<string, unknown> | undefined) =>
      ({ method: 'GET', url: '/probe', options: { config } }) as unknown as RegisteredRoute;
    expect(
      actionProblems([route(undefined), route({ action: 'no.such' }), route({ action: 'me.read' })]),
    ).toEqual(['GET /probe declares no action', "GET /probe declares 'no.such', not in the policy table"]);
  });
});

test('docs/security.md carries the policy table as tools/policy-table.ts prints it', () => {
  const document = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
  const section = /<!-- policy-table:start -->\n([\s\S]*?)\n<!-- policy-table:end -->/.exec(document)?.[1];
  // The formatter pads table cells; the content, cell by cell, must be the tool's.
  const cells = (markdown: string | undefined) =>
    (markdown ?? '')
      .split('\n')
      .map((line) =>
        line
          .split('|')
          .map((cell) => cell.trim().replace(/^(:?)-+(:?)$/, '$1-$2'))
          .join('|'),
      )
      .join('\n');
  expect(cells(section), 'run `node --import tsx tools/policy-table.ts` and paste its output').toBe(
    cells(policyTableMarkdown()),
  );
});

describe.each(dialects)('the access matrix on %s', (dialect) => {
  let api: TestApi;
  let routes: RegisteredRoute[];
  let operations: Operation[];
  /** A cookie session and a bearer token per role; renewed when a request ends them (logging out). */
  const credentials = new Map<string, Credential>();

  async function freshCredential(role: Role, kind: 'cookie' | 'bearer'): Promise<Credential> {
    const session = await logInOver(api.app, testAccounts[role].email);
    const credential = kind === 'cookie' ? session : await issueToken(api.app, session, `matrix ${role}`);
    credentials.set(`${role}/${kind}`, credential);
    return credential;
  }

  beforeAll(async () => {
    const collected = await collectRoutes(() => startApi(dialect));
    api = collected.built;
    await api.app.ready();
    routes = collected.routes();
    const response = await send(api.app, 'GET', '/api/v1/openapi.json', noCredential);
    expect(response.statusCode).toBe(200);
    operations = operationsOf(response.json() as OpenApiDocument);
    for (const role of roles) {
      await freshCredential(role, 'cookie');
      await freshCredential(role, 'bearer');
    }
  });
  afterAll(async () => api?.close());

  const key = (method: string, url: string) => `${method} ${openApiPath(url)}`;

  test('the route collector sees every route the app registers', () => {
    // Two readings of one table: a prefixed route and its trailing-slash twin share their options
    // (one onRoute call), and printRoutes draws a wildcard under its prefix's parent; so compare
    // without trailing slashes, and wildcards by their number.
    const reading = (list: { method: string; url: string }[]) => {
      const keys = list.map(({ method, url }) => key(method, url.length > 1 ? url.replace(/\/$/, '') : url));
      return {
        routes: [...new Set(keys.filter((k) => !k.endsWith('*')))].sort(),
        wildcards: keys.filter((k) => k.endsWith('*')).length,
      };
    };
    const collected = reading(routes);
    expect(collected).toEqual(reading(printedRoutes(api.app)));
    expect(collected.routes).toContain('GET /healthz');
    expect(collected.routes).toContain('GET /readyz');
    expect(collected.routes).toContain('POST /api/v1/pledges/{id}/transitions');
  });

  test('every route the app registers is an operation of the OpenAPI document, and back', () => {
    const documented = new Set(operations.map(({ method, path }) => `${method} ${path}`));
    const served = new Set(routes.map(({ method, url }) => key(method, url)));
    expect(
      routes.filter(({ method, url }) => !undocumented(url) && !documented.has(key(method, url))),
    ).toEqual([]);
    expect([...documented].filter((operation) => !served.has(operation))).toEqual([]);
    expect(documented).toContain('GET /healthz');
    expect(documented).toContain('GET /readyz');
  });

  test('every route declares an action of the policy table', () => {
    expect(actionProblems(routes)).toEqual([]);
  });

  // Thirteen requests per route, and the routes keep coming: more than the default budget on a busy machine.
  test('every operation answers every principal exactly as the policy table says', async () => {
    const documented = new Set(operations.map(({ method, path }) => `${method} ${path}`));
    const routeOf = new Map(routes.map((route) => [key(route.method, route.url), route]));
    // Every documented operation, and the undocumented routes (the document, the reference page).
    const targets = [
      ...documented,
      ...routes.map(({ method, url }) => key(method, url)).filter((k) => !documented.has(k)),
    ];
    const streaming = new Set(
      operations
        .filter((operation) => operation.produces.includes('text/event-stream'))
        .map(({ method, path }) => `${method} ${path}`),
    );
    expect([...streaming]).toContain('GET /api/v1/events');
    const mismatches: string[] = [];
    let checked = 0;
    for (const target of targets) {
      const route = routeOf.get(target);
      const action = route?.options.config?.action;
      if (!route || !action) {
        mismatches.push(`${target}: no route or no action`);
        continue;
      }
      const [method = 'GET', path = '/'] = target.split(' ');
      const url = fillPath(path, () => randomUUID());
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const askers: [Principal, string][] = [
        ['public', 'none'],
        ...roles.flatMap((role): [Principal, string][] => [
          [role, 'cookie'],
          [role, 'bearer'],
        ]),
      ];
      for (const [principal, kind] of askers) {
        const credential = principal === 'public' ? noCredential : credentials.get(`${principal}/${kind}`);
        if (!credential) throw new Error(`no credential for ${principal}/${kind}`);
        // An event stream never ends: read its status and headers (and a refusal's problem), then hang up.
        const { statusCode, code } = streaming.has(target)
          ? await (async () => {
              const stream = await openEventStream(api.app, credential);
              const type = String(stream.headers['content-type'] ?? '');
              const problem = type.includes('json') ? JSON.parse(await stream.body()).code : undefined;
              stream.close();
              return { statusCode: stream.status, code: problem };
            })()
          : await (async () => {
              const response = await send(
                api.app,
                method,
                url,
                credential,
                body === undefined ? {} : { body },
              );
              const type = String(response.headers['content-type'] ?? '');
              return {
                statusCode: response.statusCode,
                code: type.includes('json') ? response.json().code : undefined,
              };
            })();
        const expected = expectedVerdict(principal, action);
        const actual = verdictOf(statusCode, code);
        checked += 1;
        if (actual !== expected)
          mismatches.push(
            `${target} (${action}) as ${principal} by ${kind}: ${actual}, expected ${expected}`,
          );
        // A request may end its own credential (DELETE /api/v1/session logs out): renew it.
        if (principal !== 'public') {
          const me = await send(api.app, 'GET', '/api/v1/me', credential);
          if (me.statusCode === 401) await freshCredential(principal, kind as 'cookie' | 'bearer');
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(targets.length * (1 + 2 * roles.length));
    expect(targets.length).toBeGreaterThan(25);
  }, 120_000);

  describe('the relation to the object: own organisation', () => {
    let germany: Credential;
    let britain: Credential;
    let coordinator: Credential;
    let auditor: Credential;
    let britishPledge: { id: string; ref: string };

    const pledgeBody = (donor: string, amount: string) => ({
      donor,
      amount: usd(amount),
      announcedOn: '2026-02-12',
      forum: 'UDCG, Brussels, 2026-02-12',
      visibility: 'restricted',
    });

    beforeAll(async () => {
      const { context } = api.database;
      await addOrganization(context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
      await addUser(context, systemActor, {
        email: 'donor@deu.test',
        organizationCode: 'DEU',
        role: 'donor',
        password: testPassword,
      });
      germany = await logInOver(api.app, 'donor@deu.test');
      britain = await logInOver(api.app, testAccounts.donor.email);
      coordinator = await logInOver(api.app, testAccounts.coordinator.email);
      auditor = await logInOver(api.app, testAccounts.auditor.email);
      const created = await send(api.app, 'POST', '/api/v1/pledges', britain, {
        body: pledgeBody('GBR', '250000000.00'),
      });
      expect(created.statusCode, created.body).toBe(201);
      britishPledge = created.json();
      const german = await send(api.app, 'POST', '/api/v1/pledges', germany, {
        body: pledgeBody('DEU', '300000000.00'),
      });
      expect(german.statusCode, german.body).toBe(201);
    });

    /** The answer to a pledge that does not exist: what another donor's pledge must look like. */
    async function absent(credential: Credential, method: string, suffix = '', body?: unknown) {
      const response = await send(api.app, method, `/api/v1/pledges/${randomUUID()}${suffix}`, credential, {
        ...(body === undefined ? {} : { body }),
      });
      return { status: response.statusCode, code: response.json().code, detail: response.json().detail };
    }

    test("a donor reads its own pledge, and another donor's is 404 as if it did not exist", async () => {
      const own = await send(api.app, 'GET', `/api/v1/pledges/${britishPledge.id}`, britain);
      expect(own.statusCode).toBe(200);
      expect(own.json().ref).toBe(britishPledge.ref);
      const other = await send(api.app, 'GET', `/api/v1/pledges/${britishPledge.id}`, germany);
      const shape = { status: other.statusCode, code: other.json().code, detail: other.json().detail };
      expect(shape).toEqual({ status: 404, code: 'NOT_FOUND', detail: expect.any(String) });
      expect(shape).toEqual(await absent(germany, 'GET'));
      expect(other.body).not.toContain(britishPledge.ref);
      expect(other.body).not.toContain('250000000');
    });

    test("another donor's bearer token gets the same 404", async () => {
      const token = await issueToken(api.app, germany, 'relation');
      const other = await send(api.app, 'GET', `/api/v1/pledges/${britishPledge.id}`, token);
      expect(other.statusCode).toBe(404);
    });

    test("a donor cannot move another donor's pledge: 404, and nothing is written", async () => {
      const head = await api.database.context.store.read.audit.head();
      const change = { to: 'committed', on: '2026-02-20' };
      const other = await send(api.app, 'POST', `/api/v1/pledges/${britishPledge.id}/transitions`, germany, {
        body: change,
      });
      expect({ status: other.statusCode, code: other.json().code, detail: other.json().detail }).toEqual(
        await absent(germany, 'POST', '/transitions', change),
      );
      expect(other.statusCode).toBe(404);
      expect(await api.database.context.store.read.audit.head()).toEqual(head);
      const own = await send(api.app, 'GET', `/api/v1/pledges/${britishPledge.id}`, britain);
      expect(own.json().stage).toBe('announced');
    });

    test('a donor moves its own pledge', async () => {
      const moved = await send(api.app, 'POST', `/api/v1/pledges/${britishPledge.id}/transitions`, britain, {
        body: { to: 'committed', on: '2026-02-20' },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().stage).toBe('committed');
    });

    test("a donor's list holds its own pledges only, whatever donor it asks for", async () => {
      for (const query of ['', '?donor=GBR', '?donor=DEU']) {
        const list = await send(api.app, 'GET', `/api/v1/pledges${query}`, germany);
        expect(list.statusCode).toBe(200);
        const donors = list.json().items.map((item: { donor: string }) => item.donor);
        // The donor filter is narrowed to the caller's own organisation, never widened.
        expect(new Set(donors), query).toEqual(new Set(['DEU']));
      }
    });

    test('a donor may not record a pledge for another government: 403, nothing written', async () => {
      const head = await api.database.context.store.read.audit.head();
      const refused = await send(api.app, 'POST', '/api/v1/pledges', germany, {
        body: pledgeBody('GBR', '1.00'),
      });
      expect({ status: refused.statusCode, code: refused.json().code }).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
      expect(await api.database.context.store.read.audit.head()).toEqual(head);
    });

    test('the coordinator and the auditor read every donor’s pledges', async () => {
      for (const credential of [coordinator, auditor]) {
        const one = await send(api.app, 'GET', `/api/v1/pledges/${britishPledge.id}`, credential);
        expect(one.statusCode).toBe(200);
        const list = await send(api.app, 'GET', '/api/v1/pledges', credential);
        const donors = new Set(list.json().items.map((item: { donor: string }) => item.donor));
        expect(donors).toEqual(new Set(['GBR', 'DEU']));
      }
    });
  });
});
