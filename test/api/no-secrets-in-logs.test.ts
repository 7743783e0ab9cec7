import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { serverLoggerOptions } from '../../src/server/main.ts';
import { type Credential, issueToken, logInOver, noCredential, send } from '../support/access.ts';
import { startApi, type TestApi, testAccounts, testPassword, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * No secret in any log line: the app runs with the server's own log options (src/server/main.ts)
 * at the most talkative level, its log lines are captured, and a working day of logins (right and
 * wrong), tokens, pledges and logouts is replayed; then no password, session cookie, CSRF token or
 * bearer token may appear in what was logged. A second app also logs every request and response
 * header, as a careless serializer one day might: the redaction must still remove the credentials.
 */

class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

const wrongPassword = 'Tr0ub4dor&3-not-the-password';

describe.each(dialects)('log lines on %s', (dialect) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => api?.close());

  /** A day of work through `app`: what it logged, and every secret it handed out or was handed. */
  async function replay(app: FastifyInstance): Promise<string[]> {
    const secrets: string[] = [testPassword, wrongPassword];
    const wrong = await send(app, 'POST', '/api/v1/session', noCredential, {
      body: { email: testAccounts.donor.email, password: wrongPassword },
    });
    expect(wrong.statusCode).toBe(401);
    const unknown = await send(app, 'POST', '/api/v1/session', noCredential, {
      body: { email: 'nobody@nowhere.test', password: wrongPassword },
    });
    expect(unknown.statusCode).toBe(401);
    const donor = await logInOver(app, testAccounts.donor.email);
    secrets.push(donor.value, donor.value.split('.')[1] ?? '', donor.csrfToken);
    const token = await issueToken(app, donor, 'logged');
    secrets.push(token.token, token.token.split('.')[1] ?? '');
    const pledge = await send(app, 'POST', '/api/v1/pledges', token, {
      body: { donor: 'GBR', amount: usd('1000000.00'), announcedOn: '2026-02-12' },
    });
    expect(pledge.statusCode, pledge.body).toBe(201);
    const byCookie = await send(app, 'POST', '/api/v1/pledges', donor, {
      body: { donor: 'GBR', amount: usd('2000000.00'), announcedOn: '2026-02-13' },
    });
    expect(byCookie.statusCode, byCookie.body).toBe(201);
    // Refused requests log too: a stale CSRF token, a forged bearer token.
    const stale: Credential = { ...donor, csrfToken: `${donor.csrfToken.slice(0, -2)}xx` };
    secrets.push(stale.kind === 'cookie' ? stale.csrfToken : '');
    expect((await send(app, 'POST', '/api/v1/tokens', stale, { body: { name: 'x' } })).statusCode).toBe(403);
    const forged = `${token.id}.${'B'.repeat(43)}`;
    secrets.push(forged);
    expect((await send(app, 'GET', '/api/v1/me', { kind: 'bearer', token: forged })).statusCode).toBe(401);
    expect((await send(app, 'DELETE', `/api/v1/tokens/${token.id}`, donor)).statusCode).toBe(204);
    expect((await send(app, 'DELETE', '/api/v1/session', donor)).statusCode).toBe(204);
    return secrets.filter((secret) => secret.length >= 8);
  }

  function leaksIn(lines: readonly string[], secrets: readonly string[]): string[] {
    return lines.flatMap((line) =>
      secrets.filter((secret) => line.includes(secret)).map((secret) => `${secret.slice(0, 6)}… in ${line}`),
    );
  }

  test('with the server’s log options, no line holds a password, cookie, CSRF token or bearer token', async () => {
    const capture = new Capture();
    const app = await buildApp({
      context: api.database.context,
      logger: { ...serverLoggerOptions('trace'), stream: capture },
    });
    try {
      const secrets = await replay(app);
      // The capture works: every request was logged, with its url.
      expect(capture.lines.some((line) => line.includes('/api/v1/session'))).toBe(true);
      expect(capture.lines.some((line) => line.includes('/api/v1/pledges'))).toBe(true);
      expect(capture.lines.length).toBeGreaterThan(15);
      expect(leaksIn(capture.lines, secrets)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  test('even with every header logged, the redaction removes the credentials', async () => {
    const capture = new Capture();
    const app = await buildApp({
      context: api.database.context,
      logger: {
        ...serverLoggerOptions('trace'),
        stream: capture,
        serializers: {
          req: (request: FastifyRequest) => ({
            method: request.method,
            url: request.url,
            headers: request.headers,
          }),
          res: (reply) => ({
            statusCode: reply.statusCode,
            headers: (reply as unknown as FastifyReply).getHeaders(),
          }),
        },
      },
    });
    try {
      const secrets = await replay(app);
      // The headers are logged (the serializer works), the credentials among them are not.
      expect(capture.lines.some((line) => line.includes('"content-type"'))).toBe(true);
      expect(
        capture.lines.some((line) => /"cookie"|"authorization"|"x-csrf-token"|"set-cookie"/.test(line)),
      ).toBe(false);
      expect(leaksIn(capture.lines, secrets)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
