import type { FastifyInstance } from 'fastify';
import type { LiveEventJson } from '../../src/contract/live-update.schema.ts';
import { type Credential, freshAddress, headersOf } from './access.ts';

/**
 * A server-sent event stream read in-process. `inject` waits for the end of a response, which an
 * event stream never reaches; with `payloadAsStream` it answers at the headers, and the body is
 * read as it comes. `close()` ends the connection from the client's side, as a browser tab would.
 */
export interface EventStreamClient {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  /** Every message received so far, parsed. */
  readonly events: LiveEventJson[];
  /** Everything received so far, as sent. */
  text(): string;
  /**
   * Waits until `done(events)` holds, or `timeoutMs` passed (15 s unless named: a wait for what
   * should come returns as soon as it does, so only a busy machine ever waits long); returns the
   * events either way.
   */
  waitFor(done: (events: readonly LiveEventJson[]) => boolean, timeoutMs?: number): Promise<LiveEventJson[]>;
  /** The whole body of an answer that ends (a refusal), for its problem document. */
  body(): Promise<string>;
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): void;
}

function parse(block: string): LiveEventJson | undefined {
  const data = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  return data ? (JSON.parse(data) as LiveEventJson) : undefined;
}

export async function openEventStream(
  app: FastifyInstance,
  credential: Credential,
  options: { query?: string; headers?: Record<string, string> } = {},
): Promise<EventStreamClient> {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/events${options.query ? `?${options.query}` : ''}`,
    remoteAddress: freshAddress(),
    headers: { ...headersOf(credential), ...(options.headers ?? {}) },
    payloadAsStream: true,
  });
  const body = response.stream();
  let text = '';
  let pending = '';
  let finished = false;
  const events: LiveEventJson[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  body.on('data', (chunk: Buffer) => {
    const piece = chunk.toString('utf8');
    text += piece;
    pending += piece;
    let end = pending.indexOf('\n\n');
    while (end >= 0) {
      const event = parse(pending.slice(0, end));
      if (event) events.push(event);
      pending = pending.slice(end + 2);
      end = pending.indexOf('\n\n');
    }
    notify();
  });
  const onEnd = () => {
    finished = true;
    notify();
  };
  body.on('end', onEnd);
  body.on('close', onEnd);
  body.on('error', onEnd);

  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    text: () => text,
    ended: () => finished,
    waitFor(done, timeoutMs = 15_000) {
      return new Promise((resolve) => {
        const check = () => {
          if (done(events) || finished) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve([...events]);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          resolve([...events]);
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async body() {
      if (!finished) await new Promise<void>((resolve) => body.once('end', () => resolve()));
      return text;
    },
    close() {
      response.raw.res.destroy();
      body.destroy();
    },
  };
}
