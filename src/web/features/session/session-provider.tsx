import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { MeJson } from '../../../contract/index.ts';
import { type ApiClient, ApiError } from '../../api/client.ts';

export type SessionNotice = 'sessionEnded' | 'loggedOut';

export type SessionState =
  | { readonly status: 'checking' }
  | { readonly status: 'anonymous'; readonly notice: SessionNotice | null }
  | { readonly status: 'authenticated'; readonly me: MeJson; readonly expiresAt: string };

export interface Session {
  readonly api: ApiClient;
  readonly state: SessionState;
  /** True once the user logged in or out in this tab: pages then move focus to their heading. */
  readonly changedByUser: boolean;
  logIn(email: string, password: string): Promise<void>;
  logOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Who is logged in. The session cookie is HttpOnly, so after a reload the app asks GET /me whether
 * it is still alive; without the CSRF token kept in sessionStorage it could not write, so a tab
 * that lost the token logs in again.
 */
export function SessionProvider({
  api,
  children,
}: {
  readonly api: ApiClient;
  readonly children: ReactNode;
}) {
  const [state, setState] = useState<SessionState>(() =>
    api.storedSession() ? { status: 'checking' } : { status: 'anonymous', notice: null },
  );
  const [changedByUser, setChangedByUser] = useState(false);

  useEffect(() => {
    api.setUnauthenticatedListener(() => setState({ status: 'anonymous', notice: 'sessionEnded' }));
    return () => api.setUnauthenticatedListener(undefined);
  }, [api]);

  useEffect(() => {
    const stored = api.storedSession();
    if (!stored) return;
    let cancelled = false;
    api.me().then(
      (me) => {
        if (!cancelled) setState({ status: 'authenticated', me, expiresAt: stored.expiresAt });
      },
      (error: unknown) => {
        if (cancelled) return;
        const ended = error instanceof ApiError && error.code === 'UNAUTHENTICATED';
        setState({ status: 'anonymous', notice: ended ? 'sessionEnded' : null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const logIn = useCallback(
    async (email: string, password: string) => {
      const session = await api.logIn(email, password);
      setChangedByUser(true);
      setState({ status: 'authenticated', me: session.me, expiresAt: session.expiresAt });
    },
    [api],
  );

  const logOut = useCallback(async () => {
    try {
      await api.logOut();
    } catch {
      // The session is forgotten here either way; the server's expires on its own.
    }
    setChangedByUser(true);
    setState({ status: 'anonymous', notice: 'loggedOut' });
  }, [api]);

  const value = useMemo<Session>(
    () => ({ api, state, changedByUser, logIn, logOut }),
    [api, state, changedByUser, logIn, logOut],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside <SessionProvider>');
  return session;
}
