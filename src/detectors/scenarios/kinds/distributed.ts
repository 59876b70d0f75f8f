import { FIRE, type KindHandler, type KindState, POURED } from './handler.js';

interface DistributedState extends KindState {
  /** Source value -> last time seen. */
  src: Record<string, number>;
}

function prune(s: DistributedState, now: number, windowMs: number): number {
  let n = 0;
  for (const k of Object.keys(s.src)) {
    if (now - s.src[k]! >= windowMs) delete s.src[k];
    else n++;
  }
  return n;
}

/**
 * Many sources against one target: a botnet spreading password guesses over hundreds of
 * addresses stays under every per-address bucket, but not under a count of distinct sources
 * per target host or user within a sliding window.
 */
export function createDistributedHandler(windowMs: number, threshold: number): KindHandler {
  return {
    init: () => ({ src: {} }) as DistributedState,
    drained(state, now) {
      const s = state as DistributedState;
      for (const k in s.src) if (now - s.src[k]! < windowMs) return false;
      return true;
    },
    pour(state, t, value) {
      const s = state as DistributedState;
      if (value === undefined) return POURED;
      const n = prune(s, t, windowMs) + (value in s.src ? 0 : 1);
      s.src[value] = Math.max(t, s.src[value] ?? t);
      return n >= threshold ? FIRE : POURED;
    },
    sources: (state) => Object.keys((state as DistributedState).src).length,
  };
}
