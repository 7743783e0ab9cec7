import { PassThrough } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../app/context.ts';
import {
  audienceOf,
  type ChangedObject,
  changesAfter,
  latestChange,
  visibleChange,
} from '../app/live-updates.ts';
import type { LiveEventJson } from '../contract/live-update.schema.ts';
import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';

export interface LiveUpdatesTiming {
  readonly pollIntervalMs: number;
  readonly heartbeatIntervalMs: number;
}

export const liveUpdatesTiming: LiveUpdatesTiming = {
  pollIntervalMs: Limits.eventPollIntervalMs,
  heartbeatIntervalMs: Limits.eventHeartbeatIntervalMs,
};

export interface OpenStream {
  readonly actor: Actor;
  /** The `Last-Event-ID` (or `?since=`) a reconnecting client sent; null when it sent none or garbage. */
  readonly lastEventId: number | null;
  /** False once the credential that opened the stream no longer authenticates its user. */
  readonly stillValid: () => Promise<boolean>;
}

interface Stream {
  readonly actor: Actor;
  /** Writes up to this sequence number were committed before the stream opened. */
  readonly from: number;
  /** The last `id:` the client was sent: what its `Last-Event-ID` will say. */
  lastId: number;
  readonly stillValid: () => Promise<boolean>;
  readonly output: PassThrough;
}

/** One message of the stream: its id is the audit sequence number. */
function message(event: LiveEventJson): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The live-update streams of one server process. The audit chain is the source of truth: while
 * any stream is open, the chain's head is read every `pollIntervalMs` (and at once after a write
 * through this process), and each new audit event is sent to the streams whose user may read
 * the object it names (`visibleChange`). Writes of other processes on the same database arrive
 * the same way, and SQLite and PostgreSQL behave alike. Nothing runs while no stream is open.
 */
export class LiveUpdates {
  private readonly streams = new Set<Stream>();
  /** Every audit event up to this sequence number was dispatched. */
  private seen = 0;
  private running = false;
  private starting: Promise<void> | null = null;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private closed = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly context: AppContext,
    private readonly log: FastifyBaseLogger,
    private readonly timing: LiveUpdatesTiming = liveUpdatesTiming,
  ) {}

  /** Open streams, of one user or of all. */
  count(userId?: string): number {
    let count = 0;
    for (const stream of this.streams) if (userId === undefined || stream.actor.userId === userId) count += 1;
    return count;
  }

  /**
   * A new stream for the actor, its first message written: `ready` with the current sequence
   * number, or `refetch` when the client reconnects from any other one (it may have missed writes).
   */
  async open(request: OpenStream): Promise<PassThrough> {
    if (this.closed) throw new Failure('NOT_READY', 'The server is shutting down.');
    await this.start();
    // From here on nothing awaits: no event can fall between `seen` and the registration.
    if (this.count(request.actor.userId) >= Limits.eventStreamsPerUserMax) {
      if (this.streams.size === 0) this.stop();
      throw new Failure(
        'RATE_LIMITED',
        `At most ${Limits.eventStreamsPerUserMax} live-update streams per user are open at once; close one.`,
      );
    }
    const output = new PassThrough();
    const stream: Stream = {
      actor: request.actor,
      from: this.seen,
      lastId: this.seen,
      stillValid: request.stillValid,
      output,
    };
    this.streams.add(stream);
    output.once('close', () => this.remove(stream));
    const missed = request.lastEventId !== null && request.lastEventId !== this.seen;
    output.write(`retry: ${this.timing.pollIntervalMs * 3}\n`);
    output.write(message({ type: missed ? 'refetch' : 'ready', seq: this.seen }));
    return output;
  }

  /** Reads new writes now (after a write through this process), rather than at the next tick. */
  nudge(): void {
    if (this.running) void this.poll();
  }

  /** Checks the credentials of a user's streams now (after a logout or a token revocation). */
  revalidate(userId?: string): void {
    for (const stream of this.streams) {
      if (userId === undefined || stream.actor.userId === userId) void this.check(stream);
    }
  }

  /** Ends every stream and stops reading; for shutdown, so that no open stream holds it up. */
  closeAll(): void {
    this.closed = true;
    for (const stream of [...this.streams]) stream.output.end();
    this.streams.clear();
    this.stop();
  }

  private async start(): Promise<void> {
    if (this.running) return;
    this.starting ??= (async () => {
      try {
        this.seen = await latestChange(this.context);
        this.running = true;
        this.pollTimer = setInterval(() => void this.poll(), this.timing.pollIntervalMs);
        this.heartbeatTimer = setInterval(() => this.heartbeat(), this.timing.heartbeatIntervalMs);
        this.pollTimer.unref();
        this.heartbeatTimer.unref();
      } finally {
        this.starting = null;
      }
    })();
    await this.starting;
  }

  private stop(): void {
    this.running = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.pollTimer = null;
    this.heartbeatTimer = null;
  }

  private remove(stream: Stream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0 && this.running) this.stop();
  }

  private poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = this.dispatchNewChanges()
      .catch((error: unknown) => this.log.warn({ err: error }, 'live updates: reading new changes failed'))
      .finally(() => {
        this.polling = null;
        if (this.pollAgain && this.running) {
          this.pollAgain = false;
          void this.poll();
        }
      });
    return this.polling;
  }

  private async dispatchNewChanges(): Promise<void> {
    const head = await latestChange(this.context);
    if (head <= this.seen) return;
    if (head - this.seen > Limits.eventBatchMax) {
      // Too many to check one by one: every client reloads what it shows instead.
      this.seen = head;
      for (const stream of this.streams) this.send(stream, { type: 'refetch', seq: head });
      return;
    }
    const events = await changesAfter(this.context, this.seen, Limits.eventBatchMax);
    // One check per audience and event, however many streams share the audience.
    const checked = new Map<string, Promise<ChangedObject | null>>();
    for (const event of events) {
      for (const stream of this.streams) {
        if (event.seq <= stream.from) continue;
        const key = `${audienceOf(stream.actor)}\u0000${event.seq}`;
        let change = checked.get(key);
        if (!change) {
          change = visibleChange(this.context, stream.actor, event);
          checked.set(key, change);
        }
        const visible = await change;
        if (visible) this.send(stream, { type: 'changed', object: visible, seq: event.seq });
      }
      this.seen = event.seq;
    }
    // An id without data moves the client's Last-Event-ID on without telling it anything (the
    // head is public at /api/v1/audit/head), so a reconnect after unrelated writes needs no refetch.
    for (const stream of this.streams) {
      if (stream.lastId < this.seen) this.write(stream, `id: ${this.seen}\n\n`, this.seen);
    }
  }

  private send(stream: Stream, event: LiveEventJson): void {
    this.write(stream, message(event), event.seq);
  }

  private write(stream: Stream, text: string, id?: number): void {
    if (stream.output.destroyed || stream.output.writableEnded) return;
    if (stream.output.writableLength > Limits.eventStreamBufferBytesMax) {
      // The client stopped reading; it reconnects and refetches.
      stream.output.end();
      this.remove(stream);
      return;
    }
    stream.output.write(text);
    if (id !== undefined) stream.lastId = id;
  }

  private heartbeat(): void {
    for (const stream of this.streams) void this.check(stream, ': heartbeat\n\n');
  }

  /** Ends the stream when its credential no longer holds (or cannot be checked); else writes `then`. */
  private async check(stream: Stream, then?: string): Promise<void> {
    const valid = await stream.stillValid().catch(() => false);
    if (!valid) {
      stream.output.end();
      this.remove(stream);
    } else if (then) {
      this.write(stream, then);
    }
  }
}
