import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { api } from './api.js';

/** The current `#/path` (hash routing: the daemon serves one index.html). */
const readRoute = () => (window.location.hash.replace(/^#\/?/, '') || 'overview').split('/');

export function useRoute(): string[] {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const on = () => setRoute(readRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Bumped on every live event: views refetch when something they show may have changed. */
export const LiveContext = createContext<{ tick: number; live: boolean }>({ tick: 0, live: false });

export function useLive() {
  return useContext(LiveContext);
}

/** GET a resource; refetched when the live stream reports a change (throttled) or on demand. */
export function useResource<T>(path: string | null, opts: { live?: boolean } = {}) {
  const { tick } = useLive();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [n, setN] = useState(0);
  const reload = useCallback(() => setN((x) => x + 1), []);
  const dep = opts.live === false ? 0 : tick;
  // biome-ignore lint/correctness/useExhaustiveDependencies: dep and n are refetch triggers
  useEffect(() => {
    if (!path) return;
    let stale = false;
    api<T>(path)
      .then((d) => {
        if (!stale) {
          setData(d);
          setError(undefined);
        }
      })
      .catch((e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stale = true;
    };
  }, [path, dep, n]);
  return { data, error, reload };
}

/**
 * A write from a page: POST, then say what was done (or why it failed) and refetch what the
 * page shows. One place for the message/error pair every acting page needs.
 */
export function useAction(reload: () => void) {
  const [msg, setMsg] = useState<string | undefined>();
  const [err, setErr] = useState<string | undefined>();
  const act = useCallback(
    async (what: string, path: string, body?: unknown) => {
      setErr(undefined);
      try {
        await api(path, { method: 'POST', ...(body === undefined ? {} : { body }) });
        setMsg(what);
        reload();
      } catch (e) {
        setErr(e instanceof Error ? e.message : String(e));
      }
    },
    [reload],
  );
  return { msg, err, act };
}
