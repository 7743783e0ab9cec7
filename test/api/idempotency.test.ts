import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContext, sha256Hex } from '../../src/app/context.ts';
import type { PledgeJson } from '../../src/contract/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { connect } from '../../src/store/dialect/connect.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { type Client, startApi, type TestApi, testAccounts } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { ecbDailyFile, entriesOfPledge, everyItem, importEcb, logIn } from '../support/pledges.ts';

const newPledge = (overrides: Record<string, unknown> = {}) => ({
  donor: 'GBR',
  amount: { amount: '150000000.00', currency: 'GBP' },
  announcedOn: '2026-03-02',
  forum: 'UDCG',
  ...overrides,
});

/**
 * `Idempotency-Key` on pledge creation and transitions: a retry with the same key and body gets the
 * first response and writes nothing; the same key with another request is a 409; keys belong to
 * the user who sent them.
 */
describe.each(dialects)('idempotency keys on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  let donor: Client;

  beforeAll(async () => {
    api = await startApi(dialect);
    coordinator = await api.as('coordinator');
    donor = await api.as('donor');
    const imported = await importEcb(
      coordinator,
      ecbDailyFile('02 March 2026', { USD: '1.0834', JPY: '162.51', GBP: '0.83175' }),
    );
    expect(imported.statusCode, imported.body).toBe(200);
  });
  afterAll(async () => api?.close());

  /** What a replayed or refused request must leave unchanged. */
  async function snapshot() {
    return {
      pledges: await everyItem<PledgeJson>(coordinator, '/api/v1/pledges'),
      entries: (await everyItem(coordinator, '/api/v1/ledger/entries')).length,
      auditHead: await api.database.context.store.read.audit.head(),
    };
  }

  const create = (client: Client, key: string, body: unknown) =>
    client.request('POST', '/api/v1/pledges', { body, headers: { 'idempotency-key': key } });

  const transition = (client: Client, id: string, key: string, body: unknown) =>
    client.request('POST', `/api/v1/pledges/${id}/transitions`, {
      body,
      headers: { 'idempotency-key': key },
    });

  function expectConflict(response: LightMyRequestResponse): void {
    expect(response.statusCode, response.body).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: 'urn:purl-desk:error:IDEMPOTENCY_KEY_REUSED',
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 409,
    });
  }

  test('the same key and body return the first response and write nothing more', async () => {
    const body = newPledge();
    const first = await create(donor, 'create-once', body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const before = await snapshot();
    expect(before.pledges.map((pledge) => pledge.id)).toContain(first.json().id);

    const retry = await create(donor, 'create-once', body);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe(first.headers.etag);

    // The same body with its fields in another order is the same request.
    const reordered = await donor.request('POST', '/api/v1/pledges', {
      body: JSON.stringify(Object.fromEntries(Object.entries(body).reverse())),
      headers: { 'idempotency-key': 'create-once', 'content-type': 'application/json' },
    });
    expect(reordered.statusCode).toBe(201);
    expect(reordered.headers['idempotent-replayed']).toBe('true');
    expect(reordered.json()).toEqual(first.json());

    expect(await snapshot()).toEqual(before);
  });

  test('the same key with a different body is 409 IDEMPOTENCY_KEY_REUSED, with nothing written', async () => {
    const first = await create(donor, 'create-then-change', newPledge());
    expect(first.statusCode, first.body).toBe(201);
    const before = await snapshot();
    expectConflict(
      await create(
        donor,
        'create-then-change',
        newPledge({ amount: { amount: '150000001.00', currency: 'GBP' } }),
      ),
    );
    expectConflict(await create(donor, 'create-then-change', newPledge({ announcedOn: '2026-03-03' })));
    // The same key on another route is another request too.
    expectConflict(
      await transition(donor, first.json().id, 'create-then-change', { to: 'committed', on: '2026-03-02' }),
    );
    expect(await snapshot()).toEqual(before);
    expect((await donor.request('GET', `/api/v1/pledges/${first.json().id}`)).json().stage).toBe('announced');
  });

  test('the same key used by two different users is two different keys', async () => {
    const key = 'shared-by-two-users';
    const before = await snapshot();
    const byDonor = await create(donor, key, newPledge());
    const byCoordinator = await create(coordinator, key, newPledge({ source: 'https://www.gov.uk/purl' }));
    expect(byDonor.statusCode, byDonor.body).toBe(201);
    expect(byCoordinator.statusCode, byCoordinator.body).toBe(201);
    expect(byDonor.headers['idempotent-replayed']).toBeUndefined();
    expect(byCoordinator.headers['idempotent-replayed']).toBeUndefined();
    expect(byCoordinator.json().id).not.toBe(byDonor.json().id);
    const after = await snapshot();
    expect(after.pledges).toHaveLength(before.pledges.length + 2);
    expect(after.entries).toBe(before.entries + 2);

    // Each user's retry replays that user's own first response.
    const donorRetry = await create(donor, key, newPledge());
    expect(donorRetry.headers['idempotent-replayed']).toBe('true');
    expect(donorRetry.json()).toEqual(byDonor.json());
    // The coordinator's body under the donor's key is another request for the donor.
    expectConflict(await create(donor, key, newPledge({ source: 'https://www.gov.uk/purl' })));
    expect(await snapshot()).toEqual(after);
  });

  test('a retried transition does not move the pledge twice', async () => {
    const pledge = (await create(donor, 'to-be-moved', newPledge())).json() as PledgeJson;
    const first = await transition(donor, pledge.id, 'commit-once', { to: 'committed', on: '2026-03-05' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ stage: 'committed', version: 2 });
    const before = await snapshot();

    const retry = await transition(donor, pledge.id, 'commit-once', { to: 'committed', on: '2026-03-05' });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers.etag).toBe('"2"');
    expect(await snapshot()).toEqual(before);
    expect((await entriesOfPledge(coordinator, pledge.id)).map((entry) => entry.tags.stage)).toEqual([
      'announced',
      'committed',
    ]);

    // The same key on another date is another request; without a key, a second commitment is refused.
    expectConflict(await transition(donor, pledge.id, 'commit-once', { to: 'committed', on: '2026-03-06' }));
    const again = await donor.request('POST', `/api/v1/pledges/${pledge.id}/transitions`, {
      body: { to: 'committed', on: '2026-03-05' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INVALID_TRANSITION');
    expect(await snapshot()).toEqual(before);
  });

  describe('concurrent requests with one key', () => {
    /**
     * On PostgreSQL the requests alternate between two app instances with their own connection
     * pools, as two servers behind a load balancer would: their transactions really overlap. The
     * embedded SQLite database has one connection in one process, so there they go to one app.
     */
    let second: { app: FastifyInstance; close: () => Promise<void> } | undefined;
    let clients: Client[];

    beforeAll(async () => {
      clients = [donor];
      if (dialect === 'postgres') {
        const connection = connect(api.database.url);
        const context = createContext(new Store(connection.db, connection.dialect, sha256Hex));
        const app = await buildApp({ context });
        second = {
          app,
          close: async () => {
            await app.close();
            await context.store.close();
          },
        };
        clients.push(await logIn(app, testAccounts.donor.email));
      }
    });
    afterAll(async () => second?.close());

    const clientFor = (index: number): Client => clients[index % clients.length] as Client;

    test('five at once produce exactly one pledge, and every response carries its id', async () => {
      for (let round = 0; round < 3; round += 1) {
        const before = await snapshot();
        const key = `concurrent-create-${round}`;
        const body = newPledge({ amount: { amount: `${round + 1}000000.00`, currency: 'GBP' } });
        const responses = await Promise.all(
          Array.from({ length: 5 }, (_, index) => create(clientFor(index), key, body)),
        );
        const outcomes = responses.map((response) => ({ status: response.statusCode, body: response.body }));
        expect(
          outcomes.map((outcome) => outcome.status),
          JSON.stringify(outcomes),
        ).toEqual([201, 201, 201, 201, 201]);
        const ids = new Set(responses.map((response) => response.json().id));
        expect(ids.size).toBe(1);
        expect(
          responses.filter((response) => response.headers['idempotent-replayed'] === undefined),
        ).toHaveLength(1);
        const after = await snapshot();
        expect(after.pledges).toHaveLength(before.pledges.length + 1);
        expect(after.pledges.map((pledge) => pledge.id)).toContain([...ids][0]);
        expect(after.entries).toBe(before.entries + 1);
        expect(after.auditHead.seq).toBe(before.auditHead.seq + 1);
      }
    });

    test('five identical transitions at once move the pledge once, and every response is the first', async () => {
      const pledge = (await create(donor, 'concurrently-moved', newPledge())).json() as PledgeJson;
      const before = await snapshot();
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          transition(clientFor(index), pledge.id, 'concurrent-commit', { to: 'committed', on: '2026-03-04' }),
        ),
      );
      const outcomes = responses.map((response) => ({ status: response.statusCode, body: response.body }));
      expect(
        outcomes.map((outcome) => outcome.status),
        JSON.stringify(outcomes),
      ).toEqual([200, 200, 200, 200, 200]);
      for (const response of responses)
        expect(response.json()).toMatchObject({ stage: 'committed', version: 2 });
      expect(new Set(responses.map((response) => response.body)).size).toBe(1);
      expect(
        responses.filter((response) => response.headers['idempotent-replayed'] === undefined),
      ).toHaveLength(1);
      const after = await snapshot();
      expect(after.entries).toBe(before.entries + 1);
      expect(after.auditHead.seq).toBe(before.auditHead.seq + 1);
      expect((await entriesOfPledge(coordinator, pledge.id)).map((entry) => entry.tags.stage)).toEqual([
        'announced',
        'committed',
      ]);
    });
  });
});
