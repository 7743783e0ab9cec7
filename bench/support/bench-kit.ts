/**
 * What every benchmark shares: the machine it ran on, timing a child process with `/usr/bin/time -v`
 * (wall clock and peak memory), percentiles, a Markdown table, and rewriting its own section of
 * docs/performance.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const performanceDoc = join(repositoryRoot, 'docs', 'performance.md');

export function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
}

/** The machine, read at run time: `nproc`, the CPU model of /proc/cpuinfo, the memory and Node. */
export function machine(): Machine {
  let cores = cpus().length;
  try {
    cores = Number.parseInt(execFileSync('nproc', { encoding: 'utf8' }).trim(), 10);
  } catch {
    // Not Linux: the count Node sees.
  }
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  if (existsSync('/proc/cpuinfo')) {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model?.[1]) cpu = model[1].trim();
  }
  let memoryGiB = 0;
  if (existsSync('/proc/meminfo')) {
    const total = /^MemTotal:\s*(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (total?.[1]) memoryGiB = Math.round(Number.parseInt(total[1], 10) / 1024 / 1024);
  }
  return { cores, cpu, memoryGiB, node: process.version };
}

export function describeMachine(m: Machine = machine()): string {
  return `${m.cores} cores (\`nproc\`), ${m.cpu}, ${m.memoryGiB} GiB RAM, Node ${m.node}`;
}

/**
 * The 1-minute load average (other work on the machine): with 2 cores, anything above 2 means the
 * measurements shared the CPUs, which is why each benchmark reports ratios to a baseline run beside it.
 */
export function loadAverage(): string {
  return loadavg()[0]?.toFixed(1) ?? '?';
}

export interface TimedRun {
  readonly stdout: string;
  readonly wallSeconds: number;
  readonly maxRssMiB: number;
}

function wallOf(text: string): number {
  // "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:07.12" (or 1:02:03)
  const match = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no wall clock time in /usr/bin/time output:\n${text}`);
  return match[1].split(':').reduce((total, part) => total * 60 + Number.parseFloat(part), 0);
}

/**
 * Runs a command under `/usr/bin/time -v`, capturing its standard output, and returns its wall
 * clock time and its peak memory ("Maximum resident set size"). A non-zero exit is an error.
 */
export async function timeCommand(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<TimedRun> {
  if (!existsSync('/usr/bin/time')) {
    throw new Error('/usr/bin/time is missing: apt-get install -y time (Debian package "time")');
  }
  const folder = mkdtempSync(join(tmpdir(), 'purl-bench-time-'));
  const report = join(folder, 'time.txt');
  try {
    const child = spawn('/usr/bin/time', ['-v', '-o', report, command, ...args], {
      cwd: repositoryRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} exited ${code}:\n${Buffer.concat(err).toString('utf8').slice(-4000)}`,
      );
    }
    const timing = readFileSync(report, 'utf8');
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(timing);
    if (!rss?.[1]) throw new Error(`no maximum resident set size in /usr/bin/time output:\n${timing}`);
    return {
      stdout: Buffer.concat(out).toString('utf8'),
      wallSeconds: wallOf(timing),
      maxRssMiB: Number.parseInt(rss[1], 10) / 1024,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The value at quantile `q` (0..1) of `values`, nearest-rank. */
export function percentile(values: readonly number[], q: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** A Markdown table, its columns aligned as the formatter (biome) writes them; cells are pre-formatted. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (text: string) => [...text].length;
  const trimmed = rows.map((row) => row.map((cell) => cell.trim()));
  const widths = header.map((cell, column) =>
    Math.max(3, width(cell), ...trimmed.map((row) => width(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - width(cell))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...trimmed.map(line)].join('\n');
}

/** The same table as plain aligned text, for the terminal. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function intro(): string {
  return `# Performance

The benchmarks live in \`bench/\`; each is a plain TypeScript script that prints a result table and
rewrites its own section of this file. Run one with \`node --import tsx bench/<name>.ts\` (each
section gives its command and options), or all of them in turn with \`npm run bench\`.

Figures are wall-clock times and peak resident memory on the machine named in each section; they
are most meaningful as **ratios against a named baseline measured in the same run** (ledger-cli
for the ledger balances, \`GET /healthz\` on the same server for the pledge writes, a bare Fastify
hello-world for the read path, node:crypto SHA-256 of the same bytes for the audit verification), since the
absolute numbers move with the machine and with whatever else it is doing (each section gives the
load average during its run).

Machine of the latest run: ${describeMachine()}.
`;
}

/**
 * Replaces (or appends) the section \`## title\` of docs/performance.md, up to the next \`## \`
 * heading (the convention every benchmark here follows), and rewrites the intro above the first
 * section with the machine read now.
 */
export function updatePerformanceDoc(title: string, markdown: string): void {
  const heading = `## ${title}`;
  const section = `${heading}\n\n${markdown.trim()}\n`;
  const text = existsSync(performanceDoc) ? readFileSync(performanceDoc, 'utf8') : '';
  const firstSection = text.startsWith('## ') ? 0 : text.indexOf('\n## ');
  let sections = firstSection < 0 ? '' : text.slice(firstSection).replace(/^\n/, '');
  const at = sections.startsWith(heading) ? 0 : sections.indexOf(`\n${heading}`) + 1;
  if (at > 0 || sections.startsWith(heading)) {
    const next = sections.indexOf('\n## ', at + heading.length);
    sections = `${sections.slice(0, at)}${section}${next < 0 ? '' : sections.slice(next)}`;
  } else sections = `${sections.trimEnd()}${sections.trim() ? '\n\n' : ''}${section}`;
  writeFileSync(performanceDoc, `${intro()}\n${sections.trimEnd()}\n`);
}

/** Reads `--name value` and `--name=value` arguments; `--flag` alone is "true". */
export function argumentsOf(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  const found = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (!argument.startsWith('--')) continue;
    const [name = '', inline] = argument.slice(2).split('=', 2);
    const next = argv[index + 1];
    if (inline !== undefined) found.set(name, inline);
    else if (next !== undefined && !next.startsWith('--')) {
      found.set(name, next);
      index += 1;
    } else found.set(name, 'true');
  }
  return found;
}

export function integerArgument(argumentsFound: Map<string, string>, name: string, fallback: number): number {
  const text = argumentsFound.get(name);
  if (text === undefined) return fallback;
  const value = Number.parseInt(text.replace(/_/g, ''), 10);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? seconds.toFixed(3) : seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1);
}

/**
 * The peak resident memory so far ("VmHWM") of a running process, read from /proc: how the
 * benchmarks measure a server they started, just before stopping it. NaN where /proc is missing.
 */
export function peakRssMiBOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const peak = /^VmHWM:\s*(\d+) kB$/m.exec(status);
    return peak?.[1] ? Number.parseInt(peak[1], 10) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** One line of the summary table at the top of docs/performance.md. */
export interface SummaryRow {
  /** The section of docs/performance.md the figure comes from. */
  readonly benchmark: string;
  readonly command: string;
  readonly figure: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly goal: string;
  /** 'yes', 'no', or '—' when the figure has no goal. */
  readonly met: string;
  readonly peakRss: string;
}

export const summaryHeading = 'Summary';
const summaryHeader = [
  'benchmark',
  'command',
  'figure',
  'baseline',
  'ratio',
  'goal',
  'met?',
  'peak RSS',
  'date',
];

function summaryRowsOf(section: string): string[][] {
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| benchmark '))
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

/**
 * Replaces the summary rows of `benchmark` (all of them) in the table at the top of
 * docs/performance.md with `rows`, keeping the other benchmarks' rows: each benchmark run with
 * --write updates its own lines, and `npm run bench` refreshes them all.
 */
export function updateSummary(benchmark: string, rows: readonly SummaryRow[]): void {
  const text = existsSync(performanceDoc) ? readFileSync(performanceDoc, 'utf8') : '# Performance\n';
  const heading = `## ${summaryHeading}`;
  const start = text.indexOf(`\n${heading}\n`);
  const next = start < 0 ? -1 : text.indexOf('\n## ', start + heading.length + 1);
  const existing = start < 0 ? '' : text.slice(start, next < 0 ? undefined : next);
  const date = new Date().toISOString().slice(0, 10);
  const kept = summaryRowsOf(existing).filter((cells) => cells[0] !== benchmark);
  const added = rows.map((row) => [
    row.benchmark,
    row.command,
    row.figure,
    row.baseline,
    row.ratio,
    row.goal,
    row.met,
    row.peakRss,
    date,
  ]);
  const order = (cells: readonly string[]) => cells[0] ?? '';
  const all = [...kept, ...added].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const section = `${heading}

One line per figure that has a baseline or a goal, from each benchmark's latest run with \`--write\`
(\`npm run bench\` runs them all); the sections below give the details. Ratios compare a figure with
its baseline measured in the same run on the same machine. "Peak RSS" is the largest process the
benchmark measured (a server, or the process that did the work).

${markdownTable(summaryHeader, all)}
`;
  let updated: string;
  if (start >= 0) {
    updated = `${text.slice(0, start)}\n${section}${next < 0 ? '' : text.slice(next)}`;
  } else {
    const firstSection = text.indexOf('\n## ');
    updated =
      firstSection < 0
        ? `${text.trimEnd()}\n\n${section}`
        : `${text.slice(0, firstSection)}\n${section}${text.slice(firstSection)}`;
  }
  writeFileSync(performanceDoc, `${updated.trimEnd()}\n`);
}
