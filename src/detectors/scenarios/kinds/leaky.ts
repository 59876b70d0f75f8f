import {
  arrayWithRoom,
  FIRE,
  forgetRecent,
  type KindHandler,
  POURED,
  type RecentValues,
  rememberDistinct,
  SKIP,
} from './handler.js';

interface LeakyState extends RecentValues {
  /** Level in milliseconds of leak: each event adds `leakMs`, time drains it one for one. */
  lvl: number;
  at: number;
  recent?: string[];
}

/**
 * CrowdSec's leaky bucket: each event adds one unit, the bucket leaks one unit per `leakspeed`
 * continuously, and it overflows (fires) when the level exceeds `capacity`. Kept in integer
 * milliseconds so the overflow decision has no rounding drift.
 */
export function createLeakyHandler(capacity: number, leakMs: number, distinct: boolean): KindHandler {
  const limit = capacity * leakMs;
  const recentCap = Math.max(1, capacity);
  return {
    init(t) {
      const s: LeakyState = { lvl: 0, at: t };
      if (distinct) s.recent = arrayWithRoom(recentCap);
      return s;
    },
    reset(state, t) {
      const s = state as LeakyState;
      s.lvl = 0;
      s.at = t;
      forgetRecent(s);
      return s;
    },
    drained(state, now) {
      const s = state as LeakyState;
      return s.lvl - Math.max(0, now - s.at) <= 0;
    },
    drainsAt(state) {
      const s = state as LeakyState;
      return s.at + s.lvl;
    },
    pour(state, t, value) {
      const s = state as LeakyState;
      if (t > s.at) {
        s.lvl = Math.max(0, s.lvl - (t - s.at));
        s.at = t;
      }
      // CrowdSec `distinct`: a value already among the last `capacity` events is not poured.
      if (s.recent && value !== undefined && !rememberDistinct(s, s.recent, value, recentCap)) return SKIP;
      s.lvl += leakMs;
      return s.lvl > limit ? FIRE : POURED;
    },
  };
}
