import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { roles } from '../../../src/core/access/roles.ts';
import { ErrorCatalogue, type ErrorCode } from '../../../src/core/errors.ts';
import { httpStatusOf } from '../../../src/server/http-errors.ts';
import { newRequirement, type TestApi, testAccounts, testPassword, usd } from '../api.ts';
import { changedTables, databaseDigest } from './database-digest.ts';
import { type FuzzPools, type FuzzRequest, fuzzRequests, type Identity, operationsOf } from './requests.ts';

/**
 * The contract fuzzer's run: batches of valid-ish requests (which may write) alternate with
 * batches of mutated ones. After each request: no 5xx, and every 4xx is an RFC 9457 problem
 * document whose code is in the catalogue with that status. Around each mutated batch in which no
 * write was accepted, every table's rows are digested: a refused request changes nothing.
 */

export interface FuzzReport {
  requests: number;
  millis: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  mutations: Record<string, number>;
  /** Mutated batches whose digest was compared (no write in them was accepted), and the others. */
  checkedBatches: number;
  uncheckedBatches: number;
  failures: string[];
}

export interface FuzzOptions {
  readonly requests: number;
  readonly seed: number;
  readonly validBatchSize?: number;
  readonly mutatedBatchSize?: number;
  readonly onProgress?: (report: FuzzReport) => void;
}

type Send = (request: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}) => Promise<LightMyRequestResponse>;

function describeRequest(request: FuzzRequest): string {
  const payload = request.payload === undefined ? '' : ` body=${request.payload.slice(0, 200)}`;
  return `${request.method} ${request.url.slice(0, 200)} as ${request.identity} (${request.mutation})${payload}`;
}

/** What is wrong with a response, if anything. */
export function responseProblem(response: LightMyRequestResponse): string | undefined {
  const status = response.statusCode;
  if (status >= 500) return `answered ${status}: ${response.body.slice(0, 300)}`;
  if (status < 400) return undefined;
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return `answered ${status} as ${type}`;
  let problem: { code?: string; status?: number; type?: string; title?: string; detail?: string };
  try {
    problem = response.json();
  } catch {
    return `answered ${status} with a body that is not JSON`;
  }
  if (!problem.code || !(problem.code in ErrorCatalogue)) return `answered unknown code ${problem.code}`;
  if (httpStatusOf[problem.code as ErrorCode] !== status)
    return `answered ${status} with code ${problem.code} (catalogued as ${httpStatusOf[problem.code as ErrorCode]})`;
  if (problem.status !== status || typeof problem.type !== 'string' || typeof problem.title !== 'string')
    return `answered ${status} with an incomplete problem document`;
  return undefined;
}

/** Logs each role in through the API (cookie + CSRF), and issues it a bearer token. */
export async function fuzzIdentities(send: Send): Promise<Identity[]> {
  const identities: Identity[] = [{ name: 'anonymous', headers: {}, kind: 'public' }];
  for (const role of roles) {
    const login = await send({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: testAccounts[role].email, password: testPassword }),
    });
    if (login.statusCode !== 200) throw new Error(`login as ${role}: ${login.statusCode} ${login.body}`);
    const cookie = login.cookies.find((candidate) => candidate.name === 'purl_session');
    const cookieHeaders = { cookie: `purl_session=${cookie?.value}`, 'x-csrf-token': login.json().csrfToken };
    identities.push({ name: `${role}-cookie`, headers: cookieHeaders, kind: 'cookie' });
    const token = await send({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...cookieHeaders, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'fuzz' }),
    });
    if (token.statusCode !== 201) throw new Error(`token for ${role}: ${token.statusCode} ${token.body}`);
    identities.push({
      name: `${role}-bearer`,
      headers: { authorization: `Bearer ${token.json().token}` },
      kind: 'bearer',
    });
  }
  return identities;
}

/** Some objects of every kind, so that generated ids sometimes name real ones. */
export async function seedFuzzData(send: Send, identities: readonly Identity[]): Promise<void> {
  const as = (name: string) => identities.find((identity) => identity.name === name)?.headers ?? {};
  const call = async (who: string, method: string, url: string, body: unknown, expected: number) => {
    const response = await send({
      method,
      url,
      headers: { ...as(who), 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    if (response.statusCode !== expected)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  await call(
    'coordinator-bearer',
    'POST',
    '/api/v1/fx-rates',
    { currency: 'GBP', date: '2026-02-10', perUsd: '0.8', source: 'fuzz' },
    201,
  );
  const lines: { id: string }[] = [];
  for (const title of ['Interceptors', 'Shells']) {
    const created = await call(
      'recipient-bearer',
      'POST',
      '/api/v1/requirements',
      newRequirement({ title }),
      201,
    );
    await call(
      'recipient-bearer',
      'POST',
      `/api/v1/requirements/${created.id}/transitions`,
      { to: 'submitted' },
      200,
    );
    await call(
      'coordinator-bearer',
      'POST',
      `/api/v1/requirements/${created.id}/transitions`,
      { to: 'validated' },
      200,
    );
    lines.push(created);
  }
  await call('recipient-bearer', 'POST', '/api/v1/requirements', newRequirement({ title: 'Radars' }), 201);
  const pkg = await call(
    'coordinator-bearer',
    'POST',
    '/api/v1/packages',
    {
      name: 'Fuzz package',
      target: usd('10000000.00'),
      lines: lines.map((line) => ({ requirementId: line.id, quantity: 2 })),
    },
    201,
  );
  await call(
    'supplier-bearer',
    'POST',
    `/api/v1/packages/${pkg.id}/transitions`,
    {
      to: 'priced',
      lines: pkg.lines.map((line: { id: string }) => ({ lineId: line.id, amount: usd('1000000.00') })),
    },
    200,
  );
  await call('coordinator-bearer', 'POST', `/api/v1/packages/${pkg.id}/transitions`, { to: 'open' }, 200);
  await call(
    'donor-bearer',
    'POST',
    '/api/v1/pledges',
    {
      donor: 'GBR',
      amount: usd('500000.00'),
      announcedOn: '2026-02-10',
      stage: 'committed',
      committedOn: '2026-02-10',
    },
    201,
  );
  await call(
    'donor-bearer',
    'POST',
    '/api/v1/pledges',
    { donor: 'GBR', amount: usd('250000.00'), announcedOn: '2026-02-11' },
    201,
  );
}

async function currentPools(api: TestApi, send: Send, identities: readonly Identity[]): Promise<FuzzPools> {
  const { db } = api.database.context.store;
  const ids = [
    ...(await db.selectFrom('requirement').select('id').execute()),
    ...(await db.selectFrom('pledge').select('id').execute()),
    ...(await db.selectFrom('package').select('id').execute()),
    ...(await db.selectFrom('package_line').select('id').execute()),
    ...(await db.selectFrom('delivery').select('id').execute()),
  ].map((row) => row.id);
  const organizationCodes = (await db.selectFrom('organization').select('code').execute()).map(
    (row) => row.code,
  );
  const categoryCodes = (await db.selectFrom('category').select('code').execute()).map((row) => row.code);
  const coordinator = identities.find((identity) => identity.name === 'coordinator-bearer');
  const plan = await send({
    method: 'GET',
    url: '/api/v1/allocation/plan',
    headers: { ...coordinator?.headers },
  });
  const planIds = plan.statusCode === 200 ? [plan.json().planId as string] : [];
  // The most recent objects are the likeliest to be at the version the generator guesses.
  return { ids: ids.slice(-200), planIds, organizationCodes, categoryCodes };
}

/**
 * Tables a refused request may write by design: a failed login is counted (login_failure) so that
 * guessing passwords is throttled across instances. Every other table must stay as it was.
 */
export const writtenWhenRefused = ['login_failure'];
const digestOptions = { exclude: writtenWhenRefused };

/** A request still unanswered after this long is a failure (a hang), not a slow answer. */
const requestDeadlineMs = 15_000;

function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

export async function runContractFuzz(api: TestApi, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const send: Send = (request) => api.app.inject({ ...request, method: request.method as 'GET' });
  const report: FuzzReport = {
    requests: 0,
    millis: 0,
    statuses: {},
    codes: {},
    mutations: {},
    checkedBatches: 0,
    uncheckedBatches: 0,
    failures: [],
  };
  const fail = (line: string) => {
    if (report.failures.length < 50) report.failures.push(line);
  };
  const documentResponse = await send({ method: 'GET', url: '/api/v1/openapi.json' });
  const operations = operationsOf(documentResponse.json());
  const identities = await fuzzIdentities(send);
  await seedFuzzData(send, identities);
  const { db } = api.database.context.store;
  const { dialect } = api.database;
  const validBatchSize = options.validBatchSize ?? 10;
  const mutatedBatchSize = options.mutatedBatchSize ?? 30;

  async function sendAll(
    requests: readonly FuzzRequest[],
  ): Promise<{ acceptedWrites: number; answered: string[] }> {
    let acceptedWrites = 0;
    // What each request was answered, to name the culprit when a refused batch changed the data.
    const answered: string[] = [];
    for (const request of requests) {
      if (report.requests >= options.requests) break;
      report.requests++;
      count(report.mutations, request.mutation);
      let response: LightMyRequestResponse | 'no answer';
      let timer: NodeJS.Timeout | undefined;
      try {
        response = await Promise.race([
          send(request),
          new Promise<'no answer'>((resolve) => {
            timer = setTimeout(() => resolve('no answer'), requestDeadlineMs);
          }),
        ]);
      } catch (error) {
        fail(`${describeRequest(request)} threw ${(error as Error).message}`);
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (response === 'no answer') {
        fail(`${describeRequest(request)} got no answer within ${requestDeadlineMs} ms`);
        continue;
      }
      count(report.statuses, String(response.statusCode));
      answered.push(`${describeRequest(request)} → ${response.statusCode}`);
      if (response.statusCode >= 400 && response.statusCode < 500) {
        const code = (() => {
          try {
            return String(response.json().code);
          } catch {
            return '(none)';
          }
        })();
        count(report.codes, code);
      }
      if (response.statusCode < 400 && request.method !== 'GET') acceptedWrites++;
      const problem = responseProblem(response);
      if (problem) fail(`${describeRequest(request)} ${problem}`);
    }
    return { acceptedWrites, answered };
  }

  let batch = 0;
  let pools = await currentPools(api, send, identities);
  let arbitraries = {
    valid: fuzzRequests(operations, identities, pools, { mutated: false }),
    mutated: fuzzRequests(operations, identities, pools, { mutated: true }),
  };
  const refreshPools = async () => {
    pools = await currentPools(api, send, identities);
    arbitraries = {
      valid: fuzzRequests(operations, identities, pools, { mutated: false }),
      mutated: fuzzRequests(operations, identities, pools, { mutated: true }),
    };
  };
  let digest = await databaseDigest(db, dialect, digestOptions);
  let previousAnswered: string[] = [];
  while (report.requests < options.requests) {
    const valid = fc.sample(arbitraries.valid, {
      seed: options.seed + batch,
      numRuns: validBatchSize,
    });
    batch++;
    const { acceptedWrites, answered } = await sendAll(valid);
    const afterValid = await databaseDigest(db, dialect, digestOptions);
    if (acceptedWrites > 0) {
      await refreshPools();
    } else if (afterValid.all !== digest.all) {
      fail(
        `valid batch ${batch} (seed ${options.seed + batch - 1}) was refused but changed ${changedTables(digest.tables, afterValid.tables).join(', ')}; its requests: ${answered.join('; ')}; the batch before it: ${previousAnswered.join('; ')}`,
      );
    }
    digest = afterValid;
    if (report.requests >= options.requests) break;
    const mutated = fc.sample(arbitraries.mutated, {
      seed: options.seed + batch,
      numRuns: mutatedBatchSize,
    });
    batch++;
    const outcome = await sendAll(mutated);
    previousAnswered = outcome.answered;
    const after = await databaseDigest(db, dialect, digestOptions);
    if (outcome.acceptedWrites === 0) {
      report.checkedBatches++;
      if (after.all !== digest.all) {
        fail(
          `mutated batch ${batch} (seed ${options.seed + batch - 1}) was refused but changed ${changedTables(digest.tables, after.tables).join(', ')}; its requests: ${outcome.answered.join('; ')}`,
        );
      }
    } else {
      report.uncheckedBatches++;
      await refreshPools();
    }
    digest = after;
    report.millis = Math.round(performance.now() - started);
    options.onProgress?.(report);
  }
  report.millis = Math.round(performance.now() - started);
  return report;
}
