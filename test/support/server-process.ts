import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `purl serve` as a real child process on a free 127.0.0.1 port, for the tests that kill it, stop
 * it or run two of them: test/faults/*.test.ts and test/api/server-hardening.test.ts.
 */

const bin = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  readonly port: number;
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process has ended. */
  readonly exited: Promise<number | string>;
  /** What the process wrote to stdout and stderr (the last 200 kB). */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

const started = new Set<ChildProcess>();

/** SIGKILLs every server this test file started that is still running; call it in afterAll. */
export function killAllServers(): void {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  started.clear();
}

/**
 * Starts `purl serve --port 0`: the system gives it a free port, which it names in the line it
 * prints once listening. (A port found free beforehand could be taken, before the server binds it,
 * by any of the connections other tests open meanwhile.)
 */
export async function startServer(options: {
  databaseUrl: string;
  auditKeyFile: string;
  env?: Record<string, string>;
  logLevel?: string;
}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--log-level', options.logLevel ?? 'warn'],
    {
      cwd: root,
      env: {
        ...process.env,
        PURL_DATABASE_URL: options.databaseUrl,
        PURL_AUDIT_KEY_FILE: options.auditKeyFile,
        NO_COLOR: '1',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  started.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      started.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const kill = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const port = await boundPort(() => output, exited, kill);
  const server: ServerProcess = {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    exited,
    output: () => output,
    kill,
  };
  await waitReady(server);
  return server;
}

/** The port named in `is serving on http://127.0.0.1:<port>/`; fails with the output otherwise. */
async function boundPort(
  output: () => string,
  exited: Promise<unknown>,
  kill: (signal: NodeJS.Signals) => void,
  timeoutMs = 60_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  for (;;) {
    const port = /is serving on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output())?.[1];
    if (port) return Number(port);
    if (ended) throw new Error(`the server exited before it was listening:\n${output()}`);
    if (Date.now() > deadline) {
      kill('SIGKILL');
      throw new Error(`the server was not listening within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SIGTERM, then SIGKILL if the server has not exited within five seconds; resolves once it has. */
export async function stopServer(server: ServerProcess): Promise<void> {
  server.kill('SIGTERM');
  const killer = setTimeout(() => server.kill('SIGKILL'), 5_000);
  await server.exited;
  clearTimeout(killer);
}

/** Polls GET /readyz until it answers 200; fails with the server's output after 60 s or when it exits. */
export async function waitReady(server: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void server.exited.then(() => {
    ended = true;
  });
  while (Date.now() < deadline) {
    if (ended) throw new Error(`the server exited before it was ready:\n${server.output()}`);
    try {
      const response = await fetch(`${server.baseUrl}/readyz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill('SIGKILL');
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${server.output()}`);
}

/** Waits until the server's output matches `pattern`; fails with the output after `timeoutMs`. */
export async function waitForOutput(
  server: ServerProcess,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(server.output())) {
    if (Date.now() > deadline) {
      throw new Error(`the server did not print ${pattern} within ${timeoutMs} ms:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads the JSON it asserts on.
  readonly json: any;
}

/** One HTTP request with a bearer token; the body is sent as JSON. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.headers ?? {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A small seeded generator (mulberry32), for kill moments and workloads that replay. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
