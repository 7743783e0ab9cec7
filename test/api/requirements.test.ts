import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newRequirement, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

describe.each(dialects)('requirements on %s', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => api.close());

  test('creates a draft line at the bottom of the list with exact money', async () => {
    const recipient = await api.as('recipient');
    const response = await recipient.request('POST', '/api/v1/requirements', {
      body: newRequirement({ quantity: 3, unitCost: { amount: '1234567.89', currency: 'USD' } }),
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ status: 'draft', rank: 1, version: 1, ref: 'REQ-0001' });
    expect(body.unitCost).toEqual({ amount: '1234567.89', currency: 'USD' });
    expect(body.estimatedCost).toEqual({ amount: '3703703.67', currency: 'USD' });
    expect(response.headers.etag).toBe('"1"');
  });

  test("a line's history names each change, oldest first, with its hash in the audit chain", async () => {
    const recipient = await api.as('recipient');
    const coordinator = await api.as('coordinator');
    const created = (
      await recipient.request('POST', '/api/v1/requirements', { body: newRequirement() })
    ).json();
    const path = `/api/v1/requirements/${created.id}`;
    for (const [client, to] of [
      [recipient, 'submitted'],
      [coordinator, 'validated'],
    ] as const) {
      const moved = await client.request('POST', `${path}/transitions`, { body: { to } });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    const history = await coordinator.request('GET', `${path}/history`);
    expect(history.statusCode, history.body).toBe(200);
    const { items, nextCursor } = history.json();
    expect(items.map((event: { action: string }) => event.action)).toEqual([
      'requirement.create',
      'requirement.submit',
      'requirement.validate',
    ]);
    expect(items.map((event: { actorOrganization: string }) => event.actorOrganization)).toEqual([
      'UKR',
      'UKR',
      'NATO',
    ]);
    expect(nextCursor).toBeNull();
    const seqs = items.map((event: { seq: number }) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const event of items) expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    // The hashes are the chain's own: the auditor finds the same events there.
    const auditor = await api.as('auditor');
    const chain = (await auditor.request('GET', `/api/v1/audit?objectId=${created.id}`)).json();
    expect(chain.items.map((event: { hash: string }) => event.hash)).toEqual(
      items.map((event: { hash: string }) => event.hash),
    );
  });

  test('the history of an unknown line is 404, and a donor may not read it', async () => {
    const coordinator = await api.as('coordinator');
    const missing = await coordinator.request('GET', '/api/v1/requirements/no-such-line/history');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
    const recipient = await api.as('recipient');
    const created = (
      await recipient.request('POST', '/api/v1/requirements', { body: newRequirement() })
    ).json();
    const donor = await api.as('donor');
    const refused = await donor.request('GET', `/api/v1/requirements/${created.id}/history`);
    expect(refused.statusCode).toBe(403);
  });
});
