import { emptyArray, FIRE, type KindHandler, POURED, SKIP } from './handler.js';

interface SlidingState {
  /** Times of counted events still inside the window (at most `threshold`). */
  times: number[];
  /** Value -> last time, for `distinct` (dedupe) and `count_distinct`. */
  vals?: Record<string, number>;
}

interface FixedState {
  start: number;
  n: number;
  vals?: Record<string, number>;
}

function pruneVals(vals: Record<string, number>, now: number, windowMs: number): number {
  let n = 0;
  // for-in without a key array: deleting the visited key is allowed and not revisited.
  for (const k in vals) {
    if (now - vals[k]! >= windowMs) delete vals[k];
    else n++;
  }
  return n;
}

/**
 * `threshold` events (or distinct values with `count_distinct`) within `window`. Sliding windows
 * look back from each event; fixed windows start at a key's first event and either fire as soon
 * as the threshold is met or report once at the window's end (`report: close`).
 */
export function createWindowHandler(
  windowMs: number,
  threshold: number,
  mode: 'sliding' | 'fixed',
  report: 'threshold' | 'close',
  valueMode: 'none' | 'distinct' | 'count',
): KindHandler {
  if (mode === 'sliding') {
    return {
      init: () => (valueMode === 'none' ? { times: [] } : { times: [], vals: {} }) as SlidingState,
      reset(state) {
        const s = state as SlidingState;
        emptyArray(s.times);
        if (s.vals) s.vals = {};
        return s;
      },
      drained(state, now) {
        const s = state as SlidingState;
        const lastT = s.times[s.times.length - 1];
        if (lastT !== undefined && now - lastT < windowMs) return false;
        if (s.vals) for (const k in s.vals) if (now - s.vals[k]! < windowMs) return false;
        return true;
      },
      drainsAt(state) {
        const s = state as SlidingState;
        let latest = s.times.length > 0 ? s.times[s.times.length - 1]! : Number.NEGATIVE_INFINITY;
        if (s.vals) for (const k in s.vals) if (s.vals[k]! > latest) latest = s.vals[k]!;
        return latest + windowMs;
      },
      pour(state, t, value) {
        const s = state as SlidingState;
        while (s.times.length > 0 && t - s.times[0]! >= windowMs) s.times.shift();
        if (valueMode === 'count' && s.vals && value !== undefined) {
          const n = pruneVals(s.vals, t, windowMs) + (value in s.vals ? 0 : 1);
          s.vals[value] = Math.max(t, s.vals[value] ?? t);
          s.times.push(t);
          if (s.times.length > threshold) s.times.shift();
          return n >= threshold ? FIRE : POURED;
        }
        if (valueMode === 'distinct' && s.vals && value !== undefined) {
          pruneVals(s.vals, t, windowMs);
          if (value in s.vals) return SKIP;
          s.vals[value] = t;
        }
        s.times.push(t);
        if (s.times.length > threshold) s.times.shift();
        return s.times.length >= threshold ? FIRE : POURED;
      },
    };
  }
  const reached = (s: FixedState) => (valueMode === 'count' ? Object.keys(s.vals ?? {}).length : s.n) >= threshold;
  return {
    init: (t) => (valueMode === 'none' ? { start: t, n: 0 } : { start: t, n: 0, vals: {} }) as FixedState,
    reset(state, t) {
      const s = state as FixedState;
      s.start = t;
      s.n = 0;
      if (s.vals) s.vals = {};
      return s;
    },
    drained: (state, now) => now - (state as FixedState).start >= windowMs,
    drainsAt: (state) => (state as FixedState).start + windowMs,
    pour(state, _t, value) {
      const s = state as FixedState;
      if (valueMode !== 'none' && s.vals && value !== undefined) {
        if (value in s.vals) {
          if (valueMode === 'distinct') return SKIP;
        } else s.vals[value] = 1;
      }
      s.n++;
      return report === 'threshold' && reached(s) ? FIRE : POURED;
    },
    endsAt: (state) => (state as FixedState).start + windowMs,
    closeReady: (state) => reached(state as FixedState),
  };
}
