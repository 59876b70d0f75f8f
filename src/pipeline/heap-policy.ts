import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past the live data before its next full collection,
 * in percent, in a process that runs the pipeline as a service (`leuko run`). V8's own choice
 * goes up to 4x the live size for a program that spends little time in GC, which suits a
 * browser tab; Leuko runs beside the services it protects, for days, with a live set of buckets
 * and connections that is bounded by its own limits, so it keeps its heap close to that set
 * instead (measured on the 1M-line sshd replay: peak RSS 241 -> 192 MB for a few percent more
 * time in collections). It bounds nothing: a larger live set still gets the room it needs, only
 * collected more often.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * The same for `leuko replay`, a batch job whose speed is its point and whose memory is given
 * back when it ends. Its live set grows all along the 1M-line sshd replay (engine buckets,
 * incidents: ~15 to ~65 MB), and at 20% each step of that growth takes a full collection that
 * marks the whole live set again. Paired runs on the merged tree (engine key table, anomaly
 * peer rule): 40% saved ~12% CPU seconds but peaked at 190-198 MB (the benchmark allows 200);
 * 30% peaks at 187-188 MB and is ~6% slower than 40% (~4% faster than 20% in the first
 * paired runs), so 30% it is. Measured and not kept: 45% (RSS up to
 * 194 MB before those merges), and 100% while the heap is under 40 MB (two full collections
 * fewer, no CPU seconds saved, a few MB more RSS).
 */
export const REPLAY_HEAP_GROWING_PERCENT = 30;

let applied = false;

/**
 * Apply the heap policy to this process, once: the first call decides (a replay applies its
 * own before it assembles the pipeline, whose processor then finds it applied).
 */
export function applyHeapPolicy(percent: number = HEAP_GROWING_PERCENT): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
