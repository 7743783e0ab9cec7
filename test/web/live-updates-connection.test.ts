import { describe, expect, test } from 'vitest';
import {
  type EventSourceLike,
  type LiveChange,
  LiveUpdatesConnection,
  reconnectDelayMs,
} from '../../src/web/api/live-updates-connection.ts';

/** A hand-driven EventSource and clock. */
function harness() {
  const sources: (EventSourceLike & { url: string; closed: boolean })[] = [];
  const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
  const connection = new LiveUpdatesConnection({
    open: (url) => {
      const source = {
        url,
        closed: false,
        onmessage: null,
        onerror: null,
        close: () => (source.closed = true),
      };
      sources.push(source);
      return source;
    },
    setTimer: (run, ms) => {
      const timer = { run, ms, cancelled: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as { cancelled: boolean }).cancelled = true;
    },
    lingerMs: 5_000,
  });
  const latest = () => sources[sources.length - 1];
  const send = (data: unknown) => latest()?.onmessage?.({ data: JSON.stringify(data), lastEventId: '' });
  const fail = () => latest()?.onerror?.({});
  const runTimers = () => {
    for (const timer of timers.splice(0)) if (!timer.cancelled) timer.run();
  };
  return { connection, sources, timers, latest, send, fail, runTimers };
}

describe('the live-update connection', () => {
  test('opens one stream for every subscriber and tells each only of its kinds', () => {
    const { connection, sources, send } = harness();
    const pledges: LiveChange[] = [];
    const packages: LiveChange[] = [];
    connection.subscribe('user-1', ['pledge'], (change) => pledges.push(change));
    connection.subscribe('user-1', ['package', 'allocation'], (change) => packages.push(change));
    expect(sources.map((source) => source.url)).toEqual(['/api/v1/events']);
    send({ type: 'ready', seq: 7 });
    expect(connection.status()).toBe('live');
    send({ type: 'changed', object: { kind: 'pledge', id: 'p1' }, seq: 8 });
    send({ type: 'changed', object: { kind: 'allocation', id: 'plan' }, seq: 9 });
    send({ type: 'changed', object: { kind: 'requirement', id: 'r1' }, seq: 10 });
    expect(pledges).toEqual([{ kind: 'pledge', id: 'p1' }]);
    expect(packages).toEqual([{ kind: 'allocation', id: 'plan' }]);
  });

  test('after a drop it pauses, reconnects later from the last sequence number, and a refetch reaches everyone', () => {
    const { connection, sources, send, fail, timers, runTimers } = harness();
    const heard: LiveChange[] = [];
    const statuses: string[] = [];
    connection.onStatus((status) => statuses.push(status));
    connection.subscribe('user-1', ['pledge'], (change) => heard.push(change));
    send({ type: 'ready', seq: 3 });
    send({ type: 'changed', object: { kind: 'pledge', id: 'p1' }, seq: 4 });
    fail();
    expect(connection.status()).toBe('paused');
    expect(sources[0]?.closed).toBe(true);
    expect(timers.map((timer) => timer.ms)).toEqual([reconnectDelayMs(0)]);
    runTimers();
    expect(sources[1]?.url).toBe('/api/v1/events?since=4');
    // A second drop before any message waits longer.
    fail();
    expect(timers.map((timer) => timer.ms)).toEqual([reconnectDelayMs(1)]);
    runTimers();
    send({ type: 'refetch', seq: 9 });
    expect(heard).toEqual([{ kind: 'pledge', id: 'p1' }, { kind: 'everything' }]);
    expect(statuses).toEqual(['live', 'paused', 'live']);
  });

  test('closes the stream a while after the last subscriber left, not at once', () => {
    const { connection, sources, runTimers } = harness();
    const leave = connection.subscribe('user-1', ['pledge'], () => {});
    leave();
    expect(sources[0]?.closed).toBe(false);
    // Another page subscribes before the stream closes: the same stream serves it.
    const leaveAgain = connection.subscribe('user-1', ['package'], () => {});
    runTimers();
    expect(sources).toHaveLength(1);
    expect(sources[0]?.closed).toBe(false);
    leaveAgain();
    runTimers();
    expect(sources[0]?.closed).toBe(true);
  });

  test('starts afresh for another user in the same tab', () => {
    const { connection, sources, send } = harness();
    connection.subscribe('user-1', ['pledge'], () => {});
    send({ type: 'ready', seq: 12 });
    connection.subscribe('user-2', ['pledge'], () => {});
    expect(sources[0]?.closed).toBe(true);
    expect(sources[1]?.url).toBe('/api/v1/events');
  });

  test('waits longer after each failed attempt, up to half a minute', () => {
    const delays = [0, 1, 2, 3, 4, 5, 50].map(reconnectDelayMs);
    expect(delays).toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 30_000, 30_000]);
  });
});
