/** Result of pouring one event into a bucket. */
export const SKIP = 0;
export const POURED = 1;
export const FIRE = 2;
export type PourOutcome = typeof SKIP | typeof POURED | typeof FIRE;

/**
 * Kind-specific bucket state. Snapshots are `JSON.stringify` of it: a kind whose live state is
 * not plain JSON (maps, heaps) gives it a `toJSON` and turns the JSON back with `revive`.
 */
export type KindState = object;

/**
 * The behaviour of one scenario kind. Invariant the engine relies on: a state for which
 * `drained(state, t)` is true behaves exactly like a fresh `init(t)` state, so garbage-collecting
 * drained buckets never changes what fires.
 */
export interface KindHandler {
  init(t: number): KindState;
  /**
   * A state equal to `init(t)` (same behaviour, same snapshot JSON), reusing `state` in place
   * when the kind can: a drained bucket poured again is reset instead of reallocated, since
   * brute-force traffic drains and refills the same buckets all day long.
   */
  reset(state: KindState, t: number): KindState;
  drained(state: KindState, now: number): boolean;
  /**
   * The event time from which `drained` holds if nothing more is poured (-Infinity when it
   * already does): garbage collection visits a bucket then instead of every sweep.
   */
  drainsAt(state: KindState): number;
  /** `value` is the distinct / counted / source value the kind needs, when it needs one. */
  pour(state: KindState, t: number, value: string | undefined): PourOutcome;
  /** Fixed windows reported at close: when the window ends, and whether it met the threshold. */
  endsAt?(state: KindState): number;
  closeReady?(state: KindState): boolean;
  /** Sequence kinds: whether an event of the `followed_by` filter at `t` completes the sequence. */
  armed?(state: KindState, t: number): boolean;
  /**
   * Unordered sequences: keep a `followed_by` event at `t` that found the bucket not armed, for
   * a later filter event to complete (`pour` then fires).
   */
  hold?(state: KindState, t: number): void;
  /** Numbers for the explanation, e.g. distinct sources. */
  sources?(state: KindState): number;
  /** Live state from its snapshot JSON; undefined when the JSON is not a state of this kind. */
  revive?(raw: object): KindState | undefined;
}

/** Values a distinct check compares one by one before a counted index takes over. */
const SCAN_MAX = 16;
/** Key of that index on a kind state: a symbol, so snapshots (`JSON.stringify`) never see it. */
export const RECENT_INDEX: unique symbol = Symbol('recent-index');

/** A kind state with a bounded list of recent distinct values (CrowdSec `distinct`). */
export interface RecentValues {
  recent?: string[];
  /** Occurrences of each value of `recent` (a multiset: a snapshot may repeat one). */
  [RECENT_INDEX]?: Map<string, number> | undefined;
}

/**
 * Push `v` into the state's bounded recent-values list; false when it was already there
 * (CrowdSec `distinct`). Past SCAN_MAX values the membership test uses a counted index kept
 * beside the list (a brute force from one address fills a 256-name list, tested on every pour).
 */
export function rememberDistinct(s: RecentValues, recent: string[], v: string, cap: number): boolean {
  const n = recent.length;
  let index = s[RECENT_INDEX];
  if (index === undefined && n >= SCAN_MAX) {
    index = new Map();
    for (let i = 0; i < n; i++) index.set(recent[i]!, (index.get(recent[i]!) ?? 0) + 1);
    s[RECENT_INDEX] = index;
  }
  if (index === undefined) {
    for (let i = 0; i < n; i++) if (recent[i] === v) return false;
  } else if (index.has(v)) return false;
  // Full: drop the oldest by sliding left in place (push + shift would trim and regrow the
  // backing store over and over).
  if (n >= cap) {
    if (index !== undefined) {
      const old = recent[0]!;
      const c = index.get(old)!;
      if (c <= 1) index.delete(old);
      else index.set(old, c - 1);
    }
    for (let i = 1; i < n; i++) recent[i - 1] = recent[i]!;
    recent[n - 1] = v;
  } else recent.push(v);
  index?.set(v, (index.get(v) ?? 0) + 1);
  return true;
}

/** Empty the recent-values list (and its index) of a state being reset in place. */
export function forgetRecent(s: RecentValues): void {
  if (s.recent) emptyArray(s.recent);
  if (s[RECENT_INDEX] !== undefined) s[RECENT_INDEX] = undefined;
}

/**
 * An empty array with room for `n` values (at most 32). `[]` grows to room for 17 at its first
 * push, and kind states hold a handful (cadence keeps `min_events` times, a leaky bucket
 * `capacity` recent values): thousands of live buckets paid for the slack. `pop` keeps the
 * store of a small array, so the array starts full and is emptied.
 */
export function arrayWithRoom<T>(n: number): T[] {
  const a = new Array<T>(Math.min(Math.max(1, n), 32));
  emptyArray(a);
  return a;
}

/**
 * Empty an array keeping its backing store: `length = 0` is a runtime call that also drops the
 * store, so the next push allocates again. The arrays emptied here hold a handful of entries.
 */
export function emptyArray(a: unknown[]): void {
  while (a.length > 0) a.pop();
}
