/**
 * The contract fuzzer of test/fuzz/contract-fuzz.test.ts, for longer: 200,000 requests by default
 * on SQLite, generated from GET /api/v1/openapi.json with the same generator and the same checks
 * (no 5xx; every 4xx a catalogued problem document; a refused request changes no table).
 *
 *   node --import tsx bench/fuzz.ts                          # 200,000 requests on SQLite
 *   node --import tsx bench/fuzz.ts 50000 --dialect postgres # needs PURL_TEST_POSTGRES_URL
 *   node --import tsx bench/fuzz.ts --seed 7                 # another seed (default 20260212)
 *
 * Exits 1 when any check failed, printing the first 50 failures with the request that caused each.
 */
import type { DialectName } from '../src/store/dialect/connect.ts';
import { startApi } from '../test/support/api.ts';
import { runContractFuzz } from '../test/support/fuzz/campaign.ts';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const positional = process.argv.slice(2).filter((argument, index, all) => {
  const previous = all[index - 1];
  return !argument.startsWith('--') && previous !== '--dialect' && previous !== '--seed';
});
const requests = Number(positional[0] ?? process.env.PURL_FUZZ_REQUESTS ?? 200_000);
const dialect = (option('dialect') ?? 'sqlite') as DialectName;
const seed = Number(option('seed') ?? process.env.PURL_FUZZ_SEED ?? 20_260_212);

const api = await startApi(dialect);
let lastPrinted = 0;
const report = await runContractFuzz(api, {
  requests,
  seed,
  onProgress: (progress) => {
    if (progress.requests - lastPrinted >= 10_000) {
      lastPrinted = progress.requests;
      process.stdout.write(`fuzz: ${progress.requests} requests, ${Math.round(progress.millis / 1000)} s\n`);
    }
  },
});
await api.close();
const perSecond = Math.round((report.requests / report.millis) * 1000);
process.stdout.write(
  `fuzz on ${dialect}: ${report.requests} requests in ${(report.millis / 1000).toFixed(1)} s ` +
    `(${perSecond}/s, seed ${seed}); ${report.checkedBatches} refused batches digested, ` +
    `${report.uncheckedBatches} with an accepted write\n` +
    `statuses: ${JSON.stringify(report.statuses)}\ncodes: ${JSON.stringify(report.codes)}\n`,
);
for (const failure of report.failures) process.stdout.write(`FAILURE ${failure}\n`);
process.exitCode = report.failures.length ? 1 : 0;
