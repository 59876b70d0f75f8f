import {
  arrayWithRoom,
  emptyArray,
  FIRE,
  forgetRecent,
  type KindHandler,
  POURED,
  type RecentValues,
  rememberDistinct,
  SKIP,
} from './handler.js';

interface CadenceState extends RecentValues {
  times: number[];
  last: number;
  recent?: string[];
}

const RECENT_CAP = 256;

/**
 * Median of the gaps between consecutive `times`, sorted in a reused scratch array: no
 * allocation per event (the window is `minEvents` long, a handful of values).
 */
function medianGap(times: readonly number[], scratch: Float64Array): number {
  const n = times.length - 1;
  for (let i = 0; i < n; i++) {
    const g = times[i + 1]! - times[i]!;
    let j = i;
    while (j > 0 && scratch[j - 1]! > g) {
      scratch[j] = scratch[j - 1]!;
      j--;
    }
    scratch[j] = g;
  }
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? scratch[mid]! : (scratch[mid - 1]! + scratch[mid]!) / 2;
}

/**
 * Time-based brute force (CrowdSec ssh-time-based-bf): attempts spaced out to stay under rate
 * limits. Fires when the last `minEvents` events have a median gap above `minMedianInterval`;
 * a burst (small median gap) is the leaky buckets' job, and a key silent for `idle` starts over.
 */
export function createCadenceHandler(
  minEvents: number,
  minMedianIntervalMs: number,
  idleMs: number,
  distinct: boolean,
): KindHandler {
  const scratch = new Float64Array(Math.max(1, minEvents));
  return {
    init(t) {
      const s: CadenceState = { times: arrayWithRoom(minEvents), last: t };
      if (distinct) s.recent = arrayWithRoom(minEvents);
      return s;
    },
    reset(state, t) {
      const s = state as CadenceState;
      emptyArray(s.times);
      s.last = t;
      forgetRecent(s);
      return s;
    },
    drained(state, now) {
      const s = state as CadenceState;
      return s.times.length === 0 || now - s.last >= idleMs;
    },
    drainsAt(state) {
      const s = state as CadenceState;
      return s.times.length === 0 ? Number.NEGATIVE_INFINITY : s.last + idleMs;
    },
    pour(state, t, value) {
      const s = state as CadenceState;
      if (s.recent && value !== undefined && !rememberDistinct(s, s.recent, value, RECENT_CAP)) return SKIP;
      const at = Math.max(t, s.last);
      const times = s.times;
      // The last `minEvents` times, slid in place (push + shift reallocates the backing store).
      const n = times.length;
      if (n >= minEvents) {
        for (let i = 1; i < n; i++) times[i - 1] = times[i]!;
        times[n - 1] = at;
      } else times.push(at);
      s.last = at;
      if (times.length < minEvents) return POURED;
      return medianGap(times, scratch) > minMedianIntervalMs ? FIRE : POURED;
    },
  };
}
