import type { Bucket } from './bucket.js';
import type { Runtime } from './runtime.js';

/** How far event time moves between garbage-collection sweeps. */
export const SWEEP_EVERY_MS = 60_000;
/** Stale entries (fired, cancelled, evicted buckets) allowed in an expiry heap before a rebuild. */
const STALE_SLACK = 64;
/**
 * Spare buckets kept per scenario. Buckets drain and refill all day (a sweep frees hundreds,
 * the next minute's traffic needs them again), and each one lives long enough to be promoted to
 * the old generation: reusing them spares the GC most of the engine's allocation. Bounded, so an
 * idle engine holds little.
 */
const SPARE_CAP = 1024;

/** Keep a bucket that left the map for reuse, once no expiry-heap entry names it any more. */
export function release(rt: Runtime, b: Bucket): void {
  if (b.queued !== 0 || rt.closeMode || rt.spare.length >= SPARE_CAP) return;
  b.clear();
  rt.spare.push(b);
}

/** Put a new bucket in the expiry heap, at the time it drains. */
export function enqueue(rt: Runtime, b: Bucket): void {
  rt.expiry.push(rt.handler.drainsAt(b.k), b);
  b.queued++;
}

/** Delete every drained bucket (a scan of all of them): before evicting live state. */
export function collectAll(rt: Runtime, t: number): number {
  let collected = 0;
  if (rt.closeMode) return 0;
  const drained = rt.handler.drained;
  // Keys, not entries: an entry iterator allocates a [key, value] pair per bucket.
  for (const key of rt.buckets.keys()) {
    if (drained(rt.buckets.get(key)!.k, t)) {
      rt.buckets.delete(key);
      collected++;
    }
  }
  return collected;
}

/** Delete the buckets and blackholes that are due by `t`, from the expiry heaps. */
export function collectDue(rt: Runtime, t: number): number {
  let collected = 0;
  const heap = rt.expiry;
  if (heap.peek() <= t) {
    const { drained, drainsAt } = rt.handler;
    while (heap.peek() <= t) {
      const b = heap.peekItem();
      heap.pop();
      b.queued--;
      if (rt.buckets.get(b.key) !== b) {
        release(rt, b);
        continue;
      }
      if (drained(b.k, t)) {
        rt.buckets.delete(b.key);
        collected++;
        release(rt, b);
      } else {
        b.queued++;
        const at = drainsAt(b.k);
        heap.push(at > t ? at : t + SWEEP_EVERY_MS, b);
      }
    }
  }
  if (heap.size > 2 * rt.buckets.size + STALE_SLACK) rebuildExpiry(rt);
  const holes = rt.holeExpiry;
  while (holes.peek() <= t) {
    const until = holes.peek();
    const key = holes.peekItem();
    holes.pop();
    if (rt.blackholes.get(key) === until) rt.blackholes.delete(key);
  }
  if (holes.size > 2 * rt.blackholes.size + STALE_SLACK) holes.rebuild(rt.blackholes);
  return collected;
}

/** Rebuild the expiry heap from the live buckets (after a restore, or to drop stale entries). */
export function rebuildExpiry(rt: Runtime): void {
  if (rt.closeMode) return;
  const pairs: [Bucket, number][] = [];
  for (const b of rt.buckets.values()) {
    pairs.push([b, rt.handler.drainsAt(b.k)]);
    b.queued = 1;
  }
  // Buckets out of the map keep their count: never recycled, left to the GC.
  rt.expiry.rebuild(pairs);
}

/** Evict the least recently touched bucket; false when there is none. */
export function evictLeastRecent(rt: Runtime): boolean {
  let oldest: string | undefined;
  let stamp = Number.POSITIVE_INFINITY;
  for (const key of rt.buckets.keys()) {
    const touched = rt.buckets.get(key)!.touched;
    if (touched < stamp) {
      stamp = touched;
      oldest = key;
    }
  }
  if (oldest === undefined) return false;
  rt.buckets.delete(oldest);
  return true;
}
