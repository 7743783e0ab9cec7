import { readdirSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createContext, sha256Hex, systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import type { LiveEventJson } from '../../src/contract/live-update.schema.ts';
import { changeRules } from '../../src/core/access/change-rules.ts';
import { Policy } from '../../src/core/access/policy.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { Limits } from '../../src/core/limits.ts';
import { buildApp } from '../../src/server/app.ts';
import { connect } from '../../src/store/dialect/connect.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { type Credential, logInOver, noCredential, send } from '../support/access.ts';
import { newRequirement, startApi, type TestApi, testAccounts, testPassword, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { type EventStreamClient, openEventStream } from '../support/event-stream.ts';

test('every object type a use case audits has a row in the change rules', () => {
  const folder = new URL('../../src/app/', import.meta.url);
  const audited = new Set<string>();
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts'))) {
    for (const match of readFileSync(new URL(file, folder), 'utf8').matchAll(/objectType: '([^']+)'/g))
      if (match[1]) audited.add(match[1]);
  }
  expect(audited.size).toBeGreaterThan(10);
  expect([...audited].filter((type) => !Object.hasOwn(changeRules, type))).toEqual([]);
});

type Identity = Role | 'donor-deu';

describe.each(dialects)('live updates on %s', (dialect) => {
  let api: TestApi;
  const credentials = new Map<Identity, Credential>();
  const opened: EventStreamClient[] = [];
  const as = (identity: Identity) => credentials.get(identity) ?? noCredential;

  async function open(identity: Identity | 'public', options: Parameters<typeof openEventStream>[2] = {}) {
    const stream = await openEventStream(
      api.app,
      identity === 'public' ? noCredential : as(identity),
      options,
    );
    opened.push(stream);
    return stream;
  }

  async function post(identity: Identity, url: string, body: unknown) {
    const response = await send(api.app, 'POST', url, as(identity), { body });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  }

  const changed = (events: readonly LiveEventJson[]) =>
    events.flatMap((event) => (event.type === 'changed' ? [event.object] : []));
  const ids = (events: readonly LiveEventJson[]) => new Set(changed(events).map((object) => object.id));

  beforeAll(async () => {
    api = await startApi(dialect);
    await api.app.ready();
    const { context } = api.database;
    await addOrganization(context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
    await addUser(context, systemActor, {
      email: 'donor@deu.test',
      organizationCode: 'DEU',
      role: 'donor',
      password: testPassword,
    });
    for (const role of Object.keys(testAccounts) as Role[])
      credentials.set(role, await logInOver(api.app, testAccounts[role].email));
    credentials.set('donor-deu', await logInOver(api.app, 'donor@deu.test'));
  });
  afterEach(() => {
    for (const stream of opened.splice(0)) stream.close();
  });
  afterAll(async () => api?.close());

  test('refuses the public with 401, and streams text/event-stream to a logged-in user', async () => {
    const refused = await open('public');
    expect(refused.status).toBe(401);
    expect(JSON.parse(await refused.body()).code).toBe('UNAUTHENTICATED');

    const stream = await open('coordinator');
    expect(stream.status).toBe(200);
    expect(String(stream.headers['content-type'])).toMatch(/^text\/event-stream/);
    expect(String(stream.headers['cache-control'])).toContain('no-cache');
    const [first] = await stream.waitFor((events) => events.length > 0);
    const head = await api.database.context.store.read.audit.head();
    expect(first).toEqual({ type: 'ready', seq: head.seq });
    stream.close();
  });

  test("tells the coordinator of a donor's new pledge by kind and id only", async () => {
    const stream = await open('coordinator');
    const pledge = await post('donor', '/api/v1/pledges', {
      donor: 'GBR',
      amount: usd('123456789.12'),
      announcedOn: '2026-02-12',
      forum: 'FORUM-TEXT-8c2f',
      visibility: 'restricted',
    });
    const events = await stream.waitFor((seen) => ids(seen).has(pledge.id));
    const event = events.find((each) => each.type === 'changed');
    expect(event).toEqual({
      type: 'changed',
      object: { kind: 'pledge', id: pledge.id },
      seq: expect.any(Number),
    });
    expect(stream.text()).not.toMatch(/123456789|FORUM-TEXT-8c2f|P-\d/);
    stream.close();
  });

  test('tells each role only of the objects it may read', async () => {
    const identities: Identity[] = [
      'recipient',
      'coordinator',
      'supplier',
      'donor',
      'donor-deu',
      'auditor',
      'admin',
    ];
    const streams = new Map<Identity, EventStreamClient>();
    for (const identity of identities) {
      const stream = await open(identity);
      expect(stream.status).toBe(200);
      streams.set(identity, stream);
    }
    const britain = await post('donor', '/api/v1/pledges', {
      donor: 'GBR',
      amount: usd('1000000.00'),
      announcedOn: '2026-02-12',
      stage: 'committed',
      committedOn: '2026-02-12',
      visibility: 'restricted',
    });
    const germany = await post('donor-deu', '/api/v1/pledges', {
      donor: 'DEU',
      amount: null,
      announcedOn: '2026-02-12',
      visibility: 'amount-undisclosed',
    });
    const line = await post('recipient', '/api/v1/requirements', newRequirement({ quantity: 1 }));
    await post('recipient', `/api/v1/requirements/${line.id}/transitions`, { to: 'submitted' });
    await post('coordinator', `/api/v1/requirements/${line.id}/transitions`, { to: 'validated' });
    const pkg = await post('coordinator', '/api/v1/packages', {
      name: 'Spring',
      target: usd('1000000.00'),
      lines: [{ requirementId: line.id, quantity: 1 }],
    });
    // Every user may read categories: once each stream has this one, it has had all the writes before.
    const sentinel = await post('coordinator', '/api/v1/categories', {
      code: 'sentinel-1',
      name: 'Sentinel',
    });
    const received = new Map<Identity, Set<string>>();
    for (const [identity, stream] of streams) {
      received.set(identity, ids(await stream.waitFor((events) => ids(events).has(sentinel.code))));
    }
    const told = (identity: Identity) =>
      [britain.id, germany.id, line.id, pkg.id].filter((id) => received.get(identity)?.has(id));
    // Pledges by the relation (donors their own); lines and packages by the policy table (no donor
    // funds the package yet).
    const expected = (identity: Identity) => {
      const role: Role = identity === 'donor-deu' ? 'donor' : identity;
      const pledges =
        identity === 'donor'
          ? [britain.id]
          : identity === 'donor-deu'
            ? [germany.id]
            : Policy.allows(role, 'pledge.read')
              ? [britain.id, germany.id]
              : [];
      return [
        ...pledges,
        ...(Policy.allows(role, 'requirement.read') ? [line.id] : []),
        ...(Policy.allows(role, 'package.read') && role !== 'donor' ? [pkg.id] : []),
      ];
    };
    expect(Object.fromEntries(identities.map((identity) => [identity, told(identity)]))).toEqual(
      Object.fromEntries(identities.map((identity) => [identity, expected(identity)])),
    );
    expect(told('coordinator')).toEqual([britain.id, germany.id, line.id, pkg.id]);
    expect(told('donor')).toEqual([britain.id]);
    expect(told('admin')).toEqual([]);
    for (const identity of identities)
      expect(received.get(identity)?.has(sentinel.code), identity).toBe(true);

    // Once Britain's money is allocated to the package, Britain's donor is told of it; Germany's is not.
    const priced = await post('supplier', `/api/v1/packages/${pkg.id}/transitions`, {
      to: 'priced',
      lines: pkg.lines.map((each: { id: string }) => ({ lineId: each.id, amount: usd('1000000.00') })),
    });
    expect(priced.status).toBe('priced');
    await post('coordinator', `/api/v1/packages/${pkg.id}/transitions`, { to: 'open' });
    const plan = (await send(api.app, 'GET', '/api/v1/allocation/plan', as('coordinator'))).json();
    expect(plan.allocations.length).toBeGreaterThan(0);
    await post('coordinator', '/api/v1/allocation/apply', { planId: plan.planId });
    const later = await post('coordinator', '/api/v1/categories', { code: 'sentinel-2', name: 'Sentinel' });
    const britishDonor = await streams.get('donor')?.waitFor((events) => ids(events).has(later.code));
    const germanDonor = await streams.get('donor-deu')?.waitFor((events) => ids(events).has(later.code));
    expect(ids(britishDonor ?? []).has(later.code)).toBe(true);
    expect(changed(britishDonor ?? []).filter((object) => object.kind === 'package')).toEqual([
      { kind: 'package', id: pkg.id },
    ]);
    expect(changed(germanDonor ?? []).filter((object) => object.kind === 'package')).toEqual([]);
    // The plan itself reaches those who read plans only.
    const coordinatorEvents = await streams
      .get('coordinator')
      ?.waitFor((events) => ids(events).has(later.code));
    expect(changed(coordinatorEvents ?? []).some((object) => object.kind === 'allocation')).toBe(true);
    expect(changed(britishDonor ?? []).some((object) => object.kind === 'allocation')).toBe(false);
    for (const stream of streams.values()) stream.close();
  });

  test('tells a reconnecting client that missed writes to refetch, and one that missed none it is ready', async () => {
    const head = (await api.database.context.store.read.audit.head()).seq;
    const cases: [Parameters<typeof openEventStream>[2], string][] = [
      [{ headers: { 'last-event-id': String(head - 1) } }, 'refetch'],
      [{ headers: { 'last-event-id': 'not-a-number' } }, 'refetch'],
      [{ query: `since=${head - 1}` }, 'refetch'],
      [{ headers: { 'last-event-id': String(head) } }, 'ready'],
      [{ query: `since=${head}` }, 'ready'],
      [{}, 'ready'],
    ];
    for (const [options, expected] of cases) {
      const stream = await open('auditor', options);
      const [first] = await stream.waitFor((events) => events.length > 0);
      expect(first, JSON.stringify(options)).toEqual({ type: expected, seq: head });
      stream.close();
    }
  });

  test(`holds at most ${Limits.eventStreamsPerUserMax} streams per user, and a closed one frees its place`, async () => {
    const streams: EventStreamClient[] = [];
    for (let count = 0; count < Limits.eventStreamsPerUserMax; count++) {
      const stream = await open('supplier');
      expect(stream.status).toBe(200);
      streams.push(stream);
    }
    const refused = await open('supplier');
    expect(refused.status).toBe(429);
    expect(JSON.parse(await refused.body()).code).toBe('RATE_LIMITED');
    // Another user is not affected.
    expect((await open('recipient')).status).toBe(200);
    streams.pop()?.close();
    await new Promise((resolve) => setImmediate(resolve));
    const again = await open('supplier');
    expect(again.status).toBe(200);
    again.close();
    for (const stream of streams) stream.close();
  });

  test('ends a stream when its session logs out', async () => {
    const session = await logInOver(api.app, testAccounts.auditor.email);
    const stream = await openEventStream(api.app, session);
    opened.push(stream);
    expect(stream.status).toBe(200);
    const out = await send(api.app, 'DELETE', '/api/v1/session', session);
    expect(out.statusCode).toBe(204);
    await stream.waitFor(() => false, 5_000);
    expect(stream.ended()).toBe(true);
  });

  test('brings the writes of another server process on the same database', async () => {
    const connection = connect(api.database.url);
    const other: FastifyInstance = await buildApp({
      context: createContext(new Store(connection.db, connection.dialect, sha256Hex)),
    });
    try {
      const stream = await open('coordinator');
      await stream.waitFor((events) => events.length > 0);
      // Written through the other process: this one learns of it only by reading the audit chain.
      const response = await send(other, 'POST', '/api/v1/pledges', as('donor'), {
        body: { donor: 'GBR', amount: usd('5.00'), announcedOn: '2026-02-12' },
      });
      expect(response.statusCode, response.body).toBe(201);
      const events = await stream.waitFor((seen) => ids(seen).has(response.json().id), 10_000);
      expect(ids(events).has(response.json().id)).toBe(true);
      stream.close();
    } finally {
      await other.close();
      await connection.db.destroy();
    }
  });

  // A fresh database and six password hashes first: slow on a busy machine, so a roomy budget.
  test('closing the listening app ends the open streams, so that shutdown is not held up', async () => {
    const own = await startApi(dialect);
    try {
      const address = await own.app.listen({ port: 0, host: '127.0.0.1' });
      const session = await logInOver(own.app, testAccounts.coordinator.email);
      const response = await fetch(`${address}/api/v1/events`, { headers: { cookie: session.cookie } });
      expect(response.status).toBe(200);
      const reader = response.body?.getReader();
      if (!reader) throw new Error('no body');
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('"type":"ready"');
      // What SIGTERM does in `purl serve`: close the app. With the stream left open by the client,
      // this resolves only because the app ends the stream itself.
      await own.app.close();
      let next = await reader.read();
      while (!next.done) next = await reader.read();
      expect(next.done).toBe(true);
    } finally {
      await own.database.dispose();
    }
  }, 120_000);
});
