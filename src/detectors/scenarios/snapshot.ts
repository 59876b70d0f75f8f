import { LeukoError } from '../../core/errors.js';
import { Bucket, isBucket } from './bucket.js';
import { rebuildExpiry, rebuildHoleExpiry } from './collect.js';
import type { Runtime } from './runtime.js';
import { bucketAt, forgetSlots, liveBuckets, liveHoles, putBucket, putHole, removeBucket } from './slots.js';

/**
 * Version 1: `{ v, now, s: { [scenario]: { kind, b: [key, bucket][], h: [key, until][] } } }`,
 * buckets least recently touched first (blackholes in no particular order; written by key). Live
 * states that are not plain JSON (distributed sources) write and read this same format, so
 * snapshots move freely between engine versions.
 */
const SNAPSHOT_VERSION = 1;

export function writeSnapshot(runtimes: readonly Runtime[], now: number): string {
  const state: Record<string, unknown> = {};
  for (const rt of runtimes) {
    if (rt.size === 0 && rt.holeCount === 0) continue;
    // Least recently touched first: restoring in this order restores the recency order.
    const b = liveBuckets(rt)
      .sort((x, y) => x.touched - y.touched)
      .map((x) => [x.key, x]);
    state[rt.sc.name] = { kind: rt.sc.params.kind, b, h: liveHoles(rt) };
  }
  return JSON.stringify({ v: SNAPSHOT_VERSION, now: Number.isFinite(now) ? now : null, s: state });
}

/** Replace the state of every runtime by the snapshot's; returns the snapshot's event time. */
export function readSnapshot(runtimes: readonly Runtime[], text: string): number {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new LeukoError('STORE_FAILED', 'scenario engine snapshot is not valid JSON', { cause: err });
  }
  const d = data as { v?: unknown; now?: unknown; s?: unknown };
  if (typeof d !== 'object' || d === null || d.v !== SNAPSHOT_VERSION || typeof d.s !== 'object' || d.s === null) {
    throw new LeukoError('STORE_FAILED', 'unsupported scenario engine snapshot', { details: { version: d?.v } });
  }
  for (const rt of runtimes) {
    rt.keys.clear();
    forgetSlots(rt);
    rt.expiry.clear();
    rt.holeExpiry.clear();
    rt.nextClose = Number.POSITIVE_INFINITY;
  }
  const byName = new Map(runtimes.map((r) => [r.sc.name, r]));
  for (const [name, raw] of Object.entries(d.s as Record<string, unknown>)) {
    const rt = byName.get(name);
    const st = raw as { kind?: unknown; b?: unknown; h?: unknown };
    // A scenario removed or changed kind since the snapshot: its buckets mean nothing now.
    if (!rt || typeof st !== 'object' || st === null || st.kind !== rt.sc.params.kind) continue;
    if (Array.isArray(st.b)) {
      for (const entry of st.b) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isBucket(entry[1])) continue;
        const json = entry[1];
        const k = rt.handler.revive ? rt.handler.revive(json.k) : json.k;
        if (k === undefined) continue;
        const b = Bucket.fromJson(json, rt.tracked, k);
        b.key = entry[0];
        b.touched = ++rt.clock;
        const slot = rt.keys.slotOf(entry[0]);
        // A key written twice (not by this engine): the later bucket wins, as in a map.
        if (bucketAt(rt, slot) !== undefined) removeBucket(rt, slot);
        putBucket(rt, slot, b);
        if (rt.closeMode) rt.nextClose = Math.min(rt.nextClose, rt.handler.endsAt!(b.k));
      }
    }
    if (Array.isArray(st.h)) {
      for (const entry of st.h) {
        if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number')
          putHole(rt, rt.keys.slotOf(entry[0]), entry[1]);
      }
    }
  }
  for (const rt of runtimes) {
    rebuildExpiry(rt);
    rebuildHoleExpiry(rt);
  }
  return typeof d.now === 'number' ? d.now : Number.NEGATIVE_INFINITY;
}
