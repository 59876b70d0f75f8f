import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IntelFeedConfig } from '../../config/intel.js';
import { type Indicator, IndicatorSet } from './indicators.js';
import { type LoadResult, loadCsv, loadMisp, loadPlain, loadStix } from './loaders.js';

/** Parse a feed body in the feed's format. */
export function parseFeed(feed: IntelFeedConfig, text: string, now: number): LoadResult {
  switch (feed.format) {
    case 'plain':
      return loadPlain(text);
    case 'csv':
      return loadCsv(text, {
        column: feed.csv?.column ?? 0,
        delimiter: feed.csv?.delimiter ?? ',',
        header: feed.csv?.header ?? false,
      });
    case 'stix':
      return loadStix(text, now);
    case 'misp':
      return loadMisp(text);
  }
}

/**
 * Read a file feed. A MISP feed folder (manifest.json beside one JSON file per event) is read
 * event by event, as MISP publishes it.
 */
export function readFeedFile(feed: IntelFeedConfig, baseDir: string, now: number): LoadResult {
  const p = path.resolve(baseDir, feed.path ?? '');
  if (statSync(p).isDirectory()) {
    const indicators: Indicator[] = [];
    let skipped = 0;
    const manifest = path.join(p, 'manifest.json');
    const uuids = existsSync(manifest)
      ? Object.keys(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>)
      : readdirSync(p)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5));
    for (const u of uuids) {
      const f = path.join(p, `${u}.json`);
      if (!existsSync(f)) {
        skipped++;
        continue;
      }
      const r = parseFeed(feed, readFileSync(f, 'utf8'), now);
      indicators.push(...r.indicators);
      skipped += r.skipped;
    }
    return { indicators, skipped };
  }
  return parseFeed(feed, readFileSync(p, 'utf8'), now);
}

/**
 * The current indicators of every feed. Feeds are replaced whole (a refresh that drops an
 * entry drops it here), and the combined index is rebuilt on each replacement; readers hold
 * on to `current` for one lookup only, so a swap is atomic for them.
 */
export class IntelHub {
  private readonly feeds = new Map<string, readonly Indicator[]>();
  private set = new IndicatorSet();

  get current(): IndicatorSet {
    return this.set;
  }

  replace(feed: string, indicators: readonly Indicator[]): void {
    this.feeds.set(feed, indicators);
    const next = new IndicatorSet();
    for (const [name, list] of this.feeds) for (const ind of list) next.add(name, ind);
    this.set = next;
  }

  has(feed: string): boolean {
    return this.feeds.has(feed);
  }
}

/** The process-wide hub: `leuko run`'s refresh add-on writes it, the pipeline's intel detector reads it. */
export const intelHub = new IntelHub();
