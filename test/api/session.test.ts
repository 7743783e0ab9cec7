import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Limits } from '../../src/core/limits.ts';
import { startApi, type TestApi, testAccounts, testPassword } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

describe.each(dialects)('sessions on %s', (dialect) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => api?.close());

  function logIn(email: string, password = testPassword): Promise<LightMyRequestResponse> {
    return api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  }

  function sessionCookie(response: LightMyRequestResponse) {
    const cookie = response.cookies.find((candidate) => candidate.name === 'purl_session');
    if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(response.headers['set-cookie'])}`);
    return cookie;
  }

  test('logging in sets an HttpOnly, SameSite=Strict session cookie and returns a CSRF token', async () => {
    const response = await logIn(testAccounts.coordinator.email);
    expect(response.statusCode).toBe(200);
    const cookie = sessionCookie(response);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.maxAge).toBe(Limits.sessionLifetimeSeconds);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/;\s*HttpOnly/i);
    expect(header).toMatch(/;\s*SameSite=Strict/i);
    const body = response.json();
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(body.csrfToken).not.toBe(cookie.value);
    expect(body.me).toMatchObject({
      user: { email: testAccounts.coordinator.email },
      organization: { code: testAccounts.coordinator.organization },
      role: 'coordinator',
    });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
  });

  test('GET /api/v1/me names the user, organisation and role of the session', async () => {
    const cookie = sessionCookie(await logIn(testAccounts.recipient.email));
    const response = await api.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `purl_session=${cookie.value}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user: { id: expect.any(String), email: testAccounts.recipient.email, displayName: expect.any(String) },
      organization: { id: expect.any(String), code: testAccounts.recipient.organization },
      role: 'recipient',
    });
  });

  test('the email is matched without case', async () => {
    const response = await logIn(testAccounts.donor.email.toUpperCase());
    expect(response.statusCode).toBe(200);
    expect(response.json().me.role).toBe('donor');
  });

  test('logging out ends the session: the old cookie then gets 401', async () => {
    const login = await logIn(testAccounts.auditor.email);
    const cookie = `purl_session=${sessionCookie(login).value}`;
    const csrf = login.json().csrfToken;
    const me = () => api.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);

    const logout = await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(logout.statusCode).toBe(204);
    const cleared = logout.cookies.find((candidate) => candidate.name === 'purl_session');
    expect(cleared?.value ?? '').toBe('');
    expect(cleared?.expires?.getTime() ?? 0).toBeLessThanOrEqual(Date.now());

    const after = await me();
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
    const write = await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(write.statusCode).toBe(401);
  });

  test('the database keeps a salted hash of the session secret, never the cookie itself', async () => {
    const login = await logIn(testAccounts.admin.email);
    const value = sessionCookie(login).value;
    const [id, secret] = value.split('.');
    const row = await api.database.context.store.db
      .selectFrom('session')
      .selectAll()
      .where('id', '=', id as string)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(login.json().csrfToken);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('passwords are stored as scrypt hashes with a salt of their own', async () => {
    const rows = await api.database.context.store.db
      .selectFrom('app_user')
      .select(['email', 'password_hash'])
      .orderBy('email')
      .execute();
    // Every test account has the same password: the hashes must differ all the same.
    expect(rows.length).toBe(Object.keys(testAccounts).length);
    const salts = new Set<string>();
    const hashes = new Set<string>();
    for (const row of rows) {
      expect(row.password_hash).not.toContain(testPassword);
      const [scheme, n, r, p, salt = '', hash = ''] = row.password_hash.split('$');
      expect({ scheme, n, r, p }).toEqual({ scheme: 'scrypt', n: '32768', r: '8', p: '1' });
      expect(Buffer.from(salt, 'base64')).toHaveLength(16);
      expect(Buffer.from(hash, 'base64')).toHaveLength(32);
      salts.add(salt);
      hashes.add(hash);
    }
    expect(salts.size).toBe(rows.length);
    expect(hashes.size).toBe(rows.length);
  });
});
