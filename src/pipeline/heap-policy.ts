import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past the live data before its next full collection,
 * in percent. V8's own choice goes up to 4x the live size for a program that spends little time
 * in GC, which suits a browser tab; Leuko runs beside the services it protects, for days, with
 * a live set of buckets and connections that is bounded by its own limits, so it keeps its heap
 * close to that set instead (measured on the 1M-line sshd replay: peak RSS 241 -> 192 MB for a
 * few percent more time in collections). It bounds nothing: a larger live set still gets the
 * room it needs, only collected more often.
 */
export const HEAP_GROWING_PERCENT = 20;

let applied = false;

/** Apply the heap policy to this process (once; later calls do nothing). */
export function applyHeapPolicy(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
