import { expect } from 'vitest';
import type { Role } from '../../src/core/access/roles.ts';
import type { TestApi } from './api.ts';
import { newRequirement, usd } from './api.ts';
import { call } from './server-process.ts';

/**
 * Setup and invariant checks shared by the fault tests (test/faults/*): they run `purl serve` as
 * child processes on the database a TestApi created, and read that database directly to check it.
 */

/** A bearer token per role, issued through the in-process app before any child server starts. */
export async function bearerTokens<R extends Role>(
  api: TestApi,
  wanted: readonly R[],
): Promise<Record<R, string>> {
  const tokens = {} as Record<R, string>;
  for (const role of wanted) {
    const client = await api.as(role);
    const response = await client.request('POST', '/api/v1/tokens', { body: { name: `faults ${role}` } });
    expect(response.statusCode, response.body).toBe(201);
    tokens[role] = response.json().token;
  }
  return tokens;
}

/** Validated requirement lines in an open package, each line priced at `linePrice` USD. */
export async function openPackage(
  api: TestApi,
  lineCount: number,
  linePrice: string,
): Promise<{ packageId: string; requirementIds: string[] }> {
  const recipient = await api.as('recipient');
  const coordinator = await api.as('coordinator');
  const supplier = await api.as('supplier');
  const requirementIds: string[] = [];
  for (let index = 0; index < lineCount; index++) {
    const created = await recipient.request('POST', '/api/v1/requirements', {
      body: newRequirement({ title: `Line ${index + 1}`, quantity: 1 }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    for (const [client, to] of [
      [recipient, 'submitted'],
      [coordinator, 'validated'],
    ] as const) {
      const moved = await client.request('POST', `/api/v1/requirements/${id}/transitions`, { body: { to } });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    requirementIds.push(id);
  }
  const created = await coordinator.request('POST', '/api/v1/packages', {
    body: {
      name: 'Faults package',
      target: usd('900000000.00'),
      lines: requirementIds.map((requirementId) => ({ requirementId, quantity: 1 })),
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const pkg = created.json();
  const priced = await supplier.request('POST', `/api/v1/packages/${pkg.id}/transitions`, {
    body: {
      to: 'priced',
      lines: pkg.lines.map((line: { id: string }) => ({ lineId: line.id, amount: usd(linePrice) })),
    },
  });
  expect(priced.statusCode, priced.body).toBe(200);
  const opened = await coordinator.request('POST', `/api/v1/packages/${pkg.id}/transitions`, {
    body: { to: 'open' },
  });
  expect(opened.statusCode, opened.body).toBe(200);
  return { packageId: pkg.id, requirementIds };
}

/**
 * The money invariants, read from the database: every journal entry balances in each currency;
 * no pledge has more active allocations than its amount; no line more than its price.
 */
export async function checkMoneyInvariants(api: TestApi): Promise<void> {
  const { db } = api.database.context.store;
  const postings = await db.selectFrom('posting').select(['entry_id', 'currency', 'amount_minor']).execute();
  const sums = new Map<string, bigint>();
  for (const posting of postings) {
    const key = `${posting.entry_id} ${posting.currency}`;
    sums.set(key, (sums.get(key) ?? 0n) + BigInt(posting.amount_minor));
  }
  const unbalanced = [...sums].filter(([, sum]) => sum !== 0n).map(([key]) => key);
  expect(unbalanced, 'journal entries that do not balance').toEqual([]);

  const allocations = await db
    .selectFrom('allocation')
    .select(['pledge_id', 'line_id', 'amount_minor', 'usd_minor'])
    .where('released_at', 'is', null)
    .execute();
  const perPledge = new Map<string, bigint>();
  const perLine = new Map<string, bigint>();
  for (const allocation of allocations) {
    perPledge.set(
      allocation.pledge_id,
      (perPledge.get(allocation.pledge_id) ?? 0n) + BigInt(allocation.amount_minor),
    );
    perLine.set(allocation.line_id, (perLine.get(allocation.line_id) ?? 0n) + BigInt(allocation.usd_minor));
  }
  const pledges = await db.selectFrom('pledge').select(['id', 'amount_minor']).execute();
  const overAllocated = pledges
    .filter((pledge) => (perPledge.get(pledge.id) ?? 0n) > BigInt(pledge.amount_minor ?? 0n))
    .map((pledge) => `${pledge.id}: ${perPledge.get(pledge.id)} > ${pledge.amount_minor}`);
  expect(overAllocated, 'pledges allocated beyond their amount').toEqual([]);
  const lines = await db.selectFrom('package_line').select(['id', 'amount_minor']).execute();
  const overPrice = lines
    .filter((line) => (perLine.get(line.id) ?? 0n) > BigInt(line.amount_minor ?? 0n))
    .map((line) => `${line.id}: ${perLine.get(line.id)} > ${line.amount_minor}`);
  expect(overPrice, 'lines allocated beyond their price').toEqual([]);
}

/** GET /api/v1/audit/verify on a running server; returns the chain length. */
export async function checkAuditChain(baseUrl: string, auditorToken: string): Promise<number> {
  const verdict = await call(baseUrl, 'GET', '/api/v1/audit/verify', { token: auditorToken });
  expect(verdict.status, verdict.text).toBe(200);
  expect(verdict.json.ok, verdict.text).toBe(true);
  return verdict.json.length;
}
