import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ErrorCode } from '../../src/core/errors.ts';
import { Limits } from '../../src/core/limits.ts';
import {
  type Client,
  newRequirement,
  startApi,
  type TestApi,
  testAccounts,
  testPassword,
  usd,
} from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * Every bad input is refused with a 4xx problem document and a stable code, and writes nothing:
 * the requirement lines, the priority list, the audit chain and the session table are the same
 * after the refused request as before it.
 */
describe.each(dialects)('bad input on %s', (dialect) => {
  let api: TestApi;
  let recipient: Client;
  let coordinator: Client;
  let supplier: Client;
  /** A draft line at version 2 (edited once), and a validated line. */
  let draft: { id: string; version: number };
  let validated: { id: string; version: number };
  let activeIds: string[];
  /** A cookie session of the recipient, held raw to send it without its CSRF token. */
  let rawSession: { cookie: string; csrfToken: string };

  beforeAll(async () => {
    api = await startApi(dialect);
    recipient = await api.as('recipient');
    coordinator = await api.as('coordinator');
    supplier = await api.as('supplier');
    const created = (
      await recipient.request('POST', '/api/v1/requirements', { body: newRequirement() })
    ).json();
    const edited = await recipient.request('PATCH', `/api/v1/requirements/${created.id}`, {
      body: { quantity: 5 },
      headers: { 'if-match': `"${created.version}"` },
    });
    expect(edited.statusCode).toBe(200);
    draft = { id: created.id, version: edited.json().version };
    const second = (
      await recipient.request('POST', '/api/v1/requirements', { body: newRequirement({ title: 'Shells' }) })
    ).json();
    await recipient.request('POST', `/api/v1/requirements/${second.id}/transitions`, {
      body: { to: 'submitted' },
    });
    const done = await coordinator.request('POST', `/api/v1/requirements/${second.id}/transitions`, {
      body: { to: 'validated' },
    });
    expect(done.json().status).toBe('validated');
    validated = { id: second.id, version: done.json().version };
    activeIds = [draft.id, validated.id];
    const login = await api.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: testAccounts.recipient.email, password: testPassword },
    });
    const cookie = login.cookies.find((candidate) => candidate.name === 'purl_session');
    rawSession = { cookie: `purl_session=${cookie?.value}`, csrfToken: login.json().csrfToken };
  });
  afterAll(async () => api?.close());

  /** What a refused request must leave unchanged. */
  async function snapshot() {
    const requirements = await coordinator.request('GET', `/api/v1/requirements?limit=${Limits.pageSizeMax}`);
    const list = await coordinator.request('GET', '/api/v1/priority-list');
    expect(requirements.statusCode).toBe(200);
    expect(list.statusCode).toBe(200);
    const { db } = api.database.context.store;
    const sessions = await db.selectFrom('session').select(['id', 'expires_at']).orderBy('id').execute();
    return {
      requirements: requirements.json(),
      list: list.json(),
      auditHead: await api.database.context.store.read.audit.head(),
      sessions,
    };
  }

  /** Sends the request and checks the refusal: status, problem+json, stable code, nothing written. */
  async function expectRefused(
    send: () => Promise<LightMyRequestResponse>,
    status: number,
    code: ErrorCode,
  ): Promise<LightMyRequestResponse> {
    const before = await snapshot();
    const response = await send();
    expect({ status: response.statusCode, code: response.json().code }, response.body).toEqual({
      status,
      code,
    });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: `urn:purl-desk:error:${code}`,
      title: expect.any(String),
      status,
      code,
      detail: expect.any(String),
    });
    expect(await snapshot()).toEqual(before);
    return response;
  }

  const createAs = (client: Client, body: unknown, headers: Record<string, string> = {}) =>
    client.request('POST', '/api/v1/requirements', { body, headers });

  describe('creating a requirement', () => {
    test('refuses a quantity sent as a string', async () => {
      const response = await expectRefused(
        () => createAs(recipient, newRequirement({ quantity: '5' })),
        422,
        'VALIDATION_FAILED',
      );
      expect(response.json().errors).toContainEqual({ path: '/quantity', message: expect.any(String) });
    });

    test('refuses an unknown field', async () => {
      const response = await expectRefused(
        () => createAs(recipient, { ...newRequirement(), colour: 'red' }),
        422,
        'VALIDATION_FAILED',
      );
      expect(response.json().errors).toContainEqual({
        path: '/colour',
        message: 'is not a field of this object',
      });
    });

    test('refuses a missing field', async () => {
      const { unit: _unit, ...withoutUnit } = newRequirement();
      const response = await expectRefused(() => createAs(recipient, withoutUnit), 422, 'VALIDATION_FAILED');
      expect(response.json().errors).toContainEqual({ path: '/unit', message: expect.any(String) });
    });

    test('refuses an amount sent as a JSON number', async () => {
      const response = await expectRefused(
        () => createAs(recipient, newRequirement({ unitCost: { amount: 10.5, currency: 'USD' } })),
        422,
        'VALIDATION_FAILED',
      );
      expect(response.json().errors).toContainEqual({
        path: '/unitCost/amount',
        message: expect.any(String),
      });
    });

    test('refuses an amount in exponent notation', async () => {
      await expectRefused(
        () => createAs(recipient, newRequirement({ unitCost: usd('1e6') })),
        422,
        'VALIDATION_FAILED',
      );
    });

    test('refuses a USD amount with one decimal', async () => {
      await expectRefused(
        () => createAs(recipient, newRequirement({ unitCost: usd('10.5') })),
        422,
        'MONEY_SCALE_INVALID',
      );
    });

    test('refuses a JPY amount with decimals', async () => {
      await expectRefused(
        () => createAs(recipient, newRequirement({ unitCost: { amount: '10.00', currency: 'JPY' } })),
        422,
        'MONEY_SCALE_INVALID',
      );
    });

    test('refuses an unknown currency', async () => {
      await expectRefused(
        () => createAs(recipient, newRequirement({ unitCost: { amount: '10.00', currency: 'XYZ' } })),
        422,
        'CURRENCY_UNKNOWN',
      );
    });

    test('refuses a negative unit cost', async () => {
      await expectRefused(
        () => createAs(recipient, newRequirement({ unitCost: usd('-10.00') })),
        422,
        'MONEY_OUT_OF_RANGE',
      );
    });

    test('refuses a line whose quantity × unit cost is beyond the largest amount, writing nothing', async () => {
      // Found by the contract fuzzer: the line used to be written and then refused while presenting it.
      await expectRefused(
        () => createAs(recipient, newRequirement({ quantity: 999_999_995, unitCost: usd('99999999.99') })),
        422,
        'MONEY_OUT_OF_RANGE',
      );
    });

    test('refuses an unknown category', async () => {
      await expectRefused(
        () => createAs(recipient, newRequirement({ category: 'space-lasers' })),
        422,
        'CATEGORY_UNKNOWN',
      );
    });

    test('refuses a title one character over the limit', async () => {
      const response = await expectRefused(
        () => createAs(recipient, newRequirement({ title: 'x'.repeat(Limits.titleLengthMax + 1) })),
        422,
        'VALIDATION_FAILED',
      );
      expect(response.json().errors).toContainEqual({ path: '/title', message: expect.any(String) });
    });

    test('refuses a body that is not valid JSON', async () => {
      await expectRefused(
        () => createAs(recipient, '{"title": "Interceptors", ', { 'content-type': 'application/json' }),
        400,
        'MALFORMED_REQUEST',
      );
    });

    test.each(['application/xml', 'text/plain', 'application/x-www-form-urlencoded'])(
      'refuses a body sent as %s',
      async (contentType) => {
        await expectRefused(
          () => createAs(recipient, JSON.stringify(newRequirement()), { 'content-type': contentType }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        );
      },
    );

    test('refuses a body over the size limit', async () => {
      await expectRefused(
        () => createAs(recipient, newRequirement({ notes: 'x'.repeat(Limits.bodyLimitBytes) })),
        413,
        'BODY_TOO_LARGE',
      );
    });
  });

  describe('editing a requirement', () => {
    test('refuses an edit against a stale version with 412', async () => {
      await expectRefused(
        () =>
          recipient.request('PATCH', `/api/v1/requirements/${draft.id}`, {
            body: { title: 'Lost update' },
            headers: { 'if-match': `"${draft.version - 1}"` },
          }),
        412,
        'VERSION_MISMATCH',
      );
    });

    test('refuses an edit that makes quantity × unit cost too large, writing nothing', async () => {
      await expectRefused(
        () =>
          recipient.request('PATCH', `/api/v1/requirements/${draft.id}`, {
            body: { quantity: 999_999_995, unitCost: usd('99999999.99') },
            headers: { 'if-match': `"${draft.version}"` },
          }),
        422,
        'MONEY_OUT_OF_RANGE',
      );
    });

    test('refuses an edit without If-Match with 428', async () => {
      await expectRefused(
        () =>
          recipient.request('PATCH', `/api/v1/requirements/${draft.id}`, { body: { title: 'Blind edit' } }),
        428,
        'IF_MATCH_REQUIRED',
      );
    });

    test('refuses an If-Match that is not a version', async () => {
      await expectRefused(
        () =>
          recipient.request('PATCH', `/api/v1/requirements/${draft.id}`, {
            body: { title: 'Edit' },
            headers: { 'if-match': '"abc"' },
          }),
        422,
        'VALIDATION_FAILED',
      );
    });

    test('refuses to edit a validated line', async () => {
      await expectRefused(
        () =>
          coordinator.request('PATCH', `/api/v1/requirements/${validated.id}`, {
            body: { title: 'Late change' },
            headers: { 'if-match': `"${validated.version}"` },
          }),
        409,
        'REQUIREMENT_LOCKED',
      );
    });

    test('answers 404 for a line that does not exist', async () => {
      await expectRefused(
        () =>
          recipient.request('PATCH', '/api/v1/requirements/no-such-line', {
            body: { title: 'Ghost' },
            headers: { 'if-match': '"1"' },
          }),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('transitions', () => {
    test('refuses to validate a draft with 409', async () => {
      await expectRefused(
        () =>
          coordinator.request('POST', `/api/v1/requirements/${draft.id}/transitions`, {
            body: { to: 'validated' },
          }),
        409,
        'INVALID_TRANSITION',
      );
    });

    test('refuses a transition the role may not ask for', async () => {
      await expectRefused(
        () =>
          recipient.request('POST', `/api/v1/requirements/${validated.id}/transitions`, {
            body: { to: 'rejected' },
          }),
        403,
        'FORBIDDEN',
      );
    });

    test('refuses a status that cannot be asked for', async () => {
      await expectRefused(
        () =>
          coordinator.request('POST', `/api/v1/requirements/${validated.id}/transitions`, {
            body: { to: 'funded' },
          }),
        422,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('reordering the priority list', () => {
    const reorder = async (order: string[]) => {
      const version = (await coordinator.request('GET', '/api/v1/priority-list')).json().version;
      return coordinator.request('PUT', '/api/v1/priority-list', {
        body: { order },
        headers: { 'if-match': `"${version}"` },
      });
    };

    test('refuses an order with a duplicate id', async () => {
      const response = await expectRefused(
        () => reorder([...activeIds, activeIds[0] as string]),
        422,
        'RANK_NOT_PERMUTATION',
      );
      expect(response.json().errors).toEqual([
        { path: '/order', message: `'${activeIds[0]}' appears more than once` },
      ]);
    });

    test('refuses an order with a missing id', async () => {
      await expectRefused(() => reorder(activeIds.slice(1)), 422, 'RANK_NOT_PERMUTATION');
    });

    test('refuses an order with an unknown id', async () => {
      await expectRefused(() => reorder([...activeIds, 'no-such-line']), 422, 'RANK_NOT_PERMUTATION');
    });

    test('refuses a reorder without If-Match', async () => {
      await expectRefused(
        () =>
          coordinator.request('PUT', '/api/v1/priority-list', { body: { order: [...activeIds].reverse() } }),
        428,
        'IF_MATCH_REQUIRED',
      );
    });
  });

  describe('authentication and authorisation', () => {
    test('refuses a garbage session cookie with 401', async () => {
      await expectRefused(
        () =>
          api.app.inject({
            method: 'GET',
            url: '/api/v1/requirements',
            headers: { cookie: 'purl_session=garbage' },
          }),
        401,
        'UNAUTHENTICATED',
      );
    });

    test('refuses a well-formed cookie of a session that does not exist', async () => {
      const forged = `purl_session=${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.${'A'.repeat(43)}`;
      await expectRefused(
        () =>
          api.app.inject({
            method: 'POST',
            url: '/api/v1/requirements',
            payload: newRequirement(),
            headers: { cookie: forged, 'x-csrf-token': 'whatever' },
          }),
        401,
        'UNAUTHENTICATED',
      );
    });

    test('refuses a garbage bearer token with 401', async () => {
      await expectRefused(
        () =>
          api.public.request('POST', '/api/v1/requirements', {
            body: newRequirement(),
            headers: { authorization: 'Bearer not-a-token' },
          }),
        401,
        'UNAUTHENTICATED',
      );
    });

    test('refuses a protected read without credentials with 401', async () => {
      await expectRefused(() => api.public.request('GET', '/api/v1/requirements'), 401, 'UNAUTHENTICATED');
    });

    test('refuses a write without credentials with 401', async () => {
      await expectRefused(() => createAs(api.public, newRequirement()), 401, 'UNAUTHENTICATED');
    });

    test('refuses a supplier creating a requirement with 403', async () => {
      await expectRefused(() => createAs(supplier, newRequirement()), 403, 'FORBIDDEN');
    });

    test('refuses a recipient approving the list with 403', async () => {
      await expectRefused(() => recipient.request('POST', '/api/v1/priority-list/approve'), 403, 'FORBIDDEN');
    });

    test('refuses a cookie-session write without x-csrf-token', async () => {
      await expectRefused(
        () =>
          api.app.inject({
            method: 'POST',
            url: '/api/v1/requirements',
            payload: newRequirement(),
            headers: { cookie: rawSession.cookie },
          }),
        403,
        'CSRF_TOKEN_INVALID',
      );
    });

    test('refuses a cookie-session write with another value in x-csrf-token', async () => {
      await expectRefused(
        () =>
          api.app.inject({
            method: 'DELETE',
            url: '/api/v1/session',
            headers: { cookie: rawSession.cookie, 'x-csrf-token': `${rawSession.csrfToken}x` },
          }),
        403,
        'CSRF_TOKEN_INVALID',
      );
    });

    test('the raw session itself is valid, so the refusals above are about the CSRF token', async () => {
      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: rawSession.cookie },
      });
      expect(response.statusCode).toBe(200);
    });

    test('refuses a wrong password with the same answer as an unknown email', async () => {
      const login = (email: string, password: string) => () =>
        api.public.request('POST', '/api/v1/session', { body: { email, password } });
      const wrongPassword = await expectRefused(
        login(testAccounts.recipient.email, `${testPassword}!`),
        401,
        'INVALID_CREDENTIALS',
      );
      const unknownEmail = await expectRefused(
        login('nobody@nowhere.test', testPassword),
        401,
        'INVALID_CREDENTIALS',
      );
      expect(unknownEmail.body).toBe(wrongPassword.body);
      expect(wrongPassword.cookies).toEqual([]);
    });
  });

  test('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    await expectRefused(() => coordinator.request('GET', '/api/v1/no-such-thing'), 404, 'ROUTE_NOT_FOUND');
  });
});
