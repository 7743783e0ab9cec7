/**
 * Balances of every account over a ledger of 1,000,000 postings (issue 3), in one run:
 *
 *   (i)   PURL Desk's balance report (`accountBalances`, the database's SUM per account and currency),
 *   (ii)  its full recomputation from the postings (`verifyLedger`: every entry re-balanced, every
 *         balance re-summed posting by posting and compared with the report),
 *   (iii) `ledger bal` (Debian's ledger-cli) and
 *   (iv)  `hledger bal`, both on the journal PURL Desk exports of the same ledger.
 *
 * Every measurement runs in its own process under `/usr/bin/time -v`, so each peak memory figure is
 * that of the measurement alone; the four sets of figures must be identical, account by account and
 * currency by currency, or the run fails. Ratios are against ledger-cli.
 *
 *   node --import tsx bench/ledger-balances.ts                     # 1,000,000 postings
 *   node --import tsx bench/ledger-balances.ts --postings 20000    # a quick run (docs left alone)
 *   options: --runs N (median of N runs each, default 1), --keep (keep the temporary folder), --doc
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Insertable } from 'kysely';
import { createContext, sha256Hex, systemActor } from '../src/app/context.ts';
import { accountBalances, exportLedger, verifyLedger } from '../src/app/ledger.ts';
import { Account } from '../src/core/ledger/account.ts';
import { type ConversionRecord, JournalEntry, type Posting } from '../src/core/ledger/journal-entry.ts';
import type { AccountBalance } from '../src/core/ledger/ledger.ts';
import { Currency, type CurrencyCode } from '../src/core/money/currency.ts';
import { Money } from '../src/core/money/money.ts';
import { Rate } from '../src/core/money/rate.ts';
import type { Database } from '../src/store/database.ts';
import { connect } from '../src/store/dialect/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { Store } from '../src/store/unit-of-work.ts';
import {
  type BalanceFigures,
  differences,
  parseBalanceReport,
  purlFigures,
} from '../test/support/plain-text-accounting.ts';
import {
  argumentsOf,
  describeMachine,
  formatSeconds,
  integerArgument,
  loadAverage,
  log,
  markdownTable,
  median,
  repositoryRoot,
  type TimedRun,
  textTable,
  timeCommand,
  updatePerformanceDoc,
  updateSummary,
} from './support/bench-kit.ts';

const benchFile = 'bench/ledger-balances.ts';
const defaultPostings = 1_000_000;

// ---------------------------------------------------------------------------------------------
// The ledger: ~30 donors, each pledging in its own currency (and some in USD), through the stages.

/** Donor → the currency it pledges in (euro-area donors in EUR; JPY, KRW and ISK have no decimals). */
const donors: Readonly<Record<string, string>> = {
  GBR: 'GBP',
  DEU: 'EUR',
  NOR: 'NOK',
  NLD: 'EUR',
  SWE: 'SEK',
  DNK: 'DKK',
  FIN: 'EUR',
  CAN: 'CAD',
  USA: 'USD',
  POL: 'PLN',
  CZE: 'CZK',
  EST: 'EUR',
  LVA: 'EUR',
  LTU: 'EUR',
  BEL: 'EUR',
  LUX: 'EUR',
  FRA: 'EUR',
  ITA: 'EUR',
  ESP: 'EUR',
  PRT: 'EUR',
  AUT: 'EUR',
  IRL: 'EUR',
  ISL: 'ISK',
  JPN: 'JPY',
  AUS: 'AUD',
  NZL: 'NZD',
  CHE: 'CHF',
  KOR: 'KRW',
  SVK: 'EUR',
  SVN: 'EUR',
};

/** Units of the currency per 1 USD, as PURL Desk stores rates (the ECB's cross rates, rounded). */
const perUsd: Readonly<Record<string, string>> = {
  GBP: '0.7677219863',
  EUR: '0.9230201218',
  NOK: '10.5504891',
  SEK: '10.3120',
  DKK: '6.8841',
  CAD: '1.3702',
  PLN: '3.9507',
  CZK: '23.118',
  ISK: '137.94',
  JPY: '150.21',
  AUD: '1.5321',
  NZD: '1.6822',
  CHF: '0.86624',
  KRW: '1380.55',
};

/** A small seeded generator (mulberry32): the same ledger on every run. */
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

const startDay = Date.UTC(2025, 7, 1);
function dayDate(day: number): string {
  return new Date(startDay + day * 86_400_000).toISOString().slice(0, 10);
}

interface Planned {
  readonly day: number;
  readonly order: number;
  readonly id: string;
  readonly entry: JournalEntry;
}

/**
 * Plans pledges until there are at least `postings` postings, then keeps the earliest entries
 * (a prefix in journal order, so no stage comes before the one it follows) with exactly
 * `postings` postings.
 */
function planLedger(postings: number): Planned[] {
  const next = random(20260212);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  let ids = 0;
  const uuid = () => {
    // Unique by construction (a counter), random-looking like the ids the app gives.
    ids += 1;
    const hex = createHash('sha256').update(`purl-bench-${ids}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const codes = Object.keys(donors);
  const planned: Planned[] = [];
  let order = 0;
  let total = 0;
  let ref = 0;
  const pledgesPerDay = Math.max(1, Math.ceil(postings / 5.9 / 365));
  const add = (day: number, entry: JournalEntry, id = uuid()) => {
    planned.push({ day, order: order++, id, entry });
    total += entry.postings.length;
    return id;
  };
  while (total < postings) {
    ref += 1;
    const day = Math.floor(ref / pledgesPerDay);
    const donor = pick(codes);
    const currency = Currency.parse(next() < 0.2 ? 'USD' : (donors[donor] ?? 'USD'));
    const scale = Currency.scale(currency);
    // 10 thousand to 500 million in major units, to the minor unit.
    const major = BigInt(10_000 + Math.floor(next() * 500_000_000));
    const minor = major * 10n ** BigInt(scale) + BigInt(Math.floor(next() * 10 ** scale));
    const amount = Money.of(minor, currency);
    const pledgeId = uuid();
    const stageEntry = (
      stage: 'announced' | 'committed' | 'paid',
      from: Posting['account'],
      date: number,
    ) => {
      const lines: Posting[] = [
        { account: Account.pledges(stage, donor), amount },
        { account: from, amount: Money.negate(amount) },
      ];
      if (stage === 'paid') {
        lines.push(
          { account: Account.pool, amount },
          { account: Account.contributions(donor), amount: Money.negate(amount) },
        );
      }
      return JournalEntry.create({
        date: dayDate(date),
        description: `${donor} pledge P-${ref} ${stage}`,
        postings: lines,
        tags: { pledge: pledgeId, stage },
      });
    };
    const announcement = stageEntry('announced', Account.donor(donor), day);
    const announcementId = add(day, announcement);
    if (next() < 0.02) {
      const reversal = JournalEntry.reverse(announcement, announcementId, {
        date: dayDate(day + 3),
        description: `Reversal of ${donor} pledge P-${ref} announced (misreported)`,
      });
      add(day + 3, reversal);
      continue;
    }
    if (next() < 0.3) continue;
    const committedOn = day + 5 + Math.floor(next() * 55);
    add(committedOn, stageEntry('committed', Account.pledges('announced', donor), committedOn));
    if (next() < 0.3) continue;
    const paidOn = committedOn + 5 + Math.floor(next() * 55);
    add(paidOn, stageEntry('paid', Account.pledges('committed', donor), paidOn));
    if (currency === 'USD' || next() < 0.7) continue;
    const convertedOn = paidOn + 1 + Math.floor(next() * 9);
    const usd = Currency.parse('USD');
    add(
      convertedOn,
      JournalEntry.conversion({
        date: dayDate(convertedOn),
        description: `Convert ${donor} contribution P-${ref} to USD`,
        from: { account: Account.pool, amount },
        to: { account: Account.pool, currency: usd },
        rate: Rate.parse(perUsd[currency] ?? '1', {
          base: usd,
          quote: currency,
          date: dayDate(paidOn),
          source: 'ECB (USD cross)',
        }),
        rounding: 'half-even',
      }),
    );
  }
  planned.sort((a, b) => a.day - b.day || a.order - b.order);
  // Keep a prefix in journal order with exactly `postings` postings (entries have 2 or 4).
  let kept = 0;
  let count = 0;
  while (kept < planned.length && count + (planned[kept]?.entry.postings.length ?? 0) <= postings) {
    count += planned[kept]?.entry.postings.length ?? 0;
    kept += 1;
  }
  const prefix = planned.slice(0, kept);
  if (count < postings) {
    const last = prefix[prefix.length - 1]?.day ?? 0;
    const amount = Money.parse('1.00', 'GBP');
    prefix.push({
      day: last,
      order: order++,
      id: uuid(),
      entry: JournalEntry.create({
        date: dayDate(last),
        description: 'GBR pledge P-0 announced',
        postings: [
          { account: Account.pledges('announced', 'GBR'), amount },
          { account: Account.donor('GBR'), amount: Money.negate(amount) },
        ],
        tags: { pledge: uuid(), stage: 'announced' },
      }),
    });
    count += 2;
  }
  if (count !== postings) throw new Error(`planned ${count} postings, not ${postings} (give an even count)`);
  return prefix;
}

/** The conversion as the ledger repository stores it (JSON with Money as decimal strings). */
function conversionJson(record: ConversionRecord): string {
  return JSON.stringify({ ...record, from: Money.toJson(record.from), to: Money.toJson(record.to) });
}

/** Writes the planned entries with batched inserts of the rows `LedgerRepository.insert` writes. */
async function writeLedger(url: string, planned: readonly Planned[]): Promise<void> {
  const connection = connect(url);
  await migrateToLatest(connection.db);
  const recordedAt = '2026-11-26T12:00:00.000Z';
  const entriesPerTransaction = 5_000;
  const entriesPerStatement = 400;
  const postingsPerStatement = 1_000;
  for (let start = 0; start < planned.length; start += entriesPerTransaction) {
    const batch = planned.slice(start, start + entriesPerTransaction);
    await connection.db.transaction().execute(async (trx) => {
      const entryRows: Insertable<Database['journal_entry']>[] = [];
      const postingRows: Insertable<Database['posting']>[] = [];
      batch.forEach(({ id, entry }, index) => {
        entryRows.push({
          id,
          seq: start + index + 1,
          entry_date: entry.date,
          description: entry.description,
          tags: JSON.stringify(entry.tags),
          reverses: entry.reverses,
          conversion: entry.conversion === null ? null : conversionJson(entry.conversion),
          recorded_at: recordedAt,
        });
        entry.postings.forEach((posting, line) => {
          postingRows.push({
            entry_id: id,
            line: line + 1,
            account: posting.account,
            amount_minor: posting.amount.minor,
            currency: posting.amount.currency,
            entry_date: entry.date,
          });
        });
      });
      for (let at = 0; at < entryRows.length; at += entriesPerStatement) {
        await trx
          .insertInto('journal_entry')
          .values(entryRows.slice(at, at + entriesPerStatement))
          .execute();
      }
      for (let at = 0; at < postingRows.length; at += postingsPerStatement) {
        await trx
          .insertInto('posting')
          .values(postingRows.slice(at, at + postingsPerStatement))
          .execute();
      }
    });
  }
  await connection.db.destroy();
}

// ---------------------------------------------------------------------------------------------
// The measurements that run in a child process of their own (`--child <what>`).

function openContext(url: string) {
  const connection = connect(url);
  return createContext(new Store(connection.db, connection.dialect, sha256Hex));
}

function toItems(balances: readonly AccountBalance[]) {
  return balances.map(({ account, balance }) => ({ account, balance: Money.toJson(balance) }));
}

async function child(what: string, url: string, out: string): Promise<void> {
  const context = openContext(url);
  try {
    if (what === 'report') {
      const started = performance.now();
      const balances = await accountBalances(context, systemActor);
      const seconds = (performance.now() - started) / 1000;
      writeFileSync(out, JSON.stringify({ seconds, items: toItems(balances) }));
    } else if (what === 'recompute') {
      // The recomputation verifyLedger runs: every posting streamed from the store in journal
      // order and summed here on bigints, independently of the database's own SUM.
      const started = performance.now();
      const sums = new Map<string, { account: string; minor: bigint; currency: CurrencyCode }>();
      let postings = 0;
      for await (const posting of context.store.read.ledger.postings()) {
        postings += 1;
        const key = `${posting.account} ${posting.amount.currency}`;
        const sum = sums.get(key) ?? {
          account: posting.account,
          minor: 0n,
          currency: posting.amount.currency,
        };
        sum.minor += posting.amount.minor;
        sums.set(key, sum);
      }
      const items = [...sums.values()].map((sum) => ({
        account: sum.account,
        balance: Money.toJson(Money.of(sum.minor, sum.currency)),
      }));
      const seconds = (performance.now() - started) / 1000;
      writeFileSync(out, JSON.stringify({ seconds, postings, items }));
    } else if (what === 'verify') {
      const started = performance.now();
      const verdict = await verifyLedger(context, systemActor);
      const seconds = (performance.now() - started) / 1000;
      writeFileSync(out, JSON.stringify({ seconds, verdict }));
    } else if (what === 'export') {
      const started = performance.now();
      const exported = exportLedger(context, systemActor, 'hledger');
      await pipeline(Readable.from(exported), createWriteStream(out));
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(JSON.stringify({ seconds }));
    } else throw new Error(`unknown child measurement '${what}'`);
  } finally {
    await context.store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run.

interface Measured {
  readonly name: string;
  readonly command: string;
  /** The time of the measurement itself; for a PURL child, timed inside it (no Node start-up). */
  readonly seconds: number;
  readonly process: TimedRun;
}

interface Row extends Measured {
  readonly figures: BalanceFigures;
}

async function purlChild(what: 'report' | 'recompute' | 'verify', url: string, folder: string, runs: number) {
  const out = join(folder, `${what}.json`);
  const results: { seconds: number; run: TimedRun; json: Record<string, unknown> }[] = [];
  for (let run = 0; run < runs; run += 1) {
    const timed = await timeCommand(process.execPath, [
      '--import',
      'tsx',
      benchFile,
      '--child',
      what,
      '--database',
      url,
      '--out',
      out,
    ]);
    const json = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    results.push({ seconds: json.seconds as number, run: timed, json });
  }
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor((results.length - 1) / 2)] ?? (results[0] as (typeof results)[number]);
}

async function toolRun(command: string, args: readonly string[], runs: number): Promise<TimedRun> {
  const results: TimedRun[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await timeCommand(command, args));
  const wall = median(results.map((result) => result.wallSeconds));
  return results.find((result) => result.wallSeconds === wall) ?? (results[0] as TimedRun);
}

async function main(): Promise<void> {
  const argumentsFound = argumentsOf();
  const childWhat = argumentsFound.get('child');
  if (childWhat) {
    await child(childWhat, argumentsFound.get('database') ?? '', argumentsFound.get('out') ?? '');
    return;
  }
  const postings = integerArgument(argumentsFound, 'postings', defaultPostings);
  const runs = integerArgument(argumentsFound, 'runs', 1);
  const writeDoc = argumentsFound.has('doc') || postings >= defaultPostings;
  const folder = mkdtempSync(join(tmpdir(), 'purl-bench-ledger-'));
  const url = `sqlite:${join(folder, 'purl.db')}`;
  const journal = join(folder, 'exported.journal');
  try {
    log(`planning a ledger of ${postings.toLocaleString('en')} postings`);
    let started = performance.now();
    const loadAtStart = loadAverage();
    const planned = planLedger(postings);
    log(`writing ${planned.length.toLocaleString('en')} entries to ${url}`);
    await writeLedger(url, planned);
    const accounts = new Set(planned.flatMap(({ entry }) => entry.postings.map((p) => p.account))).size;
    log(`written in ${formatSeconds((performance.now() - started) / 1000)} s (${accounts} accounts)`);

    log('exporting the hledger journal (purl, in a child process)');
    started = performance.now();
    const exportRun = await timeCommand(process.execPath, [
      '--import',
      'tsx',
      benchFile,
      '--child',
      'export',
      '--database',
      url,
      '--out',
      journal,
    ]);
    const exportSeconds = (JSON.parse(exportRun.stdout) as { seconds: number }).seconds;
    const journalMiB = statSync(journal).size / 1024 / 1024;
    log(`exported ${journalMiB.toFixed(0)} MiB in ${formatSeconds(exportSeconds)} s`);

    log('(i) PURL Desk balance report');
    const report = await purlChild('report', url, folder, runs);
    log('(ii) PURL Desk full recomputation of the balances from the postings');
    const recompute = await purlChild('recompute', url, folder, runs);
    if (recompute.json.postings !== postings) throw new Error('the recomputation did not read every posting');
    log('(ii+) PURL Desk verifyLedger (the recomputation, plus every entry re-balanced, compared)');
    const verify = await purlChild('verify', url, folder, runs);
    const verdict = verify.json.verdict as { ok: boolean; postings: number; entries: number };
    if (!verdict.ok || verdict.postings !== postings) {
      throw new Error(`verifyLedger did not verify the ledger: ${JSON.stringify(verdict).slice(0, 500)}`);
    }
    const ledgerArgs = ['-f', journal, 'balance', '--flat', '--empty', '--no-total'];
    log('(iii) ledger bal');
    const ledgerCli = await toolRun('ledger', ledgerArgs, runs);
    log('(iv) hledger bal (the slowest; it may take a minute and several GB)');
    const hledger = await toolRun('hledger', ledgerArgs, 1);

    const rows: Row[] = [
      {
        name: '(i) PURL Desk balance report',
        command: 'accountBalances() → LedgerRepository.balances() (SQLite SUM … GROUP BY)',
        seconds: report.seconds,
        process: report.run,
        figures: purlFigures(report.json.items as never),
      },
      {
        name: '(ii) PURL Desk full recomputation',
        command: 'every posting streamed (LedgerRepository.postings()) and summed per account × currency',
        seconds: recompute.seconds,
        process: recompute.run,
        figures: purlFigures(recompute.json.items as never),
      },
      {
        name: '(iii) ledger-cli (baseline)',
        command: `ledger -f exported.journal ${ledgerArgs.slice(2).join(' ')} (Debian ledger 3.3)`,
        seconds: ledgerCli.wallSeconds,
        process: ledgerCli,
        figures: parseBalanceReport(ledgerCli.stdout),
      },
      {
        name: '(iv) hledger',
        command: `hledger -f exported.journal ${ledgerArgs.slice(2).join(' ')} (Debian hledger 1.25)`,
        seconds: hledger.wallSeconds,
        process: hledger,
        figures: parseBalanceReport(hledger.stdout),
      },
    ];

    // Identical figures, or no result at all.
    const reference = rows[0]?.figures as BalanceFigures;
    const mismatches = rows
      .slice(1)
      .flatMap((row) => differences(reference, row.figures, ['PURL Desk report', row.name]));
    const pairs = reference.amounts.size;
    if (mismatches.length) {
      throw new Error(`the figures differ:\n${mismatches.slice(0, 40).join('\n')}`);
    }

    const baseline = ledgerCli.wallSeconds;
    const postingsPerSecond = (seconds: number) => Math.round(postings / seconds).toLocaleString('en');
    const measured: Measured[] = [
      ...rows.slice(0, 2),
      {
        name: '(ii+) PURL Desk verifyLedger',
        command: `verifyLedger(): (ii), plus all ${verdict.entries.toLocaleString('en')} entries re-balanced, compared with (i)`,
        seconds: verify.seconds,
        process: verify.run,
      },
      ...rows.slice(2),
      {
        name: 'export (purl, for iii and iv)',
        command: `exportLedger(…, 'hledger') streamed to a file (purl export ledger): ${postingsPerSecond(exportSeconds)} postings/s`,
        seconds: exportSeconds,
        process: exportRun,
      },
    ];
    const ratio = (seconds: number) => {
      const value = baseline / seconds;
      return value >= 1 ? `${value.toFixed(1)}× faster` : `${(1 / value).toFixed(2)}× slower`;
    };
    const header = ['measurement', 'wall (s)', 'vs ledger-cli', 'process wall (s)', 'peak RSS (MiB)'];
    const cells = measured.map((row) => [
      row.name,
      formatSeconds(row.seconds),
      row.name.startsWith('(iii)') ? 'baseline' : row.name.startsWith('export') ? '—' : ratio(row.seconds),
      formatSeconds(row.process.wallSeconds),
      row.process.maxRssMiB.toFixed(0),
    ]);
    process.stdout.write(
      `\nLedger balances: ${postings.toLocaleString('en')} postings, ${planned.length.toLocaleString('en')} entries, ` +
        `${reference.accounts.size} accounts, ${pairs} non-zero account × currency balances, ` +
        `journal ${journalMiB.toFixed(0)} MiB\n${textTable(header, cells)}\n` +
        `Figures identical across (i)-(iv): yes (${pairs} balances compared each way); verifyLedger: ok.\n`,
    );

    const reportRatio = baseline / report.seconds;
    const recomputeRatio = baseline / recompute.seconds;
    const verifyRatio = baseline / verify.seconds;
    const currencies = new Set([...reference.amounts.keys()].map((key) => key.split(' ')[1])).size;
    const markdown = `Command: \`node --import tsx ${benchFile}\` (\`--postings N\`, default 1,000,000;
\`--runs N\` for the median of N runs). Latest run: ${new Date().toISOString().slice(0, 10)},
${postings.toLocaleString('en')} postings, ${describeMachine()}; runs per measurement: ${runs}
(hledger: 1); load average ${loadAtStart} at the start of the run, ${loadAverage()} at the end.

A fresh SQLite database of ${planned.length.toLocaleString('en')} journal entries
(${postings.toLocaleString('en')} postings; ${Object.keys(donors).length} donors, each pledge through
announced → committed → paid, some reversed, some paid money converted to USD;
${reference.accounts.size} accounts, ${pairs} non-zero balances in ${currencies} currencies) is
written through the store, then exported with \`exportLedger\` as an hledger journal
(${journalMiB.toFixed(0)} MiB). Each measurement runs in a process of its own under
\`/usr/bin/time -v\`; peak RSS is that process's "Maximum resident set size". For PURL Desk the wall
time is the operation timed inside the process (the database file is warm in the page cache, as
the journal is for the two tools); "process wall" adds Node's start-up. Baseline: ledger-cli.

${markdownTable(
  ['measurement', 'what runs', 'wall (s)', 'vs ledger-cli', 'process wall (s)', 'peak RSS (MiB)'],
  measured.map((row, index) => [
    row.name,
    row.command.replace(/\|/g, '\\|'),
    cells[index]?.[1] ?? '',
    cells[index]?.[2] ?? '',
    cells[index]?.[3] ?? '',
    cells[index]?.[4] ?? '',
  ]),
)}

**Figures identical** across (i)-(iv): every account and every currency (${reference.accounts.size}
accounts, ${pairs} non-zero balances) compared exactly, as decimal strings, each way; verifyLedger
found every entry balanced and every recomputed balance equal to the report.

Goals of issue 3: the report at least 10× faster than ledger-cli: **${reportRatio.toFixed(1)}×**
(${reportRatio >= 10 ? 'met' : 'not met'}); the full recomputation no slower than ledger-cli:
**${recomputeRatio.toFixed(2)}×** (${recomputeRatio >= 1 ? 'met' : 'not met'}; verifyLedger, which
also re-balances every entry: ${verifyRatio.toFixed(2)}×).
`;
    if (writeDoc) {
      updatePerformanceDoc('Ledger balances', markdown);
      const command = `\`node --import tsx ${benchFile}\``;
      const against = `ledger-cli balance: ${formatSeconds(baseline)} s`;
      updateSummary('Ledger balances', [
        {
          benchmark: 'Ledger balances',
          command,
          figure: `balance report, ${postings.toLocaleString('en')} postings: ${formatSeconds(report.seconds)} s`,
          baseline: against,
          ratio: ratio(report.seconds),
          goal: '≥ 10× faster',
          met: reportRatio >= 10 ? 'yes' : 'no',
          peakRss: `${report.run.maxRssMiB.toFixed(0)} MiB`,
        },
        {
          benchmark: 'Ledger balances',
          command,
          figure: `full recomputation from the postings: ${formatSeconds(recompute.seconds)} s`,
          baseline: against,
          ratio: ratio(recompute.seconds),
          goal: 'no slower',
          met: recomputeRatio >= 1 ? 'yes' : 'no',
          peakRss: `${recompute.run.maxRssMiB.toFixed(0)} MiB`,
        },
        {
          benchmark: 'Ledger export (hledger journal)',
          command,
          figure: `${postings.toLocaleString('en')} postings in ${formatSeconds(exportSeconds)} s: ${postingsPerSecond(exportSeconds)} postings/s`,
          baseline: `ledger-cli reading the journal: ${formatSeconds(baseline)} s`,
          ratio: ratio(exportSeconds),
          goal: '—',
          met: '—',
          peakRss: `${exportRun.maxRssMiB.toFixed(0)} MiB`,
        },
      ]);
      log('docs/performance.md updated');
    } else log('a quick run: docs/performance.md left alone (pass --doc to write it)');
  } finally {
    if (argumentsFound.has('keep')) log(`kept ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}

process.chdir(repositoryRoot);
await main();
