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
});
