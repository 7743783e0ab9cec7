import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContext, sha256Hex } from '../../src/app/context.ts';
import { ifNoneMatchHits } from '../../src/app/summary-cache.ts';
import type { PublicSummaryJson } from '../../src/contract/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { connect } from '../../src/store/dialect/connect.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { type Client, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

const summaryUrl = '/api/v1/public/summary';

function announced(summary: PublicSummaryJson): string | undefined {
  return summary.totals.find((total) => total.stage === 'announced')?.amount.amount;
}

describe.each(dialects)('the cached public summary on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  /** A second app with its own connection (its own cache) on the same database, as a second server. */
  let second: FastifyInstance;
  let secondStore: Store;
  let pledges = 0;

  async function recordPledge(amount: string): Promise<void> {
    pledges += 1;
    const response = await coordinator.request('POST', '/api/v1/pledges', {
      body: {
        donor: 'GBR',
        amount: { amount, currency: 'USD' },
        announcedOn: '2026-02-11',
        forum: 'UDCG, Brussels, 2026-02-12',
        source: `https://www.gov.uk/news/purl-${pledges}`,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
  }

  beforeAll(async () => {
    api = await startApi(dialect);
    coordinator = await api.as('coordinator');
    const connection = connect(api.database.url);
    secondStore = new Store(connection.db, connection.dialect, sha256Hex);
    second = await buildApp({ context: createContext(secondStore) });
  });
  afterAll(async () => {
    await second?.close();
    await secondStore?.close();
    await api?.close();
  });

  test('answers again from the cache while nothing changes: the same body and the same ETag', async () => {
    const first = await api.public.request('GET', summaryUrl);
    const again = await api.public.request('GET', summaryUrl);
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('shows a pledge in the very next read after it is recorded', async () => {
    const before = await api.public.request('GET', summaryUrl);
    const figureBefore = announced(before.json());
    await recordPledge('1000000.00');
    const after = await api.public.request('GET', summaryUrl);
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(BigInt(announced(after.json())?.replace('.', '') ?? '0')).toBe(
      BigInt(figureBefore?.replace('.', '') ?? '0') + 100000000n,
    );
  });

  test('answers 304 without a body to an If-None-Match naming the current ETag', async () => {
    const current = await api.public.request('GET', summaryUrl);
    const etag = current.headers.etag as string;
    const notModified = await api.public.request('GET', summaryUrl, { headers: { 'if-none-match': etag } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    const weak = await api.public.request('GET', summaryUrl, {
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    expect(weak.statusCode).toBe(304);
  });

  test('gzips the same document for a client that accepts gzip, under its own ETag, and follows writes', async () => {
    const plain = await api.public.request('GET', summaryUrl);
    const zipped = await api.public.request('GET', summaryUrl, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    // Two representations, two strong tags; each answers 304 only to its own.
    expect(zipped.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    const zippedTag = zipped.headers.etag as string;
    const again = await api.public.request('GET', summaryUrl, {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': zippedTag },
    });
    expect(again.statusCode).toBe(304);
    // A client that refuses gzip, or names none, gets the plain bytes.
    for (const acceptEncoding of ['identity', 'gzip;q=0, identity', 'br']) {
      const refused = await api.public.request('GET', summaryUrl, {
        headers: { 'accept-encoding': acceptEncoding },
      });
      expect(refused.headers['content-encoding'], acceptEncoding).toBeUndefined();
      expect(refused.body).toBe(plain.body);
    }
    await recordPledge('3000000.00');
    const after = await api.public.request('GET', summaryUrl, {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': zippedTag },
    });
    expect(after.statusCode).toBe(200);
    const figures = JSON.parse(gunzipSync(after.rawPayload).toString('utf8')) as PublicSummaryJson;
    expect(BigInt(announced(figures)?.replace('.', '') ?? '0')).toBe(
      BigInt(announced(plain.json())?.replace('.', '') ?? '0') + 300000000n,
    );
  });

  test('answers 200 with the new figures to an If-None-Match naming an ETag a write made stale', async () => {
    const stale = (await api.public.request('GET', summaryUrl)).headers.etag as string;
    await recordPledge('2000000.00');
    const response = await api.public.request('GET', summaryUrl, { headers: { 'if-none-match': stale } });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).not.toBe(stale);
    expect(response.json().totals).toBeDefined();
  });

  test("lets two app instances on one database see each other's writes at once", async () => {
    const read = async (app: FastifyInstance) => {
      const response = await app.inject({ method: 'GET', url: summaryUrl });
      expect(response.statusCode).toBe(200);
      return announced(response.json());
    };
    // Both instances have cached the current figures.
    const start = await read(api.app);
    expect(await read(second)).toBe(start);
    await recordPledge('3000000.00');
    const afterFirstWrite = await read(second);
    expect(afterFirstWrite).not.toBe(start);
    expect(await read(api.app)).toBe(afterFirstWrite);

    // A write through the second instance, seen by the first.
    const login = await second.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'coordinator@nato.test', password: 'correct horse battery staple' },
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'purl_session');
    const written = await second.inject({
      method: 'POST',
      url: '/api/v1/pledges',
      headers: { cookie: `purl_session=${cookie?.value}`, 'x-csrf-token': login.json().csrfToken },
      payload: {
        donor: 'GBR',
        amount: { amount: '4000000.00', currency: 'USD' },
        announcedOn: '2026-02-11',
        forum: 'UDCG, Brussels, 2026-02-12',
        source: 'https://www.gov.uk/news/purl-second-instance',
      },
    });
    expect(written.statusCode, written.body).toBe(201);
    const afterSecondWrite = await read(api.app);
    expect(BigInt(afterSecondWrite?.replace('.', '') ?? '0')).toBe(
      BigInt(afterFirstWrite?.replace('.', '') ?? '0') + 400000000n,
    );
    expect(await read(second)).toBe(afterSecondWrite);
  });

  test('reads that overlap writes on another instance each show every write answered before they were sent', async () => {
    const login = await second.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'coordinator@nato.test', password: 'correct horse battery staple' },
    });
    const cookie = login.cookies.find((c) => c.name === 'purl_session');
    const headers = { cookie: `purl_session=${cookie?.value}`, 'x-csrf-token': login.json().csrfToken };
    const figure = (body: string) => BigInt(announced(JSON.parse(body))?.replace('.', '') ?? '0');
    const read = () => api.app.inject({ method: 'GET', url: summaryUrl });
    let floor = figure((await read()).body);
    const overlapping: Promise<unknown>[] = [];
    for (let round = 0; round < 4; round += 1) {
      // Reads in flight on the first instance while the second one writes...
      for (let i = 0; i < 10; i += 1) overlapping.push(read());
      const written = await second.inject({
        method: 'POST',
        url: '/api/v1/pledges',
        headers,
        payload: {
          donor: 'GBR',
          amount: { amount: '1000.00', currency: 'USD' },
          announcedOn: '2026-02-11',
          forum: 'UDCG, Brussels, 2026-02-12',
          source: `https://www.gov.uk/news/purl-overlap-${round}`,
        },
      });
      expect(written.statusCode, written.body).toBe(201);
      floor += 100000n;
      // ...and the reads sent after its answer, together, all count it.
      const after = await Promise.all([read(), read(), read()]);
      for (const response of after) expect(figure(response.body)).toBe(floor);
    }
    await Promise.all(overlapping);
  });
});

describe('If-None-Match', () => {
  const etag = '"abc"';
  test('matches the same tag, weak or strong, alone or in a list, and *', () => {
    expect(ifNoneMatchHits('"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('"x", "abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
  });
  test('does not match another tag, a missing header or an unquoted tag', () => {
    expect(ifNoneMatchHits('"abd"', etag)).toBe(false);
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
    expect(ifNoneMatchHits('', etag)).toBe(false);
    expect(ifNoneMatchHits('abc', etag)).toBe(false);
  });
});
