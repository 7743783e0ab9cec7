import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiClient, ApiError, fileNameOf } from '../../src/web/api/client.ts';

/** The web app's download of a list's file: the bytes and the server's name, or the problem to show. */
describe('ApiClient.download', () => {
  afterEach(() => vi.unstubAllGlobals());

  function answering(response: () => Response): ReturnType<typeof vi.fn> {
    const fetch = vi.fn(async () => response());
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }

  test('gives the bytes as sent and the name from Content-Disposition, with the cookie', async () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
    const fetch = answering(
      () =>
        new Response(bytes, {
          status: 200,
          headers: {
            'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'content-disposition': 'attachment; filename="purl-packages-2026-02-12.xlsx"',
          },
        }),
    );
    const file = await new ApiClient().download('/api/v1/packages?format=xlsx');
    expect(fetch).toHaveBeenCalledWith('/api/v1/packages?format=xlsx', {
      method: 'GET',
      credentials: 'same-origin',
    });
    expect(file.fileName).toBe('purl-packages-2026-02-12.xlsx');
    expect(new Uint8Array(await file.content.arrayBuffer())).toEqual(bytes);
  });

  test('a refusal is an ApiError with the server code, not a file', async () => {
    answering(
      () =>
        new Response(JSON.stringify({ status: 403, code: 'FORBIDDEN', title: 'Forbidden', detail: 'No.' }), {
          status: 403,
          headers: { 'content-type': 'application/problem+json' },
        }),
    );
    const failure = await new ApiClient().download('/api/v1/ledger/entries?format=csv').catch((e) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  test('an ended session is forgotten and the listener told, as for every other call', async () => {
    answering(
      () =>
        new Response(
          JSON.stringify({
            status: 401,
            code: 'UNAUTHENTICATED',
            title: 'Unauthenticated',
            detail: 'Log in.',
          }),
          { status: 401, headers: { 'content-type': 'application/problem+json' } },
        ),
    );
    const session = { csrfToken: 'c', expiresAt: '2099-01-01T00:00:00Z' };
    const removed: string[] = [];
    const storage = {
      getItem: () => JSON.stringify(session),
      setItem() {},
      removeItem: (key: string) => void removed.push(key),
    };
    const ended = vi.fn();
    const api = new ApiClient({ storage, onUnauthenticated: ended });
    await expect(api.download('/api/v1/audit/events?format=json')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(ended).toHaveBeenCalledTimes(1);
    expect(api.storedSession()).toBeNull();
    expect(removed).toEqual(['purl.session']);
  });

  test('an unreachable server is NETWORK_ERROR', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(new ApiClient().download('/api/v1/packages?format=csv')).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
    });
  });

  test('without a name from the server, the file is named after the route', async () => {
    answering(() => new Response('a,b\r\n', { status: 200, headers: { 'content-type': 'text/csv' } }));
    expect((await new ApiClient().download('/api/v1/allocation/plan?format=csv')).fileName).toBe('plan');
  });
});

test('fileNameOf reads the quoted name and never returns a path', () => {
  expect(fileNameOf('attachment; filename="purl-audit-2026-02-12.csv"')).toBe('purl-audit-2026-02-12.csv');
  expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe('passwd');
  expect(fileNameOf('attachment; filename="a\\b.csv"')).toBe('b.csv');
  expect(fileNameOf('attachment')).toBeUndefined();
  expect(fileNameOf(null)).toBeUndefined();
});
