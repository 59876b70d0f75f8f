import type { IntelFeedConfig } from '../../config/intel.js';
import type { IntelHub } from './feeds.js';
import { parseFeed } from './feeds.js';

export type FeedLog = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

interface FeedState {
  etag?: string;
  lastModified?: string;
  nextAt: number;
}

export interface FeedRefresher {
  /** Fetch every HTTP feed that is due at `now` (ms); resolves when all are done. */
  refreshDue(now: number): Promise<void>;
}

/**
 * Conditional re-fetching of HTTP feeds: the ETag and Last-Modified of the last good answer go
 * back as If-None-Match / If-Modified-Since, so an unchanged feed costs one 304 and no parse.
 * A failed fetch keeps the previous indicators and retries at the next interval. Time comes
 * from the caller (the daemon add-on's timer), never read here.
 */
export function createFeedRefresher(opts: {
  feeds: readonly IntelFeedConfig[];
  hub: IntelHub;
  log: FeedLog;
  fetch?: typeof fetch;
}): FeedRefresher {
  const doFetch = opts.fetch ?? fetch;
  const state = new Map<string, FeedState>();
  const http = opts.feeds.filter((f) => f.url !== undefined);

  async function refreshOne(feed: IntelFeedConfig, now: number): Promise<void> {
    const st = state.get(feed.name) ?? { nextAt: 0 };
    state.set(feed.name, st);
    if (st.nextAt > now) return;
    st.nextAt = now + feed.refresh * 1000;
    const headers: Record<string, string> = {};
    if (st.etag !== undefined) headers['if-none-match'] = st.etag;
    if (st.lastModified !== undefined) headers['if-modified-since'] = st.lastModified;
    try {
      const res = await doFetch(feed.url!, { headers, signal: AbortSignal.timeout(30_000) });
      if (res.status === 304) {
        await res.body?.cancel();
        opts.log('info', 'intel feed unchanged', { feed: feed.name });
        return;
      }
      if (!res.ok) {
        await res.body?.cancel();
        opts.log('warn', 'intel feed fetch failed', { feed: feed.name, status: res.status });
        return;
      }
      const text = await res.text();
      const loaded = parseFeed(feed, text, now);
      opts.hub.replace(feed.name, loaded.indicators);
      const etag = res.headers.get('etag');
      const lm = res.headers.get('last-modified');
      if (etag !== null) st.etag = etag;
      else delete st.etag;
      if (lm !== null) st.lastModified = lm;
      else delete st.lastModified;
      opts.log('info', 'intel feed loaded', {
        feed: feed.name,
        indicators: loaded.indicators.length,
        skipped: loaded.skipped,
      });
    } catch (err) {
      opts.log('warn', 'intel feed fetch failed', {
        feed: feed.name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  return {
    async refreshDue(now) {
      await Promise.all(http.map((f) => refreshOne(f, now)));
    },
  };
}
