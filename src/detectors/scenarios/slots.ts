import type { Bucket } from './bucket.js';
import type { Runtime } from './runtime.js';

/** `Runtime.holes` value of a slot without a blackhole. */
export const NO_HOLE = Number.NEGATIVE_INFINITY;

/**
 * A runtime's bucket and blackhole per key slot (see key-table.ts). Every put and remove keeps
 * the slot's holder count, the runtime's counts and the arrays' bounds consistent: the rest of
 * the engine never writes `bySlot` or `holes` directly.
 */

/** The runtime's bucket on a slot; undefined when none (or for -1, a key without a slot). */
export function bucketAt(rt: Runtime, slot: number): Bucket | undefined {
  return slot >= 0 && slot < rt.bySlot.length ? rt.bySlot[slot] : undefined;
}

/** End of the runtime's blackhole on a slot, NO_HOLE when none. */
export function holeAt(rt: Runtime, slot: number): number {
  return slot >= 0 && slot < rt.holes.length ? rt.holes[slot]! : NO_HOLE;
}

/** Put `b` on `slot` (which must have no bucket of this runtime). */
export function putBucket(rt: Runtime, slot: number, b: Bucket): void {
  const list = rt.bySlot;
  while (list.length <= slot) list.push(undefined);
  list[slot] = b;
  b.slot = slot;
  rt.size++;
  rt.keys.hold(slot);
}

/** Remove the runtime's bucket from `slot`; false when there was none. */
export function removeBucket(rt: Runtime, slot: number): boolean {
  if (bucketAt(rt, slot) === undefined) return false;
  rt.bySlot[slot] = undefined;
  rt.size--;
  rt.keys.drop(slot);
  return true;
}

/** Set (or move) the runtime's blackhole on `slot`. */
export function putHole(rt: Runtime, slot: number, until: number): void {
  if (slot >= rt.holes.length) {
    const grown = new Float64Array(Math.max(64, 2 * rt.holes.length, slot + 1)).fill(NO_HOLE);
    grown.set(rt.holes);
    rt.holes = grown;
  }
  if (rt.holes[slot] === NO_HOLE) {
    rt.holeCount++;
    rt.keys.hold(slot);
  }
  rt.holes[slot] = until;
}

/** Remove the runtime's blackhole from `slot` (if any). */
export function removeHole(rt: Runtime, slot: number): void {
  if (holeAt(rt, slot) === NO_HOLE) return;
  rt.holes[slot] = NO_HOLE;
  rt.holeCount--;
  rt.keys.drop(slot);
}

/** The runtime's buckets, in slot order (no meaning): for the rare whole-scenario passes. */
export function liveBuckets(rt: Runtime): Bucket[] {
  const out: Bucket[] = [];
  const list = rt.bySlot;
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (b !== undefined) out.push(b);
  }
  return out;
}

/** The runtime's blackholes as [key, until] pairs, by key (a stable order for snapshots). */
export function liveHoles(rt: Runtime): [string, number][] {
  const out: [string, number][] = [];
  const holes = rt.holes;
  for (let i = 0; i < holes.length; i++) if (holes[i] !== NO_HOLE) out.push([rt.keys.keyAt(i), holes[i]!]);
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

/** Empty the runtime's slots, along with a `KeyTable.clear()` of the table (a restore). */
export function forgetSlots(rt: Runtime): void {
  rt.bySlot = [];
  rt.size = 0;
  rt.holes = new Float64Array(0);
  rt.holeCount = 0;
}
