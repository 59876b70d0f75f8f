import { FIRE, type KindHandler, type KindState, POURED } from './handler.js';
import { TimeHeap } from './time-heap.js';

/**
 * Source value -> last time seen, with a heap holding one entry per source so that expiring
 * sources costs O(log n) per expired source instead of a scan of every source on every event (a
 * botnet bucket holds thousands). A source seen again keeps its older heap entry; when that entry
 * comes due it is pushed back with the newer time. Snapshots keep the `{ src: { value: time } }`
 * JSON of snapshot version 1.
 */
class DistributedState {
  readonly src = new Map<string, number>();
  /** Largest time in `src` (-Infinity when empty): drained once it is a window old. */
  maxLast = Number.NEGATIVE_INFINITY;
  readonly heap = new TimeHeap<string>();

  set(value: string, time: number): void {
    if (!this.src.has(value)) this.heap.push(time, value);
    this.src.set(value, time);
    if (time > this.maxLast) this.maxLast = time;
  }

  /** Drop every source last seen a window or more before `now`. */
  prune(now: number, windowMs: number): void {
    const heap = this.heap;
    while (heap.size > 0 && now - heap.peek() >= windowMs) {
      const time = heap.peek();
      const name = heap.peekItem();
      heap.pop();
      const last = this.src.get(name)!;
      if (last === time) this.src.delete(name);
      else heap.push(last, name); // seen again since: due later (maybe still in this loop)
    }
    if (this.src.size === 0) this.maxLast = Number.NEGATIVE_INFINITY;
  }

  toJSON(): { src: Record<string, number> } {
    const src: Record<string, number> = Object.create(null);
    for (const [k, v] of this.src) src[k] = v;
    return { src };
  }
}

function revive(raw: object): DistributedState | undefined {
  const src = (raw as { src?: unknown }).src;
  if (typeof src !== 'object' || src === null || Array.isArray(src)) return undefined;
  const s = new DistributedState();
  for (const k of Object.keys(src)) {
    const v = (src as Record<string, unknown>)[k];
    if (typeof v === 'number') s.set(k, v);
  }
  return s;
}

/**
 * Many sources against one target: a botnet spreading password guesses over hundreds of
 * addresses stays under every per-address bucket, but not under a count of distinct sources
 * per target host or user within a sliding window.
 */
export function createDistributedHandler(windowMs: number, threshold: number): KindHandler {
  return {
    init: (): KindState => new DistributedState(),
    reset(state) {
      const s = state as DistributedState;
      s.src.clear();
      s.heap.clear();
      s.maxLast = Number.NEGATIVE_INFINITY;
      return s;
    },
    drained(state, now) {
      const s = state as DistributedState;
      return s.src.size === 0 || now - s.maxLast >= windowMs;
    },
    drainsAt(state) {
      const s = state as DistributedState;
      return s.src.size === 0 ? Number.NEGATIVE_INFINITY : s.maxLast + windowMs;
    },
    pour(state, t, value) {
      const s = state as DistributedState;
      if (value === undefined) return POURED;
      s.prune(t, windowMs);
      const prev = s.src.get(value);
      const n = s.src.size + (prev === undefined ? 1 : 0);
      if (prev === undefined) s.set(value, t);
      else if (t > prev) s.set(value, t);
      return n >= threshold ? FIRE : POURED;
    },
    sources: (state) => (state as DistributedState).src.size,
    revive,
  };
}
