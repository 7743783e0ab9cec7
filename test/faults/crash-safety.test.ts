import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApi, type TestApi, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { bearerTokens, checkAuditChain, checkMoneyInvariants, openPackage } from '../support/fault-checks.ts';
import { databaseDigest } from '../support/fuzz/database-digest.ts';
import {
  call,
  killAllServers,
  type ServerProcess,
  seededRandom,
  startServer,
} from '../support/server-process.ts';

/**
 * `purl serve` is killed with SIGKILL at seeded random moments while clients write pledges (with
 * Idempotency-Key), move them to paid and apply allocation plans. After each restart: every write
 * answered 2xx is there; every Idempotency-Key replays its first answer and writes nothing; every
 * journal entry balances; the audit chain verifies; no pledge or line is allocated beyond its value.
 */

const cyclesPerDialect = Number(process.env.PURL_CRASH_CYCLES ?? 20);
const seed = Number(process.env.PURL_CRASH_SEED ?? 4242);
const workers = 6;

interface Write {
  readonly key: string;
  readonly kind: 'pledge' | 'transition' | 'apply';
  readonly path: string;
  readonly body: unknown;
  readonly token: string;
  /** The first 2xx answer; undefined while the outcome is unknown (the server died) or refused. */
  answer?: { status: number; body: unknown };
  refused?: number;
}

/** The id of the object an acknowledged write created or moved. */
function idOf(write: Write): string {
  return String((write.answer?.body as { id?: unknown } | undefined)?.id);
}

describe.each(dialects)('crash safety on %s', (dialect) => {
  let api: TestApi;
  let tokens: Record<'donor' | 'coordinator' | 'auditor', string>;
  let keyDir: string;
  let server: ServerProcess | undefined;
  const writes: Write[] = [];

  beforeAll(async () => {
    api = await startApi(dialect);
    tokens = await bearerTokens(api, ['donor', 'coordinator', 'auditor']);
    await openPackage(api, 6, '3000000.00');
    // The in-process app is done; from here only child processes serve the database.
    await api.app.close();
    keyDir = mkdtempSync(join(tmpdir(), 'purl-crash-'));
  });
  afterAll(async () => {
    killAllServers();
    await api?.database.dispose();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  async function send(base: string, write: Write): Promise<void> {
    let answer: Awaited<ReturnType<typeof call>>;
    try {
      answer = await call(base, 'POST', write.path, {
        token: write.token,
        body: write.body,
        headers: { 'idempotency-key': write.key },
      });
    } catch {
      return; // The connection died with the server: the outcome is unknown until the key is replayed.
    }
    expect(answer.status, `${write.path}: ${answer.text}`).toBeLessThan(500);
    if (answer.status < 300) write.answer = { status: answer.status, body: answer.json };
    else write.refused = answer.status;
  }

  /** Concurrent clients writing until the server dies. */
  async function workload(base: string, random: () => number, cycle: number): Promise<void> {
    let counter = 0;
    let dead = false;
    const loop = async (worker: number) => {
      while (!dead) {
        const key = `crash-${cycle}-${worker}-${counter++}`;
        const choice = random();
        let write: Write;
        const moved = new Set(writes.filter((t) => t.kind === 'transition').map((t) => t.path));
        const committed = writes.filter(
          (candidate) =>
            candidate.kind === 'pledge' &&
            candidate.answer &&
            !moved.has(`/api/v1/pledges/${idOf(candidate)}/transitions`),
        );
        if (choice < 0.15 && committed.length) {
          const pledge = committed[Math.floor(random() * committed.length)] as Write;
          write = {
            key,
            kind: 'transition',
            path: `/api/v1/pledges/${idOf(pledge)}/transitions`,
            body: { to: 'paid', on: '2026-02-20' },
            token: tokens.donor,
          };
        } else if (choice < 0.35) {
          let plan: Awaited<ReturnType<typeof call>>;
          try {
            plan = await call(base, 'GET', '/api/v1/allocation/plan', { token: tokens.coordinator });
          } catch {
            dead = true;
            return;
          }
          expect(plan.status, plan.text).toBe(200);
          write = {
            key,
            kind: 'apply',
            path: '/api/v1/allocation/apply',
            body: { planId: plan.json.planId },
            token: tokens.coordinator,
          };
        } else {
          const dollars = 100_000 + Math.floor(random() * 900_000);
          write = {
            key,
            kind: 'pledge',
            path: '/api/v1/pledges',
            body: {
              donor: 'GBR',
              amount: usd(`${dollars}.00`),
              announcedOn: '2026-02-01',
              stage: 'committed',
              committedOn: '2026-02-10',
              notes: key,
            },
            token: tokens.donor,
          };
        }
        writes.push(write);
        await send(base, write);
        if (!write.answer && write.refused === undefined) dead = true;
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, worker) => loop(worker)));
  }

  test(`keeps every acknowledged write, replays every key and holds its invariants across ${cyclesPerDialect} SIGKILLs`, async () => {
    const random = seededRandom(seed + (dialect === 'sqlite' ? 0 : 1));
    const options = { databaseUrl: api.database.url, auditKeyFile: join(keyDir, 'audit-key.pem') };
    const started = performance.now();
    server = await startServer(options);
    for (let cycle = 1; cycle <= cyclesPerDialect; cycle++) {
      const running = server;
      // The kill comes after a seeded number of answered writes and a seeded delay, so that it
      // lands among the writes however fast this machine is.
      const answered = () => writes.filter((write) => write.answer || write.refused !== undefined).length;
      const killAfter = answered() + 2 + Math.floor(random() * 12);
      const delayMs = Math.floor(random() * 80);
      const killer = (async () => {
        while (answered() < killAfter) await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        running.kill('SIGKILL');
      })();
      await Promise.all([workload(running.baseUrl, random, cycle), killer]);
      expect(await running.exited).toBe('SIGKILL');

      server = await startServer(options);
      const base = server.baseUrl;
      // Writes whose answer the crash swallowed: the key replays the committed one, or the write runs now.
      for (const write of writes.filter(
        (candidate) => !candidate.answer && candidate.refused === undefined,
      )) {
        await send(base, write);
        expect(write.answer !== undefined || write.refused !== undefined, write.key).toBe(true);
      }
      const acknowledged = writes.filter((write) => write.answer);
      // Every acknowledged write is there.
      const { db } = api.database.context.store;
      const pledgeIds = new Set((await db.selectFrom('pledge').select('id').execute()).map((row) => row.id));
      const entryIds = new Set(
        (await db.selectFrom('journal_entry').select('id').execute()).map((row) => row.id),
      );
      for (const write of acknowledged) {
        const body = write.answer?.body as { id?: string; stage?: string; entries?: string[] };
        if (write.kind === 'pledge') expect(pledgeIds.has(body.id as string), write.key).toBe(true);
        if (write.kind === 'transition') {
          const pledge = await call(base, 'GET', `/api/v1/pledges/${body.id}`, { token: tokens.donor });
          expect(pledge.json.stage, write.key).toBe('paid');
        }
        if (write.kind === 'apply')
          for (const entry of body.entries ?? []) expect(entryIds.has(entry), write.key).toBe(true);
      }
      // Replaying every key answers the first answer again and writes nothing.
      const before = await databaseDigest(db, dialect);
      for (const write of acknowledged) {
        const replay = await call(base, 'POST', write.path, {
          token: write.token,
          body: write.body,
          headers: { 'idempotency-key': write.key },
        });
        expect(replay.status, `${write.key}: ${replay.text}`).toBe(write.answer?.status);
        expect(replay.json, write.key).toEqual(write.answer?.body);
        expect(replay.headers.get('idempotent-replayed'), write.key).toBe('true');
      }
      expect((await databaseDigest(db, dialect)).tables).toEqual(before.tables);
      await checkMoneyInvariants(api);
      await checkAuditChain(base, tokens.auditor);
      // One apply in a quiet moment, whose plan cannot be stale: its key is replayed after the next crash.
      const plan = await call(base, 'GET', '/api/v1/allocation/plan', { token: tokens.coordinator });
      const quiet: Write = {
        key: `crash-${cycle}-quiet-apply`,
        kind: 'apply',
        path: '/api/v1/allocation/apply',
        body: { planId: plan.json.planId },
        token: tokens.coordinator,
      };
      writes.push(quiet);
      await send(base, quiet);
      expect(quiet.answer?.status, JSON.stringify(quiet)).toBe(200);
    }
    server.kill('SIGTERM');
    await server.exited;
    const counts = { pledge: 0, transition: 0, apply: 0 };
    for (const write of writes) if (write.answer) counts[write.kind]++;
    process.stdout.write(
      `crash safety on ${dialect}: ${cyclesPerDialect} SIGKILLs, ${writes.length} writes (acknowledged: ` +
        `${JSON.stringify(counts)}) in ${Math.round(performance.now() - started)} ms (seed ${seed})\n`,
    );
    expect(counts.pledge).toBeGreaterThan(0);
    expect(counts.apply).toBeGreaterThan(0);
  }, 480_000);
});
