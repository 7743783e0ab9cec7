/**
 * `npm test`: provisions what the suite needs on this machine, runs every check, and ends with the
 * plain line `N passed, N failed, N skipped`.
 *
 * 1. Debian packages the tests use (chromium, postgresql, hledger, ledger, beancount): installed with apt-get
 *    when missing and we are root; otherwise it stops at once and prints the exact command.
 * 2. PostgreSQL: PURL_TEST_POSTGRES_URL when set (CI starts the Debian cluster); otherwise a
 *    throwaway cluster in a temporary folder on a free port, stopped and deleted afterwards.
 * 3. typecheck, lint, web build, vitest (unit, store and API tests on both dialects), Playwright.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Counts, playwrightCounts, vitestCounts } from './test-report.ts';

const debianPackages: Record<string, string> = {
  chromium: '/usr/bin/chromium',
  'fonts-liberation': '/usr/share/fonts/truetype/liberation',
  postgresql: '/usr/lib/postgresql',
  hledger: '/usr/bin/hledger',
  ledger: '/usr/bin/ledger',
  beancount: '/usr/bin/bean-check',
};

function log(line: string): void {
  process.stdout.write(`test: ${line}\n`);
}

function ensureDebianPackages(): void {
  const missing = Object.entries(debianPackages)
    .filter(([, path]) => !existsSync(path))
    .map(([name]) => name);
  if (!missing.length) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      `test: missing Debian packages: ${missing.join(', ')}\nRun as root:\n  ${command}\n`,
    );
    process.exit(1);
  }
  log(`installing ${missing.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}

async function freePort(): Promise<number> {
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

interface Postgres {
  readonly url: string;
  stop(): void;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL server under /usr/lib/postgresql');
  return join(root, versions[0], 'bin');
}

/** A throwaway cluster owned by the postgres user (PostgreSQL refuses to run as root). */
async function startThrowawayPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'purl-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (args: string[]) => {
    const isRoot = process.getuid?.() === 0;
    const [command, ...rest] = isRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args;
    const result = spawnSync(command as string, rest, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  };
  log(`starting a throwaway PostgreSQL on 127.0.0.1:${port}`);
  asPostgres([join(bin, 'initdb'), '-D', data, '-U', 'purl', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  asPostgres([
    join(bin, 'pg_ctl'),
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  return {
    url: `postgres://purl@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asPostgres([join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  log(label);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  ensureDebianPackages();
  const output = '.test-output';
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  let postgres: Postgres | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!env.PURL_TEST_POSTGRES_URL) {
    postgres = await startThrowawayPostgres();
    env.PURL_TEST_POSTGRES_URL = postgres.url;
  }
  const cleanup = () => postgres?.stop();
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const totals: Counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const add = (counts: Counts) => {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    totals.failures.push(...counts.failures);
  };
  try {
    const npx = 'npx';
    for (const [label, args] of [
      ['typecheck (tsc --noEmit)', ['tsc', '--noEmit', '-p', '.']],
      ['lint and format (biome check)', ['biome', 'check', '.']],
      ['build the web app (vite build)', ['vite', 'build', '--logLevel', 'warn']],
    ] as const) {
      const code = await run(label, npx, [...args], env);
      add(
        code === 0
          ? { passed: 1, failed: 0, skipped: 0, failures: [] }
          : { passed: 0, failed: 1, skipped: 0, failures: [`${label}: exit ${code}`] },
      );
    }
    const vitestExit = await run(
      'unit, store and API tests (vitest, SQLite and PostgreSQL)',
      npx,
      ['vitest', 'run'],
      env,
    );
    add(vitestCounts(join(output, 'vitest.json'), vitestExit));
    if (existsSync('playwright.config.ts')) {
      const playwrightExit = await run(
        'browser journeys (Playwright in Debian Chromium)',
        npx,
        ['playwright', 'test'],
        {
          ...env,
          PLAYWRIGHT_JSON_OUTPUT_NAME: join(output, 'playwright.json'),
        },
      );
      const counts = playwrightCounts(join(output, 'playwright.json'));
      if (playwrightExit !== 0 && counts.failed === 0) {
        counts.failed = 1;
        counts.failures.push(`playwright exited ${playwrightExit} with every test passed`);
      }
      add(counts);
    }
  } finally {
    cleanup();
  }
  // Repeated last, so that the tail of a long log names what failed.
  if (totals.failures.length) {
    const shown = totals.failures.slice(0, 30);
    process.stdout.write(`\nfailures (${totals.failures.length}):\n${shown.map((f) => `  ${f}\n`).join('')}`);
    if (totals.failures.length > shown.length) {
      process.stdout.write(`  ... and ${totals.failures.length - shown.length} more\n`);
    }
  }
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  return totals.failed === 0 && totals.passed > 0 ? 0 : 1;
}

process.exitCode = await main();
