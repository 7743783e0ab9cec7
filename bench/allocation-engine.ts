/**
 * Allocation engine benchmark.
 *   node --import tsx bench/allocation-engine.ts [lines=100000] [pledges=10000]
 * 1. Time and peak memory of the engine on a large instance (30 categories, overlapping earmarks).
 * 2. The engine against the sequential-LP oracle (HiGHS: maximise line 1, fix it, line 2, ...) on
 *    the largest instance the oracle finishes within a minute: the speed ratio, identical results.
 * Prints a Markdown section; with --write it replaces that section of docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import highsLoader from 'highs';
import { AllocationEngine, type EngineLine, type EnginePledge } from '../src/core/allocation/index.ts';
import { Earmark } from '../src/core/pledges/earmark.ts';
import { replaceSection } from './performance-doc.ts';
import { markdownTable, updateSummary } from './support/bench-kit.ts';

/** A seeded generator (mulberry32): the same instance on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function instance(lineCount: number, pledgeCount: number, seed: number) {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const categories = Array.from({ length: 30 }, (_, i) => `cat-${String(i).padStart(2, '0')}`);
  const packageCount = Math.max(1, Math.round(lineCount / 500));
  const combos = Array.from({ length: 40 }, () => {
    const size = 2 + pick(3);
    return [...new Set(Array.from({ length: size }, () => categories[pick(30)] as string))];
  });
  const lines: EngineLine[] = Array.from({ length: lineCount }, (_, i) => ({
    id: `L${i}`,
    packageId: `PKG-${i % packageCount}`,
    packageRank: i % packageCount,
    lineRank: Math.floor(i / packageCount),
    category: categories[pick(30)] as string,
    need: BigInt(1 + pick(5_000_000)) * 100n,
  }));
  const needTotal = lines.reduce((sum, l) => sum + l.need, 0n);
  const meanPledge = (needTotal * 7n) / 10n / BigInt(Math.max(1, pledgeCount));
  const pledges: EnginePledge[] = Array.from({ length: pledgeCount }, (_, j) => {
    const roll = next();
    const earmark =
      roll < 0.4
        ? Earmark.none
        : roll < 0.75
          ? Earmark.fromJson({ categories: [categories[pick(30)] as string] })
          : roll < 0.9
            ? Earmark.fromJson({ categories: combos[pick(40)] as string[] })
            : Earmark.fromJson({ packageId: `PKG-${pick(packageCount)}` });
    const available = (meanPledge * BigInt(50 + pick(100))) / 100n;
    return { id: `P${j}`, earmark, available, order: String(j).padStart(6, '0') };
  });
  return { lines, pledges };
}

function oracle(
  highs: Awaited<ReturnType<typeof highsLoader>>,
  lines: EngineLine[],
  pledges: EnginePledge[],
): bigint[] {
  const sorted = [...lines].sort((a, b) => a.packageRank - b.packageRank || a.lineRank - b.lineRank);
  const variables: { pledge: number; line: number; name: string }[] = [];
  pledges.forEach((p, j) => {
    sorted.forEach((l, i) => {
      if (Earmark.allows(p.earmark, { packageId: l.packageId, category: l.category })) {
        variables.push({ pledge: j, line: i, name: `x${j}_${i}` });
      }
    });
  });
  const byLine = sorted.map((_, i) => variables.filter((v) => v.line === i).map((v) => v.name));
  const byPledge = pledges.map((_, j) => variables.filter((v) => v.pledge === j).map((v) => v.name));
  const fixed: bigint[] = [];
  for (let k = 0; k < sorted.length; k += 1) {
    if (!byLine[k]?.length) {
      fixed.push(0n);
      continue;
    }
    const rows: string[] = [];
    byPledge.forEach((vars, j) => {
      if (vars.length) rows.push(` p${j}: ${vars.join(' + ')} <= ${pledges[j]?.available}`);
    });
    byLine.forEach((vars, i) => {
      if (vars.length) rows.push(` l${i}: ${vars.join(' + ')} <= ${sorted[i]?.need}`);
    });
    fixed.forEach((value, i) => {
      if (byLine[i]?.length) rows.push(` f${i}: ${byLine[i]?.join(' + ')} >= ${value}`);
    });
    const solution = highs.solve(
      `Maximize\n obj: ${(byLine[k] ?? []).join(' + ')}\nSubject To\n${rows.join('\n')}\nEnd\n`,
    );
    if (solution.Status !== 'Optimal') throw new Error(`oracle: ${solution.Status}`);
    fixed.push(BigInt(Math.round(solution.ObjectiveValue)));
  }
  return fixed;
}

if (process.argv[2] === '--child') {
  // Runs in a child process so that its peak memory is the engine's alone.
  const lineCount = Number.parseInt(process.argv[3] ?? '100000', 10);
  const pledgeCount = Number.parseInt(process.argv[4] ?? '10000', 10);
  const { lines, pledges } = instance(lineCount, pledgeCount, 42);
  const rssBefore = process.resourceUsage().maxRSS;
  const times: number[] = [];
  let plan = AllocationEngine.plan(lines, pledges);
  for (let run = 0; run < 5; run += 1) {
    const start = performance.now();
    plan = AllocationEngine.plan(lines, pledges);
    times.push(performance.now() - start);
  }
  const funded = plan.lines.reduce((sum, l) => sum + l.funded, 0n);
  process.stdout.write(
    JSON.stringify({
      times,
      rssBeforeKb: rssBefore,
      rssPeakKb: process.resourceUsage().maxRSS,
      allocations: plan.allocations.length,
      shortfalls: plan.shortfalls.length,
      funded: funded.toString(),
    }),
  );
  process.exit(0);
}

const lineCount = Number.parseInt(process.argv[2] ?? '100000', 10);
const pledgeCount = Number.parseInt(process.argv[3] ?? '10000', 10);
const large = JSON.parse(
  execFileSync(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', String(lineCount), String(pledgeCount)],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  ),
);
const sortedTimes = [...large.times].sort((a: number, b: number) => a - b);
const median = sortedTimes[Math.floor(sortedTimes.length / 2)] as number;

const highs = await highsLoader();
let oracleResult:
  | { lines: number; pledges: number; oracleMs: number; engineMs: number; identical: boolean }
  | undefined;
for (let size = 10; size <= 2000; size = Math.round(size * 1.5)) {
  const { lines, pledges } = instance(size, Math.max(2, Math.round(size / 4)), 7 + size);
  const oracleStart = performance.now();
  const expected = oracle(highs, lines, pledges);
  const oracleMs = performance.now() - oracleStart;
  const engineStart = performance.now();
  let plan = AllocationEngine.plan(lines, pledges);
  for (let run = 0; run < 9; run += 1) plan = AllocationEngine.plan(lines, pledges);
  const engineMs = (performance.now() - engineStart) / 10;
  const identical = plan.lines.every((l, i) => l.funded === expected[i]);
  if (!identical) throw new Error(`engine and oracle differ on ${size} lines`);
  oracleResult = { lines: size, pledges: pledges.length, oracleMs, engineMs, identical };
  process.stderr.write(`oracle: ${size} lines in ${oracleMs.toFixed(0)} ms\n`);
  if (oracleMs * 1.5 * 1.5 * 2 > 60_000) break; // the next size would not finish within a minute
}

const machine = `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const rows: string[][] = [
  [
    `engine, ${lineCount.toLocaleString('en')} lines × ${pledgeCount.toLocaleString('en')} pledges, 30 categories, overlapping earmarks (median of 5)`,
    `${median.toFixed(0)} ms`,
    'goal 1,000 ms',
    `${(median / 1000).toFixed(2)}× the goal (${median < 1000 ? 'met' : 'missed'})`,
  ],
  [
    "peak memory of the engine's process (max RSS)",
    `${(large.rssPeakKb / 1024).toFixed(0)} MiB`,
    `${(large.rssBeforeKb / 1024).toFixed(0)} MiB with the input built, before the engine ran`,
    `+${((large.rssPeakKb - large.rssBeforeKb) / 1024).toFixed(0)} MiB`,
  ],
  oracleResult
    ? [
        `sequential LPs (HiGHS) vs engine, ${oracleResult.lines} lines × ${oracleResult.pledges} pledges`,
        `oracle ${oracleResult.oracleMs.toFixed(0)} ms`,
        `engine ${oracleResult.engineMs.toFixed(2)} ms`,
        `**${(oracleResult.oracleMs / oracleResult.engineMs).toFixed(0)}× faster**, identical funding of every line`,
      ]
    : ['oracle', 'not run', '', ''],
];
// Padded as the formatter (biome check) wants Markdown tables.
const section = `Command: \`node --import tsx bench/allocation-engine.ts ${lineCount} ${pledgeCount}\` on ${machine}, ${new Date().toISOString().slice(0, 10)}.

${markdownTable(['measurement', 'figure', 'baseline', 'ratio'], rows)}

The large instance: ${large.allocations.toLocaleString('en')} allocations, ${large.shortfalls.toLocaleString('en')} short lines explained. Runs: ${large.times.map((t: number) => t.toFixed(0)).join(', ')} ms.`;
process.stdout.write(`${section}\n`);
if (process.argv.includes('--write')) {
  replaceSection('Allocation engine', section);
  const command = `\`node --import tsx bench/allocation-engine.ts ${lineCount} ${pledgeCount} --write\``;
  updateSummary('Allocation engine', [
    {
      benchmark: 'Allocation engine',
      command,
      figure: `engine, ${lineCount.toLocaleString('en')} lines × ${pledgeCount.toLocaleString('en')} pledges: ${median.toFixed(0)} ms`,
      baseline: 'goal 1,000 ms',
      ratio: `${(median / 1000).toFixed(2)}× the goal`,
      goal: '≤ 1,000 ms',
      met: median < 1000 ? 'yes' : 'no',
      peakRss: `${(large.rssPeakKb / 1024).toFixed(0)} MiB`,
    },
    ...(oracleResult
      ? [
          {
            benchmark: 'Allocation engine',
            command,
            figure: `engine, ${oracleResult.lines} lines: ${oracleResult.engineMs.toFixed(2)} ms, identical funding`,
            baseline: `sequential LPs (HiGHS): ${oracleResult.oracleMs.toFixed(0)} ms`,
            ratio: `${(oracleResult.oracleMs / oracleResult.engineMs).toFixed(0)}× faster`,
            goal: '—',
            met: '—',
            peakRss: '—',
          },
        ]
      : []),
  ]);
}
