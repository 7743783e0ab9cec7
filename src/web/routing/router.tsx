import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { type Route, routeOf } from './routes.ts';

interface Place {
  readonly pathname: string;
  readonly search: string;
  /** What the page that navigated here left for the next one (a notice), kept in history.state. */
  readonly state: unknown;
}

export interface NavigateOptions {
  /** Replaces the current entry instead of adding one (a redirect, a changed filter). */
  readonly replace?: boolean;
  readonly state?: unknown;
}

export interface Router {
  readonly route: Route;
  readonly state: unknown;
  /** True once the user moved inside the app: pages then move focus to their heading. */
  readonly navigated: boolean;
  navigate(to: string, options?: NavigateOptions): void;
}

const RouterContext = createContext<Router | null>(null);

function currentPlace(): Place {
  return {
    pathname: window.location.pathname,
    search: window.location.search,
    state: (window.history.state as { app?: unknown } | null)?.app ?? null,
  };
}

/**
 * Client-side routing on the History API: the address bar is the state, the back button works,
 * and every page has a deep link (the server answers index.html for any non-API address).
 */
export function RouterProvider({ children }: { readonly children: ReactNode }) {
  const [place, setPlace] = useState<Place>(currentPlace);
  const [navigated, setNavigated] = useState(false);

  useEffect(() => {
    const onPopState = () => {
      setPlace(currentPlace());
      setNavigated(true);
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((to: string, options: NavigateOptions = {}) => {
    const url = new URL(to, window.location.href);
    const entry = { app: options.state ?? null };
    if (options.replace) window.history.replaceState(entry, '', url);
    else window.history.pushState(entry, '', url);
    window.scrollTo(0, 0);
    setPlace({ pathname: url.pathname, search: url.search, state: entry.app });
    setNavigated(true);
  }, []);

  const route = useMemo(() => routeOf(place.pathname, place.search), [place.pathname, place.search]);
  const value = useMemo<Router>(
    () => ({ route, state: place.state, navigated, navigate }),
    [route, place.state, navigated, navigate],
  );
  return <RouterContext value={value}>{children}</RouterContext>;
}

export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter is used outside <RouterProvider>');
  return router;
}

/** A real link (it opens in a new tab, it can be copied) that moves inside the app without a reload. */
export function Link({
  href,
  onClick,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { readonly href: string }) {
  const { navigate } = useRouter();
  function follow(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (rest.target && rest.target !== '_self')
    ) {
      return;
    }
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} onClick={follow} {...rest} />;
}
