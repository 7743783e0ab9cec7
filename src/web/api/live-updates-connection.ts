import type { ChangedKindJson, LiveEventJson } from '../../contract/live-update.schema.ts';

/** What a subscriber hears: an object of its kinds changed, or `everything` may have (refetch all). */
export type LiveChange =
  | { readonly kind: ChangedKindJson; readonly id: string }
  | { readonly kind: 'everything' };

/** `connecting` before the first message, `live` once the stream answers, `paused` after it dropped. */
export type LiveStatus = 'connecting' | 'live' | 'paused';

/** The part of EventSource used here, so that tests can hand in their own. */
export interface EventSourceLike {
  onmessage: ((event: { data: string; lastEventId: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

export interface LiveUpdatesOptions {
  readonly url?: string;
  readonly open?: (url: string) => EventSourceLike;
  readonly setTimer?: (run: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
  /** How long the stream stays open after the last page left, so moving between pages keeps it. */
  readonly lingerMs?: number;
}

const backoffStepsMs = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

/** The wait before reconnect attempt `attempt` (0-based): growing, then steady at 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return backoffStepsMs[Math.min(attempt, backoffStepsMs.length - 1)] ?? 30_000;
}

interface Subscriber {
  readonly kinds: ReadonlySet<ChangedKindJson>;
  readonly listener: (change: LiveChange) => void;
}

/**
 * One stream of `GET /api/v1/events` per tab, shared by every page that subscribes. It opens with
 * the first subscriber and closes a little after the last one leaves. When the stream drops it is
 * closed and opened again after a growing wait, with `?since=` the last sequence number seen, so
 * the server says `refetch` when writes were missed; subscribers then hear `everything`.
 */
export class LiveUpdatesConnection {
  private readonly subscribers = new Set<Subscriber>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private source: EventSourceLike | null = null;
  private currentStatus: LiveStatus = 'connecting';
  private lastSeq: number | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private lingerTimer: unknown = null;
  /** Whose stream is open: a different user in the tab starts afresh. */
  private owner: string | null = null;

  constructor(private readonly options: LiveUpdatesOptions = {}) {}

  status(): LiveStatus {
    return this.currentStatus;
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Listens for changes of the kinds; returns the unsubscribe. `owner` names the logged-in user. */
  subscribe(
    owner: string,
    kinds: readonly ChangedKindJson[],
    listener: (change: LiveChange) => void,
  ): () => void {
    if (this.owner !== owner) {
      this.stop();
      this.owner = owner;
      this.lastSeq = null;
    }
    const subscriber: Subscriber = { kinds: new Set(kinds), listener };
    this.subscribers.add(subscriber);
    this.cancel('linger');
    if (!this.source && this.retryTimer === null) this.connect();
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) {
        this.cancel('linger');
        this.lingerTimer = this.timer(() => {
          this.lingerTimer = null;
          if (this.subscribers.size === 0) this.stop();
        }, this.options.lingerMs ?? 5_000);
      }
    };
  }

  private connect(): void {
    const base = this.options.url ?? '/api/v1/events';
    const url = this.lastSeq === null ? base : `${base}?since=${this.lastSeq}`;
    const open = this.options.open ?? ((address: string) => new EventSource(address) as EventSourceLike);
    const source = open(url);
    this.source = source;
    source.onmessage = (event) => {
      if (this.source !== source) return;
      this.receive(event.data);
    };
    source.onerror = () => {
      if (this.source !== source) return;
      // The browser would retry on its own, but not after an error status; one policy for both.
      source.close();
      this.source = null;
      this.setStatus('paused');
      this.retryTimer = this.timer(() => {
        this.retryTimer = null;
        if (this.subscribers.size > 0) this.connect();
      }, reconnectDelayMs(this.attempt));
      this.attempt += 1;
    };
  }

  private receive(data: string): void {
    let event: LiveEventJson;
    try {
      event = JSON.parse(data) as LiveEventJson;
    } catch {
      return; // Not ours to understand; the next message will be.
    }
    this.lastSeq = event.seq;
    this.attempt = 0;
    this.setStatus('live');
    if (event.type === 'refetch') this.notify({ kind: 'everything' });
    else if (event.type === 'changed') this.notify(event.object);
  }

  private notify(change: LiveChange): void {
    for (const subscriber of [...this.subscribers]) {
      if (change.kind === 'everything' || subscriber.kinds.has(change.kind)) subscriber.listener(change);
    }
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }

  private stop(): void {
    this.source?.close();
    this.source = null;
    this.cancel('retry');
    this.cancel('linger');
    this.attempt = 0;
    this.setStatus('connecting');
  }

  private cancel(which: 'retry' | 'linger'): void {
    const timer = which === 'retry' ? this.retryTimer : this.lingerTimer;
    if (timer !== null) (this.options.clearTimer ?? ((handle) => clearTimeout(handle as number)))(timer);
    if (which === 'retry') this.retryTimer = null;
    else this.lingerTimer = null;
  }

  private timer(run: () => void, ms: number): unknown {
    return (this.options.setTimer ?? ((callback, delay) => setTimeout(callback, delay)))(run, ms);
  }
}
