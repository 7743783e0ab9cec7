import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiClient } from '../../src/web/api/client.ts';

const summaryBody = JSON.stringify({ asOf: '2026-02-12T00:00:00Z', totals: [] });

function answering(): ReturnType<typeof vi.fn> {
  const fetch = vi.fn(
    async () => new Response(summaryBody, { status: 200, headers: { 'content-type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('the public summary prefetch', () => {
  afterEach(() => vi.unstubAllGlobals());

  test('the dashboard takes the answer the prefetch started: one request, not two', async () => {
    const fetch = answering();
    const api = new ApiClient();
    api.prefetchPublicSummary();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(await api.publicSummary()).toEqual(JSON.parse(summaryBody));
    expect(fetch).toHaveBeenCalledTimes(1);
    // Taken once: a reload of the figures asks the server again.
    await api.publicSummary();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test('a tab with a stored session does not prefetch (it is not a visitor)', () => {
    const fetch = answering();
    const session = { csrfToken: 'c', expiresAt: '2099-01-01T00:00:00Z' };
    const storage = { getItem: () => JSON.stringify(session), setItem() {}, removeItem() {} };
    const api = new ApiClient({ storage });
    if (api.storedSession() === null) throw new Error('the stand-in session was not accepted');
    api.prefetchPublicSummary();
    expect(fetch).not.toHaveBeenCalled();
  });

  test('the summary the server put in the page is taken once, without a request', async () => {
    const fetch = answering();
    const delivered = JSON.parse(summaryBody);
    const api = new ApiClient();
    api.prefetchPublicSummary(delivered);
    expect(api.takeDeliveredSummary()).toBe(delivered);
    expect(api.takeDeliveredSummary()).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
    // Taken: a reload of the figures asks the server.
    await api.publicSummary();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('a tab with a stored session keeps no delivered summary (it is not a visitor)', () => {
    const fetch = answering();
    const session = { csrfToken: 'c', expiresAt: '2099-01-01T00:00:00Z' };
    const storage = { getItem: () => JSON.stringify(session), setItem() {}, removeItem() {} };
    const api = new ApiClient({ storage });
    api.prefetchPublicSummary(JSON.parse(summaryBody));
    expect(api.takeDeliveredSummary()).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  test('a failed prefetch is reported to the page that asks, and not before', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('network down');
      }),
    );
    const api = new ApiClient();
    api.prefetchPublicSummary();
    await expect(api.publicSummary()).rejects.toBeDefined();
  });
});
