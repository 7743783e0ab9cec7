/**
 * `npm run bench`: runs every benchmark of bench/ in turn (each `bench/<name>.ts` script: not this
 * one, and not a module that exports helpers for the others), with its defaults and `--write`, each
 * in its own process under `/usr/bin/time -v`. Each prints its table, rewrites its section of
 * docs/performance.md and its lines of the summary table at the top. A benchmark that is expected
 * but missing is reported; one that fails is reported, the others still run, and the exit status is 1.
 * At the end, a table of the runs (status, wall time, peak memory of the largest process) goes into
 * docs/performance.md too.
 *
 *   npm run bench                          # all of them
 *   npm run bench -- read-path audit-verify   # only these
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeMachine,
  formatSeconds,
  log,
  markdownTable,
  repositoryRoot,
  textTable,
  updatePerformanceDoc,
} from './support/bench-kit.ts';

/** The benchmarks the issues ask for: each is reported, present or not. */
const expected = [
  'allocation-engine',
  'audit-verify',
  'dashboard-render',
  'fuzz',
  'import-export',
  'ledger-balances',
  'pledge-writes',
  'read-path',
];

/** Arguments besides `--write`, for the benchmarks that take positional ones. */
const argumentsOf: Readonly<Record<string, readonly string[]>> = {
  'allocation-engine': ['100000', '10000'],
};

const folder = join(repositoryRoot, 'bench');
const present = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && name !== 'run-all.ts')
  .filter((name) => !/^export /m.test(readFileSync(join(folder, name), 'utf8')))
  .map((name) => name.slice(0, -'.ts'.length));
const chosen = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const names = [...new Set([...expected, ...present])]
  .filter((name) => !chosen.length || chosen.includes(name))
  .sort();

interface Outcome {
  readonly name: string;
  readonly status: string;
  readonly wallSeconds?: number;
  readonly maxRssMiB?: number;
}

let current: ChildProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (current?.pid) process.kill(-current.pid, 'SIGTERM');
    process.exit(130);
  });
}

/** Runs one benchmark under /usr/bin/time -v, its output going straight to this terminal. */
async function run(name: string): Promise<Outcome> {
  const script = join('bench', `${name}.ts`);
  if (!existsSync(join(repositoryRoot, script))) return { name, status: 'missing (no bench file yet)' };
  const timing = mkdtempSync(join(tmpdir(), 'purl-bench-all-'));
  const report = join(timing, 'time.txt');
  const args = [process.execPath, '--import', 'tsx', script, ...(argumentsOf[name] ?? []), '--write'];
  const timed = existsSync('/usr/bin/time');
  try {
    const started = Date.now();
    // Its own process group, so that stopping this run stops the benchmark's servers and children too.
    const child = spawn(
      timed ? '/usr/bin/time' : (args[0] as string),
      timed ? ['-v', '-o', report, ...args] : args.slice(1),
      {
        cwd: repositoryRoot,
        stdio: 'inherit',
        detached: true,
      },
    );
    current = child;
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    current = undefined;
    const text = timed && existsSync(report) ? readFileSync(report, 'utf8') : '';
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1];
    return {
      name,
      status: code === 0 ? 'ok' : `failed (exit ${code})`,
      wallSeconds: (Date.now() - started) / 1000,
      ...(rss ? { maxRssMiB: Number.parseInt(rss, 10) / 1024 } : {}),
    };
  } finally {
    rmSync(timing, { recursive: true, force: true });
  }
}

const outcomes: Outcome[] = [];
for (const name of names) {
  log(`running bench/${name}.ts`);
  const outcome = await run(name);
  outcomes.push(outcome);
  log(
    `bench/${name}.ts: ${outcome.status}${outcome.wallSeconds ? ` in ${Math.round(outcome.wallSeconds)} s` : ''}`,
  );
}

const header = ['benchmark', 'status', 'wall (s)', 'peak RSS, largest process (MiB)'];
const rows = outcomes.map((outcome) => [
  `bench/${outcome.name}.ts`,
  outcome.status,
  outcome.wallSeconds === undefined ? '—' : formatSeconds(outcome.wallSeconds),
  outcome.maxRssMiB === undefined ? '—' : outcome.maxRssMiB.toFixed(0),
]);
process.stdout.write(`\n${textTable(header, rows)}\n`);
if (!chosen.length) {
  updatePerformanceDoc(
    'Runs of npm run bench',
    `The latest \`npm run bench\`: ${new Date().toISOString().slice(0, 10)}, ${describeMachine()}. Each
benchmark ran in a process of its own under \`/usr/bin/time -v\`, with \`--write\`; its wall time
includes building its data. The peak RSS is the largest process of the benchmark's tree (a server,
a measured child, or the benchmark itself), as \`wait4\` reports it; each section gives the peak of
every measured process.

${markdownTable(header, rows)}
`,
  );
}
const missing = outcomes.filter((outcome) => outcome.status.startsWith('missing'));
const failed = outcomes.filter((outcome) => outcome.status.startsWith('failed'));
log(
  `${outcomes.length - missing.length - failed.length} of ${outcomes.length} benchmarks ran` +
    (missing.length ? `; missing: ${missing.map((o) => o.name).join(', ')}` : '') +
    (failed.length ? `; FAILED: ${failed.map((o) => o.name).join(', ')}` : ''),
);
// A missing benchmark is reported, not fatal; a failed one fails the run (after the others ran).
process.exit(failed.length ? 1 : 0);
