import type { Clock } from '../core/clock.js';
import type { RuntimeView } from './runtime-view.js';

export interface SeriesPoint {
  readonly t: number;
  readonly eventsPerS: number;
  readonly linesPerS: number;
  /** Detections and decisions within the step. */
  readonly detections: number;
  readonly decisions: number;
}

/**
 * A ring of recent throughput samples for the dashboard's charts (events/s and detections
 * over time): differences of the live counters, every `stepMs`, the last `size` kept.
 */
export function createSeries(deps: { runtime: RuntimeView; clock: Clock; stepMs?: number; size?: number }) {
  const size = deps.size ?? 900;
  const points: SeriesPoint[] = [];
  let prev = { t: deps.clock.now(), ...pick(deps.runtime.stats()) };
  let timer: NodeJS.Timeout | undefined;

  function pick(s: ReturnType<RuntimeView['stats']>) {
    return { events: s.events, lines: s.lines, detections: s.detections, decisions: s.decisions };
  }

  function sample(): void {
    const now = deps.clock.now();
    const cur = { t: now, ...pick(deps.runtime.stats()) };
    const dt = Math.max(0.001, (now - prev.t) / 1000);
    points.push({
      t: now,
      // A restarted pipeline (rebuilt after a failed commit) may report lower counters: clamp.
      eventsPerS: Math.max(0, cur.events - prev.events) / dt,
      linesPerS: Math.max(0, cur.lines - prev.lines) / dt,
      detections: Math.max(0, cur.detections - prev.detections),
      decisions: Math.max(0, cur.decisions - prev.decisions),
    });
    if (points.length > size) points.splice(0, points.length - size);
    prev = cur;
  }

  return {
    sample,
    points: (): readonly SeriesPoint[] => points,
    start() {
      timer ??= setInterval(sample, deps.stepMs ?? 2000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type Series = ReturnType<typeof createSeries>;
