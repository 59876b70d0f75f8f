import type { Evidence } from '../../core/detection.js';
import type { Observation } from '../../core/event.js';
import type { EventFields } from './event-fields.js';
import type { KindState } from './kinds/handler.js';

export const EVIDENCE_EACH_END = 5;
export const TRACKED_CAP = 100;
/** Distinct values a pour compares one by one before a Set takes over (see `Bucket.seen`). */
const SCAN_MAX = 12;
/**
 * First size of a tracked-values array, doubled when full. An array grown by assignment past
 * its end gets room for 17 or more values at once (152 bytes), and most buckets see one to
 * three distinct user names: sized by hand, four values take 48 bytes.
 */
const VALUES_START = 4;
const MESSAGE_CAP = 2000;

/** A bucket as it is written in snapshots (the format of snapshot version 1). */
export interface BucketJson {
  first: number;
  last: number;
  count: number;
  ent: string;
  head: Evidence[];
  tail: Evidence[];
  k: KindState;
  tracked?: Record<string, string[]>;
}

/**
 * One bucket: the kind's state plus what the explanation and evidence need. Built for the hot
 * path (a fixed shape, a ring for the last lines, tracked values by field index); `toJSON` gives
 * the snapshot format, `fromJson` reads it back.
 */
export class Bucket {
  /** Event time of the first and latest poured event. */
  first: number;
  last: number;
  count = 0;
  /** Entity value (from the scenario's entity field), refreshed on each pour. */
  ent: string;
  /**
   * Evidence lines, allocated at the first pour with their final size: slots 0..4 hold the first
   * EVIDENCE_EACH_END poured lines (`headN` of them), slots 5..9 a ring of the last ones (`tailN`
   * of them, the oldest at `tailAt`).
   */
  ev: (Evidence | undefined)[] | undefined = undefined;
  headN = 0;
  tailN = 0;
  tailAt = 0;
  /**
   * Distinct values of each tracked field (same index as `names`), first TRACKED_CAP kept: the
   * first `valsN[i]` entries of `vals[i]`. A count, not the array length, so a reused bucket
   * keeps its arrays (emptying a JS array drops its backing store).
   */
  vals: (string[] | undefined)[] | undefined = undefined;
  valsN: number[] | undefined = undefined;
  /**
   * Past SCAN_MAX values of a field, a Set of them beside the array answers "seen?" (a bucket
   * grouped by host collects up to TRACKED_CAP addresses and user names, scanned on every pour).
   */
  seen: (Set<string> | undefined)[] | undefined = undefined;
  /** Recency stamp: the least recently touched bucket is the one evicted. */
  touched = 0;
  /** Its key, and the key's slot (see key-table.ts) while in its scenario's `bySlot` (not saved). */
  key = '';
  slot = -1;
  /**
   * Entries naming this bucket in its scenario's expiry heap. A bucket out of the map is only
   * recycled at zero: a stale heap entry must never come to name a bucket reused for a new key.
   */
  queued = 0;
  k: KindState;

  constructor(
    t: number,
    k: KindState,
    ent: string,
    /** Tracked field names of the scenario (shared, not copied). */
    readonly names: readonly string[],
  ) {
    this.first = t;
    this.last = t;
    this.k = k;
    this.ent = ent;
  }

  /**
   * Start over as `new Bucket(t, k, ent, names)` would, keeping the arrays: a drained bucket
   * poured again is reset in place (no allocation, no map delete and insert).
   */
  reset(t: number, k: KindState, ent: string): void {
    this.first = t;
    this.last = t;
    this.count = 0;
    this.ent = ent;
    this.k = k;
    this.clear();
  }

  /** Forget the lines and values (they must not stay reachable from a spare bucket). */
  clear(): void {
    // Plain loops: `fill` is a call into the runtime, slower than ten stores.
    const ev = this.ev;
    if (ev !== undefined) for (let i = 0; i < ev.length; i++) ev[i] = undefined;
    this.headN = 0;
    this.tailN = 0;
    this.tailAt = 0;
    // Old values stay in the arrays past the count: canonical strings, at most TRACKED_CAP.
    const n = this.valsN;
    if (n !== undefined) for (let i = 0; i < n.length; i++) n[i] = 0;
    this.seen = undefined;
  }

  /** Evidence lines, oldest first: the first five and the last five. */
  evidence(): Evidence[] {
    return [...this.head(), ...this.tail()];
  }

  head(): Evidence[] {
    const out: Evidence[] = [];
    for (let i = 0; i < this.headN; i++) out.push(this.ev![i]!);
    return out;
  }

  tail(): Evidence[] {
    const out: Evidence[] = [];
    for (let i = 0; i < this.tailN; i++) out.push(this.ev![EVIDENCE_EACH_END + ((this.tailAt + i) % this.tailN)]!);
    return out;
  }

  /** Tracked values by field name, for explanations (fields without a value left out). */
  tracked(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const vals = this.vals;
    const counts = this.valsN;
    if (vals !== undefined && counts !== undefined)
      for (let i = 0; i < this.names.length; i++) {
        const v = vals[i];
        const n = counts[i]!;
        if (v !== undefined && n > 0) out[this.names[i]!] = n === v.length ? v : v.slice(0, n);
      }
    return out;
  }

  toJSON(): BucketJson {
    const json: BucketJson = {
      first: this.first,
      last: this.last,
      count: this.count,
      ent: this.ent,
      head: this.head(),
      tail: this.tail(),
      k: this.k,
    };
    if (this.vals !== undefined) {
      // A reset bucket keeps its (emptied) arrays: written only when some value was seen.
      const tracked = this.tracked();
      for (const _ in tracked) {
        json.tracked = tracked;
        break;
      }
    }
    return json;
  }

  static fromJson(raw: BucketJson, names: readonly string[], k: KindState): Bucket {
    const b = new Bucket(raw.first, k, raw.ent, names);
    b.last = raw.last;
    b.count = raw.count;
    // Well-formed snapshots hold at most five lines at each end; keep the outer ones otherwise.
    const head = raw.head.slice(0, EVIDENCE_EACH_END);
    const tail = raw.tail.slice(-EVIDENCE_EACH_END);
    if (head.length + tail.length > 0) {
      const ev = (b.ev = new Array<Evidence | undefined>(2 * EVIDENCE_EACH_END));
      for (let i = 0; i < head.length; i++) ev[i] = head[i];
      for (let i = 0; i < tail.length; i++) ev[EVIDENCE_EACH_END + i] = tail[i];
      b.headN = head.length;
      b.tailN = tail.length;
    }
    const tracked = raw.tracked;
    if (typeof tracked === 'object' && tracked !== null) {
      const vals: (string[] | undefined)[] = [];
      const counts: number[] = [];
      for (const f of names) {
        const arr = Array.isArray(tracked[f]) ? tracked[f] : undefined;
        vals.push(arr);
        counts.push(arr === undefined ? 0 : arr.length);
      }
      b.vals = vals;
      b.valsN = counts;
    }
    return b;
  }
}

/** The evidence line of an observation (message bounded: it is attacker-controlled). */
export function evidenceOf(obs: Observation): Evidence {
  const msg = obs.event.message;
  return {
    timestamp: obs.event['@timestamp'],
    message: msg.length > MESSAGE_CAP ? `${msg.slice(0, MESSAGE_CAP)}…` : msg,
    sourceId: obs.sourceId,
  };
}

/**
 * Count a poured event, keeping the first and last five lines as evidence (bounded memory) and
 * the values of the tracked fields (read from `fields` by the slots in `trackedSlots`, same order
 * as the bucket's `names`).
 */
export function recordPour(
  b: Bucket,
  time: number,
  ev: Evidence,
  ent: string,
  fields: EventFields,
  trackedSlots: readonly number[],
  /** False for a line kept as evidence that is not one of the counted events (a sequence's `followed_by` event). */
  counted = true,
): void {
  if (counted) {
    if (b.count === 0) b.first = time;
    b.count++;
  }
  if (time > b.last) b.last = time;
  b.ent = ent;
  let slots = b.ev;
  if (slots === undefined) slots = b.ev = new Array<Evidence | undefined>(2 * EVIDENCE_EACH_END);
  if (b.headN < EVIDENCE_EACH_END) slots[b.headN++] = ev;
  else if (b.tailN < EVIDENCE_EACH_END) slots[EVIDENCE_EACH_END + b.tailN++] = ev;
  else {
    slots[EVIDENCE_EACH_END + b.tailAt] = ev;
    b.tailAt = (b.tailAt + 1) % EVIDENCE_EACH_END;
  }
  const names = b.names;
  for (let i = 0; i < trackedSlots.length; i++) {
    const v = fields.get(trackedSlots[i]!);
    if (v === undefined) continue;
    let vals = b.vals;
    let counts = b.valsN;
    if (vals === undefined || counts === undefined) {
      vals = b.vals = new Array<string[] | undefined>(names.length);
      counts = b.valsN = new Array<number>(names.length).fill(0);
    }
    const n = counts[i]!;
    if (n >= TRACKED_CAP) continue;
    let arr = vals[i];
    if (arr === undefined) arr = vals[i] = new Array<string>(VALUES_START);
    if (n < SCAN_MAX) {
      // Canonical strings (EventFields): an equal value is nearly always the same string object.
      let seen = false;
      for (let j = 0; j < n; j++)
        if (arr[j] === v) {
          seen = true;
          break;
        }
      if (seen) continue;
    } else {
      let sets = b.seen;
      if (sets === undefined) sets = b.seen = new Array<Set<string> | undefined>(names.length);
      let set = sets[i];
      if (set === undefined) set = sets[i] = new Set(arr.slice(0, n));
      if (set.has(v)) continue;
      set.add(v);
    }
    if (n === arr.length) arr = vals[i] = grown(arr, Math.min(Math.max(VALUES_START, 2 * n), TRACKED_CAP));
    arr[n] = v;
    counts[i] = n + 1;
  }
}

/** A copy of `arr` with room for `size` values. */
function grown(arr: readonly string[], size: number): string[] {
  const out = new Array<string>(size);
  for (let i = 0; i < arr.length; i++) out[i] = arr[i]!;
  return out;
}

/** Sanity check for a bucket read back from a snapshot. */
export function isBucket(x: unknown): x is BucketJson {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Record<string, unknown>;
  return (
    typeof b.first === 'number' &&
    typeof b.last === 'number' &&
    typeof b.count === 'number' &&
    typeof b.ent === 'string' &&
    Array.isArray(b.head) &&
    Array.isArray(b.tail) &&
    typeof b.k === 'object' &&
    b.k !== null
  );
}
