import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, type UploadProgress } from '../../src/web/api/client.ts';

/** A stand-in for the browser's XMLHttpRequest: it records the request and answers as told. */
class FakeXhr {
  static last: FakeXhr | null = null;
  static answer: { status: number; body: string } = { status: 200, body: '{}' };
  method = '';
  url = '';
  headers: Record<string, string> = {};
  sent: unknown = null;
  status = 0;
  responseText = '';
  private listeners = new Map<string, () => void>();
  private uploadListeners = new Map<string, (event: ProgressEvent) => void>();
  upload = {
    addEventListener: (name: string, listener: (event: ProgressEvent) => void) => {
      this.uploadListeners.set(name, listener);
    },
  };

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  addEventListener(name: string, listener: () => void) {
    this.listeners.set(name, listener);
  }
  send(body: unknown) {
    this.sent = body;
    queueMicrotask(() => {
      const progress = this.uploadListeners.get('progress');
      progress?.({ loaded: 5, total: 10, lengthComputable: true } as ProgressEvent);
      progress?.({ loaded: 10, total: 10, lengthComputable: true } as ProgressEvent);
      this.status = FakeXhr.answer.status;
      this.responseText = FakeXhr.answer.body;
      this.listeners.get(this.status === 0 ? 'error' : 'load')?.();
    });
  }
}

function clientWithSession(onUnauthenticated?: () => void): ApiClient {
  const stored = JSON.stringify({ csrfToken: 'csrf-123', expiresAt: '2099-01-01T00:00:00.000Z' });
  const storage = { getItem: () => stored, setItem: () => {}, removeItem: () => {} };
  return new ApiClient({ storage, ...(onUnauthenticated ? { onUnauthenticated } : {}) });
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeXhr.last = null;
});

describe('ApiClient.importRequirements', () => {
  it('sends a dry run as the raw file with its content type, the CSRF token and the upload progress', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const outcome = {
      kind: 'requirements',
      dryRun: true,
      rows: 2,
      created: 0,
      firstRef: null,
      lastRef: null,
    };
    FakeXhr.answer = { status: 200, body: JSON.stringify(outcome) };
    const file = new Blob(['title,category\n'], { type: '' });
    const progress: UploadProgress[] = [];
    const answer = await clientWithSession().importRequirements(file, 'csv', {
      dryRun: true,
      onProgress: (each) => progress.push(each),
    });
    expect(answer).toEqual(outcome);
    const request = FakeXhr.last;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/imports/requirements?dryRun=true');
    expect(request?.headers['content-type']).toBe('text/csv');
    expect(request?.headers['x-csrf-token']).toBe('csrf-123');
    expect(request?.sent).toBe(file);
    expect(progress).toEqual([
      { loaded: 5, total: 10 },
      { loaded: 10, total: 10 },
    ]);
  });

  it('sends the import itself without dryRun, an XLSX file as a workbook', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.answer = { status: 201, body: '{"kind":"requirements","dryRun":false,"rows":1,"created":1}' };
    await clientWithSession().importRequirements(new Blob(['x']), 'xlsx', { dryRun: false });
    expect(FakeXhr.last?.url).toBe('/api/v1/imports/requirements');
    expect(FakeXhr.last?.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('turns a refused file into an ApiError that keeps every problem by row and column', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const errors = [{ path: 'row 3, column unitCost', message: 'USD amounts have exactly 2 decimals' }];
    FakeXhr.answer = {
      status: 422,
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Unprocessable',
        status: 422,
        code: 'IMPORT_ROWS_INVALID',
        detail: '1 row has problems; nothing was imported.',
        errors,
      }),
    };
    const failure = await clientWithSession()
      .importRequirements(new Blob(['x']), 'csv', { dryRun: true })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 422, code: 'IMPORT_ROWS_INVALID', errors });
  });

  it('ends the session when the server says it has ended, and reports a lost connection as such', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const ended = vi.fn();
    FakeXhr.answer = {
      status: 401,
      body: '{"type":"x","title":"x","status":401,"code":"UNAUTHENTICATED","detail":"log in"}',
    };
    const client = clientWithSession(ended);
    await expect(client.importRequirements(new Blob(['x']), 'csv', { dryRun: true })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(ended).toHaveBeenCalledOnce();
    expect(client.storedSession()).toBeNull();

    FakeXhr.answer = { status: 0, body: '' };
    await expect(client.importRequirements(new Blob(['x']), 'csv', { dryRun: true })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
    expect(FakeXhr.last?.headers['x-csrf-token']).toBeUndefined();
  });
});
