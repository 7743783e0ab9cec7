import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContext, systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import { Policy } from '../../src/core/access/policy.ts';
import { roles } from '../../src/core/access/roles.ts';
import { Limits } from '../../src/core/limits.ts';
import { buildApp } from '../../src/server/app.ts';
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
  type RegisteredRoute,
  send,
} from '../support/access.ts';
import { newRequirement, startApi, type TestApi, testAccounts, testPassword, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * The attacks of issue 5, each against the real app on a real database: stolen, expired, revoked
 * and orphaned API tokens, password guessing, cross-site writes, guessed ids, injection in text
 * fields, oversized bodies; and the headers that keep a browser from running or framing what we
 * send. Each refusal is checked to have written nothing.
 */
describe.each(dialects)('security on %s', (dialect) => {
  let api: TestApi;
  let routes: RegisteredRoute[];
  let operations: Operation[];
  let recipient: Extract<Credential, { kind: 'cookie' }>;
  let coordinator: Credential;
  let britain: Credential;
  let germany: Credential;

  beforeAll(async () => {
    const collected = await collectRoutes(() => startApi(dialect));
    api = collected.built;
    await api.app.ready();
    routes = collected.routes();
    operations = operationsOf(
      (await send(api.app, 'GET', '/api/v1/openapi.json', noCredential)).json() as OpenApiDocument,
    );
    const { context } = api.database;
    await addOrganization(context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
    await addUser(context, systemActor, {
      email: 'donor@deu.test',
      organizationCode: 'DEU',
      role: 'donor',
      password: testPassword,
    });
    recipient = await logInOver(api.app, testAccounts.recipient.email);
    coordinator = await logInOver(api.app, testAccounts.coordinator.email);
    britain = await logInOver(api.app, testAccounts.donor.email);
    germany = await logInOver(api.app, 'donor@deu.test');
  });
  afterAll(async () => api?.close());

  const db = () => api.database.context.store.db;

  /** What a refused request must leave as it was: the audit head and the rows of every business table. */
  async function snapshot() {
    const count = async (
      table: 'requirement' | 'pledge' | 'api_token' | 'session' | 'organization' | 'app_user',
    ) =>
      String(
        (await db().selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
      );
    return {
      head: await api.database.context.store.read.audit.head(),
      requirements: await count('requirement'),
      pledges: await count('pledge'),
      tokens: await count('api_token'),
      sessions: await count('session'),
      organizations: await count('organization'),
      users: await count('app_user'),
    };
  }

  function problem(response: LightMyRequestResponse) {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    return { status: response.statusCode, code: response.json().code };
  }

  describe('API tokens', () => {
    test('a new token is shown once: the create answer has it, the list never does', async () => {
      const created = await send(api.app, 'POST', '/api/v1/tokens', recipient, { body: { name: 'ci' } });
      expect(created.statusCode).toBe(201);
      const { id, token } = created.json();
      expect(token).toMatch(new RegExp(`^${id}\\.[A-Za-z0-9_-]{40,}$`));
      const secret = token.split('.')[1];
      const list = await send(api.app, 'GET', '/api/v1/tokens', recipient);
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toContainEqual(expect.objectContaining({ id, name: 'ci', revokedAt: null }));
      expect(list.body).not.toContain(secret);
      expect(list.json().items.every((item: object) => !('token' in item))).toBe(true);
    });

    test('the database keeps a salt and a salted hash, never the token', async () => {
      const { id, token } = await issueToken(api.app, recipient, 'stored');
      const row = await db()
        .selectFrom('api_token')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(Object.keys(row).sort()).toEqual(
        ['created_at', 'expires_at', 'id', 'name', 'revoked_at', 'salt', 'secret_hash', 'user_id'].sort(),
      );
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.salt.length).toBeGreaterThanOrEqual(16);
      const secret = token.split('.')[1] ?? '';
      expect(JSON.stringify(row)).not.toContain(secret);
      // Neither does the audit chain.
      const events = await db().selectFrom('audit_event').selectAll().execute();
      expect(
        JSON.stringify(events, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
      ).not.toContain(secret);
    });

    test("a bearer token acts as its user, with the user's role and nothing more", async () => {
      const bearer = await issueToken(api.app, recipient, 'acts');
      const me = await send(api.app, 'GET', '/api/v1/me', bearer);
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ role: 'recipient', user: { email: testAccounts.recipient.email } });
      // A write needs no CSRF token: no browser sends a bearer header on its own.
      const written = await send(api.app, 'POST', '/api/v1/requirements', bearer, { body: newRequirement() });
      expect(written.statusCode, written.body).toBe(201);
      const event = await db()
        .selectFrom('audit_event')
        .select(['actor_user_id', 'actor_organization', 'action'])
        .where('object_id', '=', written.json().id)
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({ actor_organization: 'UKR', action: 'requirement.create' });
      expect(event.actor_user_id).toBe(me.json().user.id);
      for (const [method, url] of [
        ['POST', '/api/v1/priority-list/approve'],
        ['GET', '/api/v1/pledges'],
        ['GET', '/api/v1/users'],
      ] as const) {
        expect(
          problem(await send(api.app, method, url, bearer, method === 'POST' ? { body: {} } : {})),
        ).toEqual({
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    });

    test('an expired token is 401: by the clock, and by its stored expiry', async () => {
      const bearer = await issueToken(api.app, recipient, 'short', 1);
      expect((await send(api.app, 'GET', '/api/v1/me', bearer)).statusCode).toBe(200);
      // The same database, read two days later.
      const later = createContext(api.database.context.store, {
        now: () => new Date(Date.now() + 2 * 86_400_000),
      });
      const laterApp = await buildApp({ context: later });
      try {
        expect(problem(await send(laterApp, 'GET', '/api/v1/me', bearer))).toEqual({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      } finally {
        await laterApp.close();
      }
      await db()
        .updateTable('api_token')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', bearer.id)
        .execute();
      expect(problem(await send(api.app, 'GET', '/api/v1/me', bearer))).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    });

    test('a revoked token is 401; only its owner may revoke it', async () => {
      const bearer = await issueToken(api.app, recipient, 'revoked');
      const stranger = await send(api.app, 'DELETE', `/api/v1/tokens/${bearer.id}`, coordinator);
      expect(problem(stranger)).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect((await send(api.app, 'GET', '/api/v1/me', bearer)).statusCode).toBe(200);
      expect((await send(api.app, 'DELETE', `/api/v1/tokens/${bearer.id}`, recipient)).statusCode).toBe(204);
      expect(problem(await send(api.app, 'GET', '/api/v1/me', bearer))).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      const listed = (await send(api.app, 'GET', '/api/v1/tokens', recipient)).json().items;
      expect(listed.find((item: { id: string }) => item.id === bearer.id)?.revokedAt).toEqual(
        expect.any(String),
      );
    });

    test('the token and the session of a user who is then disabled are 401, and the login fails', async () => {
      await addUser(api.database.context, systemActor, {
        email: 'leaver@ukr.test',
        organizationCode: 'UKR',
        role: 'recipient',
        password: testPassword,
      });
      const session = await logInOver(api.app, 'leaver@ukr.test');
      const bearer = await issueToken(api.app, session, 'leaver');
      expect((await send(api.app, 'GET', '/api/v1/me', bearer)).statusCode).toBe(200);
      await db()
        .updateTable('app_user')
        .set({ disabled: 1 })
        .where('email', '=', 'leaver@ukr.test')
        .execute();
      for (const credential of [bearer, session]) {
        expect(problem(await send(api.app, 'GET', '/api/v1/me', credential))).toEqual({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
      const before = await snapshot();
      expect(
        problem(await send(api.app, 'POST', '/api/v1/requirements', bearer, { body: newRequirement() })),
      ).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await snapshot()).toEqual(before);
      const login = await send(api.app, 'POST', '/api/v1/session', noCredential, {
        body: { email: 'leaver@ukr.test', password: testPassword },
      });
      expect(problem(login)).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    });

    test('a malformed, unknown or forged Authorization header is 401, never the public', async () => {
      const { id, token } = await issueToken(api.app, recipient, 'forged');
      const headers = [
        'Bearer',
        'Bearer ',
        'Basic cGxhbm5lckB1a3IudGVzdDpjb3JyZWN0IGhvcnNlIGJhdHRlcnkgc3RhcGxl',
        'Bearer not-a-token',
        `Bearer ${id}.${'A'.repeat(43)}`,
        `Bearer ${randomUUID()}.${token.split('.')[1]}`,
        `Bearer ${token} extra`,
        `Bearer ${token.slice(0, -1)}`,
        `Token ${token}`,
      ];
      for (const authorization of headers) {
        // On a public route too: presented credentials are checked, not ignored.
        for (const url of ['/api/v1/me', '/healthz']) {
          const response = await send(api.app, 'GET', url, noCredential, { headers: { authorization } });
          expect(problem(response), `${authorization} on ${url}`).toEqual({
            status: 401,
            code: 'UNAUTHENTICATED',
          });
        }
      }
      // A valid session cookie does not rescue a bad bearer header.
      const mixed = await send(api.app, 'GET', '/api/v1/me', recipient, {
        headers: { authorization: 'Bearer not-a-token' },
      });
      expect(problem(mixed)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });
  });

  describe('password guessing', () => {
    test(`the ${Limits.loginAttemptsPerMinute + 1}th login to one account from one client within a minute is 429`, async () => {
      const remoteAddress = '203.0.113.77';
      const attempt = (password: string) =>
        send(api.app, 'POST', '/api/v1/session', noCredential, {
          remoteAddress,
          body: { email: testAccounts.admin.email, password },
        });
      // One right password first: the throttle counts logins, not failures. It also keeps the failures
      // in a row below the account lockout (login-lockout.test.ts), which is not what this test is about.
      expect((await attempt(testPassword)).statusCode).toBe(200);
      for (let index = 1; index < Limits.loginAttemptsPerMinute; index += 1) {
        expect(problem(await attempt(`wrong password ${index}`))).toEqual({
          status: 401,
          code: 'INVALID_CREDENTIALS',
        });
      }
      const throttled = await attempt('wrong password again');
      expect(problem(throttled)).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(throttled.json()).toMatchObject({ type: 'urn:purl-desk:error:RATE_LIMITED', status: 429 });
      // Even the right password waits: the throttle does not tell a guesser when it has guessed.
      expect(problem(await attempt(testPassword))).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(throttled.cookies).toEqual([]);
      // Another account behind the same address is not locked out by this one.
      const colleague = await send(api.app, 'POST', '/api/v1/session', noCredential, {
        remoteAddress,
        body: { email: testAccounts.recipient.email, password: testPassword },
      });
      expect(colleague.statusCode).toBe(200);
      // Another client is not locked out by this one.
      const elsewhere = await send(api.app, 'POST', '/api/v1/session', noCredential, {
        remoteAddress: '203.0.113.78',
        body: { email: testAccounts.admin.email, password: testPassword },
      });
      expect(elsewhere.statusCode).toBe(200);
    });
  });

  describe('headers', () => {
    test('every answer carries a strict Content-Security-Policy, nosniff and no framing', async () => {
      const answers = [
        await send(api.app, 'GET', '/healthz', noCredential),
        await send(api.app, 'GET', '/api/v1/me', noCredential),
        await send(api.app, 'GET', '/api/v1/no-such-route', noCredential),
        await send(api.app, 'GET', '/api/v1/requirements', recipient),
        await send(api.app, 'GET', '/api/docs', noCredential),
      ];
      for (const response of answers) {
        const policy = String(response.headers['content-security-policy']);
        const directives = new Map(
          policy.split(';').map((directive) => {
            const [name = '', ...values] = directive.trim().split(/\s+/);
            return [name, values.join(' ')] as const;
          }),
        );
        expect(directives.get('default-src')).toBe("'self'");
        expect(directives.get('script-src')).toBe("'self'");
        expect(directives.get('object-src')).toBe("'none'");
        expect(directives.get('frame-ancestors')).toBe("'none'");
        expect(directives.get('base-uri')).toBe("'self'");
        expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toMatch(/^(DENY|SAMEORIGIN)$/);
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    test('behind HTTPS the session cookie is Secure and HSTS is sent', async () => {
      const secureApp = await buildApp({ context: api.database.context, secureCookies: true });
      try {
        const login = await send(secureApp, 'POST', '/api/v1/session', noCredential, {
          body: { email: testAccounts.auditor.email, password: testPassword },
        });
        const cookie = login.cookies.find((candidate) => candidate.name === 'purl_session');
        expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
        expect(login.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      } finally {
        await secureApp.close();
      }
    });
  });

  describe('cross-site requests', () => {
    /** Every state-changing operation of the document but logging in (which has no session yet). */
    const writes = () =>
      operations.filter(
        ({ method, path }) => !['GET', 'HEAD', 'OPTIONS'].includes(method) && path !== '/api/v1/session',
      );

    test.each([
      ['without x-csrf-token', {}],
      ['with another x-csrf-token', { 'x-csrf-token': 'A'.repeat(43) }],
      ['from another origin', { origin: 'https://evil.example', referer: 'https://evil.example/' }],
    ])(
      'a cookie-session write %s is 403 CSRF_TOKEN_INVALID on every route, and writes nothing',
      async (_name, extra) => {
        expect(writes().length).toBeGreaterThan(10);
        const before = await snapshot();
        const refusals: string[] = [];
        for (const { method, path } of writes()) {
          const headers: Record<string, string> = { cookie: recipient.cookie, ...extra };
          const response = await api.app.inject({
            method: method as 'POST',
            url: fillPath(path, () => randomUUID()),
            headers,
            ...(method === 'DELETE' ? {} : { payload: {} }),
          });
          const answer = `${response.statusCode} ${response.json().code}`;
          if (answer !== '403 CSRF_TOKEN_INVALID') refusals.push(`${method} ${path}: ${answer}`);
        }
        expect(refusals).toEqual([]);
        expect(await snapshot()).toEqual(before);
        // The session survived (the DELETE /api/v1/session above was refused too) and works with its token.
        expect((await send(api.app, 'GET', '/api/v1/me', recipient)).statusCode).toBe(200);
      },
    );
  });

  describe('guessed ids', () => {
    let britishPledges: { id: string; ref: string }[];
    let requirementIds: string[];

    beforeAll(async () => {
      britishPledges = [];
      for (const amount of ['1000000.00', '2000000.00', '3000000.00']) {
        const response = await send(api.app, 'POST', '/api/v1/pledges', britain, {
          body: { donor: 'GBR', amount: usd(amount), announcedOn: '2026-02-12', visibility: 'restricted' },
        });
        expect(response.statusCode, response.body).toBe(201);
        britishPledges.push(response.json());
      }
      requirementIds = [];
      for (const title of ['Radars', 'Generators']) {
        const response = await send(api.app, 'POST', '/api/v1/requirements', recipient, {
          body: newRequirement({ title }),
        });
        requirementIds.push(response.json().id);
      }
    });

    const shape = (response: LightMyRequestResponse) => ({
      status: response.statusCode,
      code: response.json().code,
      detail: response.json().detail,
    });

    test('ids are random UUIDs, not a sequence to walk', () => {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      for (const id of [...britishPledges.map((pledge) => pledge.id), ...requirementIds])
        expect(id).toMatch(uuid);
    });

    test("another donor guessing a pledge's id or ref gets the 404 of a pledge that does not exist", async () => {
      const nothing = shape(await send(api.app, 'GET', `/api/v1/pledges/${randomUUID()}`, germany));
      expect(nothing).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      const guesses = [
        ...britishPledges.map((pledge) => pledge.id),
        ...Array.from({ length: 8 }, (_, index) => `P-${index + 1}`),
        ...Array.from({ length: 8 }, () => randomUUID()),
        '1',
        '00000000-0000-0000-0000-000000000001',
      ];
      for (const guess of guesses) {
        expect(shape(await send(api.app, 'GET', `/api/v1/pledges/${guess}`, germany)), guess).toEqual(
          nothing,
        );
        const moved = await send(api.app, 'POST', `/api/v1/pledges/${guess}/transitions`, germany, {
          body: { to: 'committed', on: '2026-03-01' },
        });
        expect(moved.statusCode, guess).toBe(404);
      }
      // The owner, for contrast, reads them.
      for (const pledge of britishPledges)
        expect((await send(api.app, 'GET', `/api/v1/pledges/${pledge.id}`, britain)).statusCode).toBe(200);
    });

    test('a requirement guessed by ref or random id is 404; a role that may not read them gets 403 for any id', async () => {
      for (const guess of ['REQ-0001', 'REQ-0002', '1', randomUUID(), randomUUID()]) {
        expect(shape(await send(api.app, 'GET', `/api/v1/requirements/${guess}`, recipient))).toMatchObject({
          status: 404,
          code: 'NOT_FOUND',
        });
      }
      // The donor may not read requirement lines at all: the same 403 whether the id exists or not.
      const existing = shape(
        await send(api.app, 'GET', `/api/v1/requirements/${requirementIds[0]}`, britain),
      );
      const missing = shape(await send(api.app, 'GET', `/api/v1/requirements/${randomUUID()}`, britain));
      expect(existing).toEqual(missing);
      expect(existing.status).toBe(403);
    });
  });

  describe('hostile text', () => {
    const hostile = [
      "'; DROP TABLE requirement; --",
      "1' OR '1'='1",
      '" OR ""="',
      "Robert'); DELETE FROM pledge;--",
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '"><svg onload=alert(1)>',
      '%_\\\'\\" $1 $$ :name ? ;',
      '{{7*7}} $\u007b7*7} `id`',
      'Ж ✓ 𝄞 \u202e',
    ];

    test('SQL metacharacters and markup in every text field of a requirement are stored and returned verbatim', async () => {
      const before = await snapshot();
      for (const value of hostile) {
        const created = await send(api.app, 'POST', '/api/v1/requirements', recipient, {
          body: newRequirement({ title: value, unit: value.slice(0, Limits.unitLengthMax), notes: value }),
        });
        expect(created.statusCode, `${value}: ${created.body}`).toBe(201);
        const read = await send(api.app, 'GET', `/api/v1/requirements/${created.json().id}`, recipient);
        expect(read.headers['content-type']).toMatch(/^application\/json/);
        expect(read.headers['x-content-type-options']).toBe('nosniff');
        expect(read.json()).toMatchObject({
          title: value,
          unit: value.slice(0, Limits.unitLengthMax),
          notes: value,
        });
        const row = await db()
          .selectFrom('requirement')
          .select(['title', 'unit', 'notes'])
          .where('id', '=', created.json().id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ title: value, unit: value.slice(0, Limits.unitLengthMax), notes: value });
      }
      const after = await snapshot();
      expect(BigInt(after.requirements) - BigInt(before.requirements)).toBe(BigInt(hostile.length));
      expect(after.pledges).toBe(before.pledges);
    });

    test('SQL metacharacters and markup in every text field of a pledge are stored and returned verbatim', async () => {
      for (const value of hostile) {
        const created = await send(api.app, 'POST', '/api/v1/pledges', britain, {
          body: {
            donor: 'GBR',
            amount: usd('5.00'),
            announcedOn: '2026-02-12',
            forum: value,
            source: value,
            notes: value,
          },
        });
        expect(created.statusCode, `${value}: ${created.body}`).toBe(201);
        const read = await send(api.app, 'GET', `/api/v1/pledges/${created.json().id}`, britain);
        expect(read.headers['content-type']).toMatch(/^application\/json/);
        expect(read.json()).toMatchObject({ forum: value, source: value, notes: value });
      }
    });

    test('a hostile filter value matches nothing instead of widening the query', async () => {
      for (const value of ["' OR '1'='1", "air-defence' OR 'x'='x", '%', '_%']) {
        const response = await send(
          api.app,
          'GET',
          `/api/v1/requirements?category=${encodeURIComponent(value)}`,
          recipient,
        );
        expect(response.statusCode, value).toBe(200);
        expect(response.json().items, value).toEqual([]);
      }
      const audit = await send(
        api.app,
        'GET',
        `/api/v1/audit?objectId=${encodeURIComponent("' OR 1=1 --")}`,
        await logInOver(api.app, testAccounts.auditor.email),
      );
      expect(audit.statusCode).toBe(200);
      expect(audit.json().items).toEqual([]);
    });

    test('a NUL character anywhere in a request is 422 on both dialects, never a 500', async () => {
      const value = 'before\u0000after';
      const before = await snapshot();
      const attempts = [
        send(api.app, 'POST', '/api/v1/requirements', recipient, { body: newRequirement({ notes: value }) }),
        send(api.app, 'POST', '/api/v1/pledges', britain, {
          body: { donor: 'GBR', amount: usd('5.00'), announcedOn: '2026-02-12', forum: value },
        }),
        send(api.app, 'POST', '/api/v1/session', noCredential, {
          body: { email: `a${value}@ukr.test`, password: testPassword },
        }),
        send(api.app, 'GET', '/api/v1/pledges/%00', britain),
        send(api.app, 'GET', '/api/v1/requirements?category=air%00defence', recipient),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(problem(response), response.body).toEqual({ status: 422, code: 'VALIDATION_FAILED' });
        expect(response.json().errors[0].message).toBe('must not contain a NUL character');
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('oversized bodies', () => {
    test('every JSON write refuses a body over the limit with 413, and writes nothing', async () => {
      const roleFor = (route: RegisteredRoute) => {
        const action = route.options.config?.action;
        return action ? roles.find((role) => Policy.allows(role, action)) : undefined;
      };
      const sessions = new Map<string, Credential>();
      const targets: { route: RegisteredRoute; credential: Credential; role: string }[] = [];
      for (const route of routes) {
        if (!['POST', 'PUT', 'PATCH'].includes(route.method)) continue;
        // A route with a larger limit of its own (the ECB file import) is tested where it is defined.
        if ((route.options.bodyLimit ?? Limits.bodyLimitBytes) > Limits.bodyLimitBytes) continue;
        const action = route.options.config?.action;
        // The size is checked after the caller: send as someone the route lets through.
        const role = action && !Policy.allows('public', action) ? roleFor(route) : undefined;
        let credential: Credential = noCredential;
        if (role) {
          credential = sessions.get(role) ?? (await logInOver(api.app, testAccounts[role].email));
          sessions.set(role, credential);
        }
        targets.push({ route, credential, role: role ?? 'public' });
      }
      const oversized = JSON.stringify({ notes: 'x'.repeat(Limits.bodyLimitBytes) });
      const before = await snapshot();
      const answers: string[] = [];
      for (const { route, credential, role } of targets) {
        const url = fillPath(openApiPath(route.url), () => randomUUID());
        const response = await send(api.app, route.method, url, credential, {
          body: oversized,
          headers: { 'content-type': 'application/json' },
        });
        const answer = `${response.statusCode} ${response.json().code}`;
        if (answer !== '413 BODY_TOO_LARGE')
          answers.push(`${route.method} ${route.url} as ${role}: ${answer}`);
      }
      expect(answers).toEqual([]);
      expect(targets.length).toBeGreaterThan(10);
      expect(await snapshot()).toEqual(before);
    });
  });
});
