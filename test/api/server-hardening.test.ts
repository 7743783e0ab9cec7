import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContext, sha256Hex } from '../../src/app/context.ts';
import { Limits } from '../../src/core/limits.ts';
import { buildApp } from '../../src/server/app.ts';
import { serverLoggerOptions } from '../../src/server/main.ts';
import { connect, type DialectName } from '../../src/store/dialect/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { startApi, type TestApi, usd } from '../support/api.ts';
import { dialects, postgresAdminUrl } from '../support/databases.ts';
import { bearerTokens } from '../support/fault-checks.ts';
import { killAllServers, startServer, waitForOutput } from '../support/server-process.ts';

/** An empty database of the dialect, not migrated, and how to drop it. */
async function emptyDatabase(dialect: DialectName): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `purl_t_${randomBytes(6).toString('hex')}`;
  if (dialect === 'sqlite') {
    const file = join(tmpdir(), `${name}.db`);
    return {
      url: `sqlite:${file}`,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

describe.each(dialects)('readiness on %s', (dialect) => {
  test('GET /readyz answers 503 NOT_READY while migrations are pending, and 200 once they are applied', async () => {
    const database = await emptyDatabase(dialect);
    const connection = connect(database.url);
    const context = createContext(new Store(connection.db, connection.dialect, sha256Hex));
    const app = await buildApp({ context });
    try {
      const pending = await app.inject({ method: 'GET', url: '/readyz' });
      expect(pending.statusCode).toBe(503);
      expect(pending.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(pending.json().code).toBe('NOT_READY');
      // Liveness does not depend on the database.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      await migrateToLatest(connection.db);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode, ready.body).toBe(200);
      expect(ready.json()).toEqual({ ok: true, dialect });
    } finally {
      await app.close();
      await context.store.close();
      await database.drop();
    }
  });
});

describe('request ids, logs and timeouts', () => {
  let api: TestApi;
  const lines: string[] = [];
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    api = await startApi('sqlite');
    app = await buildApp({
      context: api.database.context,
      logger: { ...serverLoggerOptions('info'), stream: { write: (line: string) => lines.push(line) } },
    });
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  test('every answer carries x-request-id, and every log line about that request names it', async () => {
    const answers = [
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'GET', url: '/api/v1/me' }),
      await app.inject({ method: 'GET', url: '/api/v1/nothing-here' }),
      await app.inject({ method: 'GET', url: '/api/v1/pledges/%ED%A0%80' }),
      await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      }),
    ];
    const ids = answers.map((answer) => answer.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const records = lines.map((line) => JSON.parse(line) as { reqId?: string; req?: unknown; res?: unknown });
    const aboutRequests = records.filter((record) => record.req !== undefined || record.res !== undefined);
    for (const record of aboutRequests) expect(ids).toContain(record.reqId);
    for (const id of ids) expect(records.some((record) => record.reqId === id)).toBe(true);
  });

  test('the server has the named request, idle-connection and keep-alive timeouts', () => {
    expect((app.initialConfig as { requestTimeout?: number }).requestTimeout).toBe(Limits.requestTimeoutMs);
    expect(app.initialConfig.connectionTimeout).toBe(Limits.connectionIdleTimeoutMs);
    expect(app.initialConfig.keepAliveTimeout).toBe(Limits.keepAliveTimeoutMs);
    expect(app.initialConfig.bodyLimit).toBe(Limits.bodyLimitBytes);
  });

  test('a body over the limit is refused with 413 BODY_TOO_LARGE before it is parsed', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'x'.repeat(Limits.bodyLimitBytes), password: 'p' }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('BODY_TOO_LARGE');
  });
});

describe('graceful stop', () => {
  let api: TestApi;
  let keyDir: string;

  beforeAll(async () => {
    api = await startApi('sqlite');
    keyDir = mkdtempSync(join(tmpdir(), 'purl-stop-'));
  });
  afterAll(async () => {
    killAllServers();
    await api?.database.dispose();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  test('SIGTERM during a request lets it finish and be stored, then the process exits 0', async () => {
    const { donor } = await bearerTokens(api, ['donor']);
    await api.app.close();
    // At info level the server logs each request it has begun and the start of its stop: the test
    // waits for those lines rather than for a fixed time, which a busy machine can outlast.
    const server = await startServer({
      databaseUrl: api.database.url,
      auditKeyFile: join(keyDir, 'audit-key.pem'),
      logLevel: 'info',
    });
    const body = JSON.stringify({
      donor: 'GBR',
      amount: usd('125000.00'),
      announcedOn: '2026-02-01',
      notes: 'sent slowly, across a SIGTERM',
    });
    const half = Math.floor(body.length / 2);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(
        `${server.baseUrl}/api/v1/pledges`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${donor}`,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on('error', reject);
      // Half the body now; SIGTERM once the server has begun the request and waits for the rest;
      // the rest once the server has begun to stop.
      request.write(body.slice(0, half));
      void (async () => {
        await waitForOutput(
          server,
          /"url":"\/api\/v1\/pledges"[^\n]*"msg":"incoming request"|"msg":"incoming request"[^\n]*"url":"\/api\/v1\/pledges"/,
        );
        server.kill('SIGTERM');
        await waitForOutput(server, /stopping: finishing in-flight requests/);
        request.end(body.slice(half));
      })().catch(reject);
    });
    const { status, text } = await answer;
    expect(status, text).toBe(201);
    expect(await server.exited).toBe(0);
    const stored = await api.database.context.store.db
      .selectFrom('pledge')
      .select(['id', 'notes'])
      .where('id', '=', JSON.parse(text).id)
      .executeTakeFirst();
    expect(stored?.notes).toBe('sent slowly, across a SIGTERM');
  }, 120_000);
});
