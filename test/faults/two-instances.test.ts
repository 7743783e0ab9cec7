import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApi, type TestApi, usd } from '../support/api.ts';
import { bearerTokens, checkAuditChain, checkMoneyInvariants, openPackage } from '../support/fault-checks.ts';
import {
  call,
  killAllServers,
  type ServerProcess,
  seededRandom,
  startServer,
} from '../support/server-process.ts';

/**
 * Two `purl serve` processes on one PostgreSQL database, as behind a load balancer; 64 clients
 * send conflicting priority-list reorders with If-Match, pledge transitions with If-Match and
 * allocation applies of plans that other clients make stale. Every write gets 2xx, 409 or 412;
 * no reorder is lost; no pledge or line is allocated twice; the audit chain is one line.
 */

const clients = 64;
const requestsPerClient = Number(process.env.PURL_INSTANCES_REQUESTS_PER_CLIENT ?? 10);
const seed = Number(process.env.PURL_INSTANCES_SEED ?? 77);

describe('two instances on postgres', () => {
  let api: TestApi;
  let tokens: Record<'donor' | 'coordinator' | 'auditor', string>;
  let keyDir: string;
  let servers: ServerProcess[] = [];
  let pledgeIds: string[] = [];

  beforeAll(async () => {
    api = await startApi('postgres');
    tokens = await bearerTokens(api, ['donor', 'coordinator', 'auditor']);
    await openPackage(api, 8, '1000000.00');
    const donor = await api.as('donor');
    for (let index = 0; index < 24; index++) {
      const pledge = await donor.request('POST', '/api/v1/pledges', {
        body: {
          donor: 'GBR',
          amount: usd(`${300_000 + index * 17_000}.00`),
          announcedOn: '2026-02-01',
          stage: 'committed',
          committedOn: '2026-02-10',
        },
      });
      expect(pledge.statusCode, pledge.body).toBe(201);
      pledgeIds.push(pledge.json().id);
    }
    await api.app.close();
    keyDir = mkdtempSync(join(tmpdir(), 'purl-two-'));
    const options = { databaseUrl: api.database.url, auditKeyFile: join(keyDir, 'audit-key.pem') };
    // The first creates the signing key; the second reads the same file, as operations.md says.
    servers = [await startServer(options)];
    servers.push(await startServer(options));
  }, 180_000);
  afterAll(async () => {
    killAllServers();
    await api?.database.dispose();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    pledgeIds = [];
  });

  test(`${clients} clients on two instances: only 2xx, 409 or 412, no lost reorder, no double allocation, one audit chain`, async () => {
    const random = seededRandom(seed);
    const base = (index: number) => (servers[index % 2] as ServerProcess).baseUrl;
    const initialList = await call(base(0), 'GET', '/api/v1/priority-list', { token: tokens.coordinator });
    const initialLength = await checkAuditChain(base(0), tokens.auditor);
    const reorders: { version: number; order: string[] }[] = [];
    let transitions = 0;
    const applies: { allocations: number }[] = [];
    const statuses: Record<string, number> = {};
    const unexpected: string[] = [];
    const record = (what: string, status: number, text: string) => {
      statuses[`${what} ${status}`] = (statuses[`${what} ${status}`] ?? 0) + 1;
      if (![200, 201, 409, 412].includes(status)) unexpected.push(`${what} ${status} ${text.slice(0, 300)}`);
    };

    const client = async (index: number) => {
      for (let step = 0; step < requestsPerClient; step++) {
        const choice = random();
        // Reads go to one instance and the write to the other half of the time.
        const readFrom = base(index + step);
        const writeTo = base(index + step + (random() < 0.5 ? 1 : 0));
        if (choice < 0.45) {
          const list = await call(readFrom, 'GET', '/api/v1/priority-list', { token: tokens.coordinator });
          const order = (list.json.items as { id: string }[]).map((item) => item.id);
          for (let i = order.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [order[i], order[j]] = [order[j] as string, order[i] as string];
          }
          const put = await call(writeTo, 'PUT', '/api/v1/priority-list', {
            token: tokens.coordinator,
            body: { order },
            headers: { 'if-match': `"${list.json.version}"` },
          });
          record('reorder', put.status, put.text);
          if (put.status === 200) reorders.push({ version: put.json.version, order });
        } else if (choice < 0.7) {
          const id = pledgeIds[Math.floor(random() * pledgeIds.length)] as string;
          const pledge = await call(readFrom, 'GET', `/api/v1/pledges/${id}`, { token: tokens.donor });
          const moved = await call(writeTo, 'POST', `/api/v1/pledges/${id}/transitions`, {
            token: tokens.donor,
            body: { to: 'paid', on: '2026-02-20' },
            headers: { 'if-match': `"${pledge.json.version}"` },
          });
          record('transition', moved.status, moved.text);
          if (moved.status === 200) transitions++;
        } else {
          const plan = await call(readFrom, 'GET', '/api/v1/allocation/plan', { token: tokens.coordinator });
          const applied = await call(writeTo, 'POST', '/api/v1/allocation/apply', {
            token: tokens.coordinator,
            body: { planId: plan.json.planId },
          });
          record('apply', applied.status, applied.text);
          if (applied.status === 200) applies.push({ allocations: applied.json.allocations });
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
    process.stdout.write(
      `two instances: ${clients * requestsPerClient} writes in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(statuses)}\n`,
    );
    // A 5xx names its cause in the server's log: show both logs' errors with the failure.
    const serverErrors = servers.flatMap((server) =>
      server
        .output()
        .split('\n')
        .filter((line) => /"level":50|error/i.test(line))
        .slice(-5),
    );
    expect(unexpected, serverErrors.join('\n')).toEqual([]);

    // No lost reorder: each success wrote the next version, and the last one is the list now.
    const final = await call(base(1), 'GET', '/api/v1/priority-list', { token: tokens.coordinator });
    expect(final.json.version).toBe(initialList.json.version + reorders.length);
    expect(new Set(reorders.map((reorder) => reorder.version)).size).toBe(reorders.length);
    const last = reorders.sort((a, b) => a.version - b.version).at(-1);
    if (last) expect((final.json.items as { id: string }[]).map((item) => item.id)).toEqual(last.order);
    expect(reorders.length).toBeGreaterThan(0);

    // Each pledge moved to paid once, however many clients tried.
    const { db } = api.database.context.store;
    const paid = await db.selectFrom('pledge').select('id').where('stage', '=', 'paid').execute();
    expect(paid.length).toBe(transitions);

    await checkMoneyInvariants(api);

    // One chain: every successful write appended its events, and nothing else did.
    const applyEvents = await db
      .selectFrom('audit_event')
      .select(['action'])
      .where('seq', '>', initialLength)
      .execute();
    const byAction = new Map<string, number>();
    for (const event of applyEvents) byAction.set(event.action, (byAction.get(event.action) ?? 0) + 1);
    expect(byAction.get('priority-list.version') ?? 0).toBe(reorders.length);
    expect(byAction.get('pledge.transition') ?? 0).toBe(transitions);
    expect(byAction.get('allocation.apply') ?? 0).toBe(
      applies.filter((apply) => apply.allocations > 0).length,
    );
    const length = await checkAuditChain(base(1), tokens.auditor);
    expect(length).toBe(initialLength + applyEvents.length);
    // Nothing but these writes and what an apply does with them (the funded package, its lines).
    const consequences = ['allocation.apply', 'package.funded', 'requirement.follow-package'];
    expect(
      [...byAction.keys()].filter(
        (action) => !['priority-list.version', 'pledge.transition', ...consequences].includes(action),
      ),
    ).toEqual([]);
    expect(byAction.get('package.funded') ?? 0).toBeLessThanOrEqual(1);
  }, 300_000);
});
