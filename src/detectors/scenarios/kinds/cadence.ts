import { FIRE, type KindHandler, type KindState, POURED, rememberDistinct, SKIP } from './handler.js';

interface CadenceState extends KindState {
  times: number[];
  last: number;
  recent?: string[];
}

const RECENT_CAP = 256;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
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
  return {
    init(t) {
      const s: CadenceState = { times: [], last: t };
      if (distinct) s.recent = [];
      return s;
    },
    drained(state, now) {
      const s = state as CadenceState;
      return s.times.length === 0 || now - s.last >= idleMs;
    },
    pour(state, t, value) {
      const s = state as CadenceState;
      if (s.recent && value !== undefined && !rememberDistinct(s.recent, value, RECENT_CAP)) return SKIP;
      s.times.push(Math.max(t, s.last));
      s.last = Math.max(t, s.last);
      if (s.times.length > minEvents) s.times.shift();
      if (s.times.length < minEvents) return POURED;
      const gaps: number[] = [];
      for (let i = 1; i < s.times.length; i++) gaps.push(s.times[i]! - s.times[i - 1]!);
      return median(gaps) > minMedianIntervalMs ? FIRE : POURED;
    },
  };
}
