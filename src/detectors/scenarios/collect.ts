import type { Bucket } from './bucket.js';
import type { Runtime } from './runtime.js';
import { bucketAt, holeAt, liveBuckets, NO_HOLE, removeBucket, removeHole } from './slots.js';

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
  const list = rt.bySlot;
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (b !== undefined && drained(b.k, t)) {
      removeBucket(rt, i);
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
      if (bucketAt(rt, b.slot) !== b) {
        release(rt, b);
        continue;
      }
      if (drained(b.k, t)) {
        removeBucket(rt, b.slot);
        collected++;
        release(rt, b);
      } else {
        b.queued++;
        const at = drainsAt(b.k);
        heap.push(at > t ? at : t + SWEEP_EVERY_MS, b);
      }
    }
  }
  if (heap.size > 2 * rt.size + STALE_SLACK) rebuildExpiry(rt);
  const holes = rt.holeExpiry;
  while (holes.peek() <= t) {
    const until = holes.peek();
    const slot = holes.peekItem();
    holes.pop();
    // A stale entry may name a slot recycled for another key since: it can only remove a
    // blackhole ending at this same time, one already due.
    if (holeAt(rt, slot) === until) removeHole(rt, slot);
  }
  if (holes.size > 2 * rt.holeCount + STALE_SLACK) rebuildHoleExpiry(rt);
  return collected;
}

/** Rebuild the expiry heap from the live buckets (after a restore, or to drop stale entries). */
export function rebuildExpiry(rt: Runtime): void {
  if (rt.closeMode) return;
  const pairs: [Bucket, number][] = [];
  for (const b of liveBuckets(rt)) {
    pairs.push([b, rt.handler.drainsAt(b.k)]);
    b.queued = 1;
  }
  // Buckets out of the map keep their count: never recycled, left to the GC.
  rt.expiry.rebuild(pairs);
}

/** Rebuild the blackhole heap from the live blackholes. */
export function rebuildHoleExpiry(rt: Runtime): void {
  const pairs: [number, number][] = [];
  const holes = rt.holes;
  for (let i = 0; i < holes.length; i++) if (holes[i] !== NO_HOLE) pairs.push([i, holes[i]!]);
  rt.holeExpiry.rebuild(pairs);
}

/** Evict the least recently touched bucket; false when there is none. */
export function evictLeastRecent(rt: Runtime): boolean {
  let oldest = -1;
  let stamp = Number.POSITIVE_INFINITY;
  const list = rt.bySlot;
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (b !== undefined && b.touched < stamp) {
      stamp = b.touched;
      oldest = i;
    }
  }
  if (oldest < 0) return false;
  removeBucket(rt, oldest);
  return true;
}
