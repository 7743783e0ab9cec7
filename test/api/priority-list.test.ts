import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContext, sha256Hex } from '../../src/app/context.ts';
import type { PriorityListJson } from '../../src/contract/index.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { buildApp } from '../../src/server/app.ts';
import { connect } from '../../src/store/dialect/connect.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import {
  type Client,
  newRequirement,
  startApi,
  type TestApi,
  testAccounts,
  testPassword,
} from '../support/api.ts';
import { dialects } from '../support/databases.ts';

describe.each(dialects)('the priority list on %s', (dialect) => {
  let api: TestApi;
  let recipient: Client;
  let coordinator: Client;

  beforeAll(async () => {
    api = await startApi(dialect);
    recipient = await api.as('recipient');
    coordinator = await api.as('coordinator');
  });
  afterAll(async () => api?.close());

  async function currentList(client: Client = coordinator): Promise<PriorityListJson> {
    const response = await client.request('GET', '/api/v1/priority-list');
    expect(response.statusCode).toBe(200);
    const list = response.json() as PriorityListJson;
    expect(response.headers.etag).toBe(`"${list.version}"`);
    return list;
  }

  async function createLine(title: string): Promise<{ id: string; ref: string; version: number }> {
    const response = await recipient.request('POST', '/api/v1/requirements', {
      body: newRequirement({ title }),
    });
    expect(response.statusCode).toBe(201);
    return response.json();
  }

  function reorder(client: Client, order: readonly string[], version: number) {
    return client.request('PUT', '/api/v1/priority-list', {
      body: { order },
      headers: { 'if-match': `"${version}"` },
    });
  }

  async function transition(client: Client, id: string, to: string) {
    const response = await client.request('POST', `/api/v1/requirements/${id}/transitions`, { body: { to } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  const idsOf = (list: PriorityListJson) => list.items.map((item) => item.id);

  function expectContiguousRanks(list: PriorityListJson): void {
    expect(list.items.map((item) => item.rank)).toEqual(list.items.map((_, index) => index + 1));
  }

  test('adds each new line at the bottom, as a new list version', async () => {
    const before = await currentList();
    let version = before.version;
    for (const title of ['Interceptors', 'Radars', 'Shells']) {
      const line = await createLine(title);
      const list = await currentList();
      expect(list.version).toBe(version + 1);
      expect(list.items.at(-1)).toEqual({ id: line.id, ref: line.ref, rank: list.items.length });
      expectContiguousRanks(list);
      version = list.version;
    }
    expect((await currentList()).items).toHaveLength(before.items.length + 3);
  });

  test('a reorder with the current If-Match writes a new version and gives each line its new rank', async () => {
    const before = await currentList();
    const order = [...idsOf(before)].reverse();
    const response = await reorder(coordinator, order, before.version);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe(`"${before.version + 1}"`);
    const after = await currentList(recipient);
    expect(response.json()).toEqual(after);
    expect(after.version).toBe(before.version + 1);
    expect(idsOf(after)).toEqual(order);
    expectContiguousRanks(after);
    for (const [index, id] of order.entries()) {
      const line = await coordinator.request('GET', `/api/v1/requirements/${id}`);
      expect(line.json().rank).toBe(index + 1);
    }
  });

  test('the recipient may reorder too', async () => {
    const before = await currentList();
    const [first, ...rest] = idsOf(before);
    const response = await reorder(recipient, [...rest, first as string], before.version);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().version).toBe(before.version + 1);
  });

  test('a reorder against a stale version is 412 and changes nothing', async () => {
    const before = await currentList();
    const response = await reorder(coordinator, [...idsOf(before)].reverse(), before.version - 1);
    expect(response.statusCode).toBe(412);
    expect(response.json().code).toBe('VERSION_MISMATCH');
    expect(await currentList()).toEqual(before);
  });

  test('a supplier may read the list but not reorder it', async () => {
    const supplier = await api.as('supplier');
    const list = await currentList(supplier);
    const response = await reorder(supplier, idsOf(list), list.version);
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
  });

  test('the coordinator approves the current version; a later reorder keeps the approved version', async () => {
    const before = await currentList();
    const approved = await coordinator.request('POST', '/api/v1/priority-list/approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ version: before.version, approvedVersion: before.version });
    expect((await currentList(recipient)).approvedVersion).toBe(before.version);

    const reordered = await reorder(coordinator, [...idsOf(before)].reverse(), before.version);
    expect(reordered.json()).toMatchObject({ version: before.version + 1, approvedVersion: before.version });

    const again = await coordinator.request('POST', '/api/v1/priority-list/approve', {
      headers: { 'if-match': `"${before.version + 1}"` },
    });
    expect(again.json()).toMatchObject({ version: before.version + 1, approvedVersion: before.version + 1 });
  });

  test('approving the same version twice is 409', async () => {
    const before = await currentList();
    const reordered = await reorder(coordinator, [...idsOf(before)].reverse(), before.version);
    const version = reordered.json().version;
    const first = await coordinator.request('POST', '/api/v1/priority-list/approve');
    expect(first.statusCode, first.body).toBe(200);
    const second = await coordinator.request('POST', '/api/v1/priority-list/approve');
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('PRIORITY_LIST_ALREADY_APPROVED');
    expect(await currentList()).toMatchObject({ version, approvedVersion: version });
  });

  test('approving with a stale If-Match is 412 and approves nothing', async () => {
    const before = await currentList();
    await reorder(coordinator, [...idsOf(before)].reverse(), before.version);
    const stale = await coordinator.request('POST', '/api/v1/priority-list/approve', {
      headers: { 'if-match': `"${before.version}"` },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('VERSION_MISMATCH');
    expect((await currentList()).approvedVersion).toBe(before.approvedVersion);
  });

  test('a recipient cannot approve the list', async () => {
    const before = await currentList();
    const response = await recipient.request('POST', '/api/v1/priority-list/approve');
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
    expect(await currentList()).toEqual(before);
  });

  test('rejected and withdrawn lines leave the list and the ranks close their gaps', async () => {
    const rejected = await createLine('Trucks');
    const kept = await createLine('Generators');
    const withdrawn = await createLine('Blankets');
    const start = await currentList();
    // Put the leaving lines at the top and in the middle, so that closing the gaps moves others.
    const others = idsOf(start).filter((id) => ![rejected.id, withdrawn.id].includes(id));
    const middle = Math.floor(others.length / 2);
    const order = [rejected.id, ...others.slice(0, middle), withdrawn.id, ...others.slice(middle)];
    expect((await reorder(coordinator, order, start.version)).statusCode).toBe(200);

    await transition(recipient, rejected.id, 'submitted');
    expect((await currentList()).version).toBe(start.version + 1); // submitting keeps the line ranked
    const rejectedLine = await transition(coordinator, rejected.id, 'rejected');
    expect(rejectedLine).toMatchObject({ status: 'rejected', rank: null });
    const afterReject = await currentList();
    expect(afterReject.version).toBe(start.version + 2);
    expect(idsOf(afterReject)).toEqual(order.filter((id) => id !== rejected.id));
    expectContiguousRanks(afterReject);

    const withdrawnLine = await transition(recipient, withdrawn.id, 'withdrawn');
    expect(withdrawnLine).toMatchObject({ status: 'withdrawn', rank: null });
    const afterWithdraw = await currentList();
    expect(afterWithdraw.version).toBe(start.version + 3);
    expect(idsOf(afterWithdraw)).toEqual(others);
    expect(idsOf(afterWithdraw)).toContain(kept.id);
    expectContiguousRanks(afterWithdraw);
    for (const item of afterWithdraw.items) {
      const line = await coordinator.request('GET', `/api/v1/requirements/${item.id}`);
      expect(line.json().rank).toBe(item.rank);
    }

    // A reorder now names only the lines that are still on the list.
    const stale = await reorder(coordinator, order, afterWithdraw.version);
    expect(stale.statusCode).toBe(422);
    expect(stale.json().code).toBe('RANK_NOT_PERMUTATION');
  });

  describe('two reorders against the same version at the same time', () => {
    /**
     * On PostgreSQL the two requests go to two app instances with their own connection pools, as
     * two servers behind a load balancer would: their transactions really run in parallel. The
     * embedded SQLite database belongs to one process with one connection, so there both go to
     * the one app, whose transactions queue.
     */
    let second: { app: FastifyInstance; close: () => Promise<void> } | undefined;
    let first: FastifyInstance;
    const sessions = new Map<FastifyInstance, { cookie: string; csrfToken: string }>();

    async function logIn(app: FastifyInstance, role: Role) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: testAccounts[role].email, password: testPassword },
      });
      expect(response.statusCode).toBe(200);
      const cookie = response.cookies.find((candidate) => candidate.name === 'purl_session');
      sessions.set(app, { cookie: `purl_session=${cookie?.value}`, csrfToken: response.json().csrfToken });
    }

    function put(
      app: FastifyInstance,
      order: readonly string[],
      version: number,
    ): Promise<LightMyRequestResponse> {
      const session = sessions.get(app);
      if (!session) throw new Error('log in first');
      return app.inject({
        method: 'PUT',
        url: '/api/v1/priority-list',
        payload: { order },
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'if-match': `"${version}"` },
      });
    }

    beforeAll(async () => {
      first = api.app;
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
      }
      await logIn(first, 'coordinator');
      if (second) await logIn(second.app, 'recipient');
    });
    afterAll(async () => second?.close());

    test('exactly one wins each round, its order is the list, and the version grows by one', async () => {
      const other = second?.app ?? first;
      while ((await currentList()).items.length < 3) await createLine('Filler');
      const start = await currentList();
      const rounds = 10;
      const winners = { first: 0, second: 0 };
      for (let round = 0; round < rounds; round += 1) {
        const before = await currentList();
        const ids = idsOf(before);
        const rotated = [...ids.slice(1), ids[0] as string];
        const reversed = [...ids].reverse();
        const [a, b] = await Promise.all([
          put(first, rotated, before.version),
          put(other, reversed, before.version),
        ]);
        expect([a.statusCode, b.statusCode].sort(), `round ${round}: ${a.body} / ${b.body}`).toEqual([
          200, 412,
        ]);
        const loser = a.statusCode === 412 ? a : b;
        expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(loser.json().code).toBe('VERSION_MISMATCH');
        const winnerOrder = a.statusCode === 200 ? rotated : reversed;
        winners[a.statusCode === 200 ? 'first' : 'second'] += 1;

        const after = await currentList();
        expect(after.version).toBe(before.version + 1);
        expect(idsOf(after)).toEqual(winnerOrder);
        expectContiguousRanks(after);
        expect((a.statusCode === 200 ? a : b).json()).toEqual(after);
      }
      expect(winners.first + winners.second).toBe(rounds);
      expect((await currentList()).version).toBe(start.version + rounds);

      // Every version is recorded once, with no gap; the audit chain did not fork.
      const { db } = api.database.context.store;
      const versions = await db
        .selectFrom('priority_list_version')
        .select('version')
        .orderBy('version')
        .execute();
      expect(versions.map((row) => Number(row.version))).toEqual(
        Array.from({ length: start.version + rounds }, (_, index) => index + 1),
      );
      const auditor = await api.as('auditor');
      const verdict = await auditor.request('GET', '/api/v1/audit/verify');
      expect(verdict.json()).toMatchObject({ ok: true });
    });
  });
});
