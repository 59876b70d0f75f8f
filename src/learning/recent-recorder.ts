import type { Detector } from '../core/detector.js';
import type { LearningRepo } from './learning-repo.js';
import type { RecentLine } from './types.js';

const FLUSH_AT = 2000;
const MAX_LINE = 8192;

/**
 * Keeps the raw lines the pipeline sees in the bounded `recent_events` ring, so a proposed
 * suppression can be replayed against what really happened (leuko feedback). Lines are
 * buffered and written in one transaction per FLUSH_AT lines (and at every tick, which replays
 * and the daemon's quiet periods send), keeping the per-line cost to an array push. After a
 * crash the unflushed tail is missing from the ring: it is a what-if aid, not evidence (the
 * detections keep their own evidence lines).
 */
export function createRecentRecorder(opts: {
  repo: () => LearningRepo;
  max: number;
  maxAgeMs: number;
}): Detector & { flush(): void } {
  let buffer: RecentLine[] = [];
  let newest = 0;
  function flush(): void {
    if (buffer.length === 0) return;
    const lines = buffer;
    buffer = [];
    opts.repo().appendRecent(lines, { max: opts.max, minTime: newest - opts.maxAgeMs });
  }
  return {
    name: 'recent-events',
    process(obs) {
      const line = obs.event.message;
      buffer.push({
        time: obs.time,
        sourceId: obs.sourceId,
        line: line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line,
      });
      if (obs.time > newest) newest = obs.time;
      if (buffer.length >= FLUSH_AT) flush();
      return [];
    },
    tick() {
      flush();
      return [];
    },
    flush,
  };
}
