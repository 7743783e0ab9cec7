import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import type { PackageJson, ProposalJson } from '../../src/contract/index.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { Limits } from '../../src/core/limits.ts';
import { type Client, type TestApi, testPassword, usd } from './api.ts';

/** Logs `email` in on `app` and returns a client carrying its session cookie and CSRF token. */
export async function logIn(app: FastifyInstance, email: string, role: Role = 'donor'): Promise<Client> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password: testPassword },
  });
  if (response.statusCode !== 200) throw new Error(`login of ${email} failed: ${response.body}`);
  const cookie = response.cookies.find((candidate) => candidate.name === 'purl_session');
  const headers = { cookie: `purl_session=${cookie?.value}`, 'x-csrf-token': response.json().csrfToken };
  return {
    role,
    request: (method, url, options = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        ...(options.body === undefined ? {} : { payload: options.body as object }),
        headers: { ...headers, ...(options.headers ?? {}) },
      }),
  };
}

/** Adds a donor organisation; with `withUser`, also its donor user, logged in. */
export async function addDonor(api: TestApi, code: string, withUser: true): Promise<Client>;
export async function addDonor(api: TestApi, code: string, withUser?: false): Promise<undefined>;
export async function addDonor(api: TestApi, code: string, withUser = false): Promise<Client | undefined> {
  const { context } = api.database;
  await addOrganization(context, systemActor, { code, name: `Donor ${code}`, kind: 'donor' });
  if (!withUser) return undefined;
  const email = `donor@${code.toLowerCase()}.test`;
  await addUser(context, systemActor, {
    email,
    organizationCode: code,
    role: 'donor',
    password: testPassword,
  });
  return logIn(api.app, email);
}

/**
 * The ECB's daily file (`eurofxref.csv`) as the ECB writes it: a space after every comma, a long
 * English date, and a trailing comma (with its space) at the end of each line.
 */
export function ecbDailyFile(longDate: string, perEur: Readonly<Record<string, string>>): string {
  const codes = Object.keys(perEur);
  return `Date, ${codes.join(', ')}, \n${longDate}, ${codes.map((code) => perEur[code]).join(', ')}, \n`;
}

/**
 * The ECB's historical file (`eurofxref-hist.csv`): no spaces, ISO dates newest first, `N/A`
 * where a currency was not quoted, and a trailing comma on every line.
 */
export function ecbHistoricalFile(
  codes: readonly string[],
  rows: readonly (readonly [date: string, values: readonly string[]])[],
): string {
  const lines = [`Date,${codes.join(',')},`];
  for (const [date, values] of rows) lines.push(`${date},${values.join(',')},`);
  return `${lines.join('\n')}\n`;
}

export function importEcb(client: Client, csv: string): Promise<LightMyRequestResponse> {
  return client.request('POST', '/api/v1/fx-rates/import', {
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });
}

/** Every item of a paged list, following `nextCursor`. */
export async function everyItem<T>(
  client: Client,
  url: string,
  limit: number = Limits.pageSizeMax,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const page = await client.request(
      'GET',
      `${url}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json() as { items: T[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return items;
}

export interface EntryJson {
  id: string;
  seq: number;
  date: string;
  description: string;
  postings: { account: string; amount: { amount: string; currency: string } }[];
  tags: Record<string, string>;
}

/** The journal entries written for one pledge, in journal order. */
export async function entriesOfPledge(client: Client, pledgeId: string): Promise<EntryJson[]> {
  const entries = await everyItem<EntryJson>(client, '/api/v1/ledger/entries');
  return entries.filter((entry) => entry.tags.pledge === pledgeId);
}

/** Every balance, keyed `account currency`, as its decimal string (zero balances included). */
export async function balancesOf(client: Client): Promise<Map<string, string>> {
  const response = await client.request('GET', '/api/v1/ledger/accounts');
  expect(response.statusCode, response.body).toBe(200);
  const items = response.json().items as { account: string; balance: { amount: string; currency: string } }[];
  return new Map(items.map((item) => [`${item.account} ${item.balance.currency}`, item.balance.amount]));
}

/** A decimal string as an integer of units of 10^-scale: "12.50" → [1250n, 2]. */
function digitsOf(decimal: string): [bigint, number] {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!match) throw new Error(`not a decimal: ${decimal}`);
  const [, sign, integer = '', fraction = ''] = match;
  const value = BigInt(integer + fraction);
  return [sign === '-' ? -value : value, fraction.length];
}

function write(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const integer = digits.slice(0, digits.length - places);
  const fraction = places === 0 ? '' : `.${digits.slice(digits.length - places)}`;
  return `${negative ? '-' : ''}${integer}${fraction}`;
}

/**
 * `dividend / divisor` rounded once to `places` decimals, half-even, written with all the places.
 * Plain bigint arithmetic, independent of src/core/money, so that tests check the app against it.
 */
export function divideHalfEven(dividend: string, divisor: string, places: number): string {
  const [a, aScale] = digitsOf(dividend);
  const [b, bScale] = digitsOf(divisor);
  if (a < 0n || b <= 0n)
    throw new Error('divideHalfEven takes a non-negative dividend and a positive divisor');
  const numerator = a * 10n ** BigInt(bScale + places);
  const denominator = b * 10n ** BigInt(aScale);
  let quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return write(quotient, places);
}

/** A decimal without trailing zeros, as PURL Desk writes an exact rate: "150.0000000000" → "150". */
export function shortestDecimal(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/0+$/, '').replace(/\.$/, '') : decimal;
}

/** The per-USD rate derived from two per-EUR rates: perEur(C) / perEur(USD), 10 places, half-even. */
export function perUsdOf(perEurCurrency: string, perEurUsd: string): string {
  return shortestDecimal(divideHalfEven(perEurCurrency, perEurUsd, 10));
}

/** A balance change expected of a step, as `account currency` → signed decimal. */
export function balanceChanges(
  before: Map<string, string>,
  after: Map<string, string>,
): Record<string, string> {
  const changes: Record<string, string> = {};
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [was, wasScale] = digitsOf(before.get(key) ?? '0');
    const [now, nowScale] = digitsOf(after.get(key) ?? '0');
    const scale = Math.max(wasScale, nowScale);
    const difference = now * 10n ** BigInt(scale - nowScale) - was * 10n ** BigInt(scale - wasScale);
    if (difference !== 0n) changes[key] = write(difference, scale);
  }
  return changes;
}

/**
 * A package of the coordinator's proposal for $500 million, priced by the supplier at the
 * proposal's estimates and opened: the open package allocations can fund.
 */
export async function openProposedPackage(
  coordinator: Client,
  supplier: Client,
  name: string,
): Promise<PackageJson> {
  const proposal = await coordinator.request('POST', '/api/v1/packages/proposal', {
    body: { target: usd('500000000.00') },
  });
  expect(proposal.statusCode, proposal.body).toBe(200);
  const proposed: ProposalJson = proposal.json();
  const created = await coordinator.request('POST', '/api/v1/packages', {
    body: {
      name,
      target: usd('500000000.00'),
      lines: proposed.lines.map((line) => ({ requirementId: line.requirementId, quantity: line.quantity })),
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const draft: PackageJson = created.json();
  const estimate = new Map(proposed.lines.map((line) => [line.requirementId, line.estimatedAmount]));
  const priced = await supplier.request('POST', `/api/v1/packages/${draft.id}/transitions`, {
    body: {
      to: 'priced',
      lines: draft.lines.map((line) => ({ lineId: line.id, amount: estimate.get(line.requirementId) })),
    },
  });
  expect(priced.statusCode, priced.body).toBe(200);
  const opened = await coordinator.request('POST', `/api/v1/packages/${draft.id}/transitions`, {
    body: { to: 'open' },
  });
  expect(opened.statusCode, opened.body).toBe(200);
  return opened.json();
}
