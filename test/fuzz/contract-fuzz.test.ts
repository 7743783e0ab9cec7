import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { runContractFuzz } from '../support/fuzz/campaign.ts';

/**
 * Requests generated from GET /api/v1/openapi.json, valid-ish and mutated (wrong types, missing
 * and extra fields, huge strings, deep nesting, odd Unicode, invalid JSON, wrong content types,
 * huge numbers, bad path, query and header values, broken credentials), as every role by cookie
 * and by bearer token and anonymously. No 5xx; every 4xx a problem document with a catalogued
 * code; a refused request changes no row of any table. bench/fuzz.ts runs the same for longer.
 */
const requestsPerDialect: Record<string, number> = {
  sqlite: Number(process.env.PURL_FUZZ_REQUESTS ?? 20_000),
  postgres: Number(process.env.PURL_FUZZ_REQUESTS ?? 5_000),
};
const seed = Number(process.env.PURL_FUZZ_SEED ?? 20_260_212);

describe.each(dialects)('the contract fuzzer on %s', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => api?.close());

  test('answers every generated request without a 5xx, with catalogued problems, and refused requests write nothing', async () => {
    const requests = requestsPerDialect[dialect] ?? 5_000;
    const report = await runContractFuzz(api, { requests, seed });
    process.stdout.write(
      `contract fuzz on ${dialect}: ${report.requests} requests in ${report.millis} ms (seed ${seed}); ` +
        `statuses ${JSON.stringify(report.statuses)}; ${report.checkedBatches} refused batches digested, ` +
        `${report.uncheckedBatches} with an accepted write\n`,
    );
    expect(report.failures).toEqual([]);
    expect(report.requests).toBe(requests);
    // The digest check must have bitten: most mutated batches are refused outright.
    expect(report.checkedBatches).toBeGreaterThan(report.uncheckedBatches);
    expect(Object.keys(report.codes).length).toBeGreaterThan(8);
  }, 600_000);
});
