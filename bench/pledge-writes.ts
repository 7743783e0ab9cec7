/**
 * Recording pledges with their stage transitions through the HTTP API on SQLite, 16 concurrent
 * clients (issue 3): pledges per second and p50/p99 latency, against `GET /healthz` on the same
 * server in the same run as the baseline.
 *
 * The real server runs as a child process (`purl serve`) on a fresh SQLite database in a temporary
 * folder, on a free port of 127.0.0.1; a coordinator and the donors are set up with the `purl` CLI.
 * Each client logs nothing and retries nothing: it records a pledge (POST /api/v1/pledges, with an
 * Idempotency-Key), then commits and pays it (two POST …/transitions), until the bounded number
 * of pledges is reached. The ledger is then checked (every pledge paid, the pool holding exactly
 * the sum of the amounts per currency), and the server is stopped.
 *
 *   node --import tsx bench/pledge-writes.ts                   # 2,000 pledges, 16 clients
 *   node --import tsx bench/pledge-writes.ts --pledges 200     # a quick run (docs left alone)
 *   options: --clients N (default 16), --doc (write docs/performance.md on a quick run too)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  argumentsOf,
  describeMachine,
  formatSeconds,
  integerArgument,
  loadAverage,
  log,
  machine,
  markdownTable,
  peakRssMiBOf,
  percentile,
  repositoryRoot,
  textTable,
  updatePerformanceDoc,
  updateSummary,
} from './support/bench-kit.ts';

const defaultPledges = 2_000;
const purlBin = join(repositoryRoot, 'bin', 'purl.js');
const requestTimeoutMs = 30_000;
const coordinatorEmail = 'bench@nato.test';
const coordinatorPassword = 'bench coordinator passphrase 2026';

/** Donor → currency; the rates below are the ECB's per EUR on 2 March 2026 (a made-up day). */
const donors = { USA: 'USD', GBR: 'GBP', DEU: 'EUR', NOR: 'NOK', POL: 'PLN' } as const;
const ecbFile = 'Date,USD,GBP,NOK,PLN,\n2026-03-02,1.0834,0.83175,11.4320,4.2810,\n';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function purl(args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [purlBin, ...args], {
      cwd: repositoryRoot,
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`purl ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

interface Session {
  readonly base: string;
  readonly headers: Record<string, string>;
}

// node:http with keep-alive, one socket per client: the lightest client Node has, so that on a
// 2-core machine the clients take as little CPU from the server as they can (fetch costs ~3× more).
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function call(
  session: Session,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; headers: IncomingHttpHeaders }> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${session.base}${path}`,
      {
        method,
        agent,
        timeout: requestTimeoutMs,
        headers: {
          ...session.headers,
          ...(payload === undefined
            ? {}
            : {
                'content-type': typeof body === 'string' ? 'text/csv' : 'application/json',
                'content-length': String(Buffer.byteLength(payload)),
              }),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            json: text ? (JSON.parse(text) as unknown) : null,
            headers: response.headers,
          });
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`${method} ${path}: no answer in ${requestTimeoutMs} ms`)),
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Runs `work(i)` for i in [0, total) on `clients` concurrent loops; returns the wall clock seconds. */
async function drive(
  clients: number,
  total: number,
  work: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let index = next++; index < total; index = next++) await work(index);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** The amount of pledge `index` in its currency's minor units, and as the decimal string sent. */
function amountOf(index: number): { currency: string; donor: string; minor: bigint; text: string } {
  const codes = Object.keys(donors) as (keyof typeof donors)[];
  const donor = codes[index % codes.length] as keyof typeof donors;
  const minor = 1_000_000_00n + BigInt(index) * 1_01n + BigInt(index % 97);
  const text = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
  return { currency: donors[donor], donor, minor, text };
}

async function main(): Promise<void> {
  const argumentsFound = argumentsOf();
  const pledges = integerArgument(argumentsFound, 'pledges', defaultPledges);
  const clients = integerArgument(argumentsFound, 'clients', 16);
  const writeDoc = argumentsFound.has('doc') || pledges >= defaultPledges;
  const folder = mkdtempSync(join(tmpdir(), 'purl-bench-pledges-'));
  const env = {
    ...process.env,
    PURL_DATABASE_URL: `sqlite:${join(folder, 'purl.db')}`,
    PURL_AUDIT_KEY_FILE: join(folder, 'audit-signing-key.pem'),
    NO_COLOR: '1',
  };
  let server: ChildProcess | undefined;
  try {
    log('setting up a coordinator and the donors with the purl CLI');
    await purl(['org', 'add', '--code', 'NATO', '--name', 'NATO', '--kind', 'coordinator'], env);
    await purl(
      [
        'user',
        'add',
        '--email',
        coordinatorEmail,
        '--org',
        'NATO',
        '--role',
        'coordinator',
        '--password-stdin',
      ],
      env,
      coordinatorPassword,
    );
    for (const code of Object.keys(donors)) {
      await purl(['org', 'add', '--code', code, '--name', `Donor ${code}`, '--kind', 'donor'], env);
    }

    const port = await freePort();
    log(`starting purl serve on 127.0.0.1:${port}`);
    server = spawn(
      process.execPath,
      [purlBin, 'serve', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'],
      { cwd: repositoryRoot, env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const base = `http://127.0.0.1:${port}`;
    const anonymous: Session = { base, headers: {} };
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
      try {
        if ((await call(anonymous, 'GET', '/readyz')).status === 200) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error('the server did not become ready within 90 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const login = await call(anonymous, 'POST', '/api/v1/session', {
      email: coordinatorEmail,
      password: coordinatorPassword,
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.json)}`);
    const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const { csrfToken } = login.json as { csrfToken: string };
    const session: Session = { base, headers: { cookie, 'x-csrf-token': csrfToken } };
    const imported = await call(session, 'POST', '/api/v1/fx-rates/import', ecbFile);
    if (imported.status !== 200) throw new Error(`FX import failed: ${JSON.stringify(imported.json)}`);

    const latencies = {
      health: [] as number[],
      create: [] as number[],
      commit: [] as number[],
      pay: [] as number[],
    };
    const expectedPool = new Map<string, bigint>();
    const timed = async (into: number[], request: () => Promise<{ status: number; json: unknown }>) => {
      const started = performance.now();
      const outcome = await request();
      into.push(performance.now() - started);
      return outcome;
    };
    const lifecycle = async (index: number, record: boolean) => {
      const amount = amountOf(index);
      const sink = (values: number[]) => (record ? values : []);
      const created = await timed(sink(latencies.create), () =>
        call(
          session,
          'POST',
          '/api/v1/pledges',
          {
            donor: amount.donor,
            amount: { amount: amount.text, currency: amount.currency },
            announcedOn: '2026-03-02',
            forum: 'UDCG',
            source: `https://example.org/purl/announcement/${index}`,
          },
          { 'idempotency-key': `bench-${index}-create` },
        ),
      );
      if (created.status !== 201) throw new Error(`pledge ${index}: ${JSON.stringify(created.json)}`);
      const id = (created.json as { id: string }).id;
      for (const [to, on, values] of [
        ['committed', '2026-03-03', latencies.commit],
        ['paid', '2026-03-04', latencies.pay],
      ] as const) {
        const moved = await timed(sink(values), () =>
          call(
            session,
            'POST',
            `/api/v1/pledges/${id}/transitions`,
            { to, on },
            {
              'idempotency-key': `bench-${index}-${to}`,
            },
          ),
        );
        if (moved.status !== 200) throw new Error(`pledge ${index} → ${to}: ${JSON.stringify(moved.json)}`);
      }
      expectedPool.set(amount.currency, (expectedPool.get(amount.currency) ?? 0n) + amount.minor);
    };
    const health = async () => {
      const outcome = await timed(latencies.health, () => call(anonymous, 'GET', '/healthz'));
      if (outcome.status !== 200) throw new Error(`/healthz answered ${outcome.status}`);
    };

    log('warming up');
    const warmUp = clients * 2;
    await drive(clients, warmUp, (index) => lifecycle(pledges + index, false));
    await drive(clients, 500, async () => {
      await call(anonymous, 'GET', '/healthz');
    });

    const loadAtStart = loadAverage();
    const healthRequests = pledges * 3;
    log(`baseline: ${healthRequests} × GET /healthz, ${clients} clients`);
    const healthSeconds = await drive(clients, healthRequests, health);
    log(`${pledges} pledges × (record, commit, pay), ${clients} clients`);
    const pledgeSeconds = await drive(clients, pledges, (index) => lifecycle(index, true));

    // The ledger must hold exactly what was written.
    const accounts = await call(session, 'GET', '/api/v1/ledger/accounts');
    const items = (
      accounts.json as { items: { account: string; balance: { amount: string; currency: string } }[] }
    ).items;
    for (const [currency, minor] of expectedPool) {
      const pool = items.find((item) => item.account === 'assets:pool' && item.balance.currency === currency);
      const held = pool ? BigInt(pool.balance.amount.replace('.', '')) : 0n;
      if (held !== minor)
        throw new Error(`assets:pool ${currency} holds ${pool?.balance.amount}, not ${minor}`);
    }

    const serverPeakRss = peakRssMiBOf(server.pid);
    const writes = [...latencies.create, ...latencies.commit, ...latencies.pay];
    const healthRate = healthRequests / healthSeconds;
    const writeRate = writes.length / pledgeSeconds;
    const row = (name: string, values: number[], seconds: number) => {
      const rate = values.length / seconds;
      return [
        name,
        String(values.length),
        formatSeconds(seconds),
        rate.toFixed(0),
        percentile(values, 0.5).toFixed(1),
        percentile(values, 0.99).toFixed(1),
        `${(rate / healthRate).toFixed(3)}`,
      ];
    };
    const header = ['requests', 'count', 'wall (s)', 'per second', 'p50 (ms)', 'p99 (ms)', 'vs /healthz'];
    const rows = [
      row('GET /healthz (baseline)', latencies.health, healthSeconds),
      row('all pledge writes', writes, pledgeSeconds),
      row('  POST /api/v1/pledges', latencies.create, pledgeSeconds),
      row('  POST …/transitions committed', latencies.commit, pledgeSeconds),
      row('  POST …/transitions paid', latencies.pay, pledgeSeconds),
    ];
    const pledgesPerSecond = pledges / pledgeSeconds;
    process.stdout.write(
      `\nPledge writes: ${pledges} pledges × 3 requests, ${clients} clients, SQLite\n${textTable(header, rows)}\n` +
        `Pledges per second (recorded, committed and paid): ${pledgesPerSecond.toFixed(1)}; ` +
        `write requests per second ${writeRate.toFixed(0)} = ${((writeRate / healthRate) * 100).toFixed(1)}% of /healthz.\n` +
        `Ledger checked: every pledge paid, assets:pool holds exactly the sum recorded in each currency.\n`,
    );

    const markdown = `Command: \`node --import tsx bench/pledge-writes.ts\` (\`--pledges N\`, default 2,000;
\`--clients N\`, default 16). Latest run: ${new Date().toISOString().slice(0, 10)}, SQLite,
${describeMachine()}; load average ${loadAtStart} at the start of the measurements,
${loadAverage()} at the end.

The real server (\`purl serve --log-level warn\`) on a fresh SQLite database, 127.0.0.1, set up
with \`purl org add\` / \`purl user add\`; ${clients} concurrent clients (node:http, keep-alive), one
coordinator session. Each of ${pledges.toLocaleString('en')} pledges is recorded
(\`POST /api/v1/pledges\`) then committed and paid (\`POST /api/v1/pledges/:id/transitions\`), each
request with an \`Idempotency-Key\`, in ${Object.keys(donors).length} currencies (USD and four that
need the day's FX rate): every write is one transaction with its pledge row, its journal entry, its
idempotency record, its audit event and a signed audit checkpoint. Baseline: \`GET /healthz\` on the
same server, same clients, ${healthRequests.toLocaleString('en')} requests, just before. Clients
and server share the machine's ${machine().cores} cores. After the run the ledger
is checked: \`assets:pool\` holds exactly the sum of the amounts in each currency.

${markdownTable(header, rows)}

**${pledgesPerSecond.toFixed(1)} pledges per second** through all three stages
(${writeRate.toFixed(0)} write requests per second, ${((writeRate / healthRate) * 100).toFixed(1)}% of
the \`/healthz\` rate); write latency p50 ${percentile(writes, 0.5).toFixed(1)} ms,
p99 ${percentile(writes, 0.99).toFixed(1)} ms.
`;
    if (writeDoc) {
      updatePerformanceDoc('Pledge writes', markdown);
      updateSummary('Pledge writes', [
        {
          benchmark: 'Pledge writes',
          command: '`node --import tsx bench/pledge-writes.ts`',
          figure: `${pledgesPerSecond.toFixed(1)} pledges/s (${writeRate.toFixed(0)} writes/s), p99 ${percentile(writes, 0.99).toFixed(1)} ms`,
          baseline: `GET /healthz: ${healthRate.toFixed(0)} req/s`,
          ratio: `${((writeRate / healthRate) * 100).toFixed(1)}% (write requests)`,
          goal: '—',
          met: '—',
          peakRss: `${serverPeakRss.toFixed(0)} MiB (server)`,
        },
      ]);
      log('docs/performance.md updated');
    } else log('a quick run: docs/performance.md left alone (pass --doc to write it)');
  } finally {
    agent.destroy();
    if (server) await stopServer(server);
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
