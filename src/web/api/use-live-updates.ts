import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ChangedKindJson } from '../../contract/live-update.schema.ts';
import { type LiveChange, LiveUpdatesConnection } from './live-updates-connection.ts';

/** The tab's one live-update stream. */
const shared = new LiveUpdatesConnection();

const subscribeStatus = (listener: () => void) => shared.onStatus(listener);
const currentStatus = () => shared.status();
const serverStatus = () => 'connecting' as const;

/** Changes that arrive this close together make one refetch. */
const quietMs = 250;

/**
 * Calls `onChange` when an object of one of the kinds changes on the server (or when writes may
 * have been missed while the stream was down), for the logged-in user `owner` (none: nothing
 * opens). `paused` is true while the stream is down; pages show it quietly, never as an error.
 */
export function useLiveUpdates(
  owner: string | null,
  kinds: readonly ChangedKindJson[],
  onChange: (change: LiveChange) => void,
): { readonly paused: boolean } {
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  });
  const key = [...kinds].sort().join(' ');

  useEffect(() => {
    if (!owner || typeof EventSource === 'undefined') return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = shared.subscribe(owner, key.split(' ') as ChangedKindJson[], (change) => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        latest.current(change);
      }, quietMs);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [owner, key]);

  const status = useSyncExternalStore(subscribeStatus, currentStatus, serverStatus);
  return { paused: owner !== null && status === 'paused' };
}
