/**
 * Binary min-heap of (time, item) pairs in two parallel arrays: expiring the oldest entries of a
 * window costs O(log n) each instead of a scan of every entry on every event. Entries are never
 * updated in place; callers push the new time and skip stale pairs when they pop them.
 */
export class TimeHeap<T> {
  readonly times: number[] = [];
  readonly items: T[] = [];

  get size(): number {
    return this.times.length;
  }

  /** Smallest time, or +Infinity when empty. */
  peek(): number {
    return this.times.length > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  /** Item of the smallest entry (only when not empty). */
  peekItem(): T {
    return this.items[0]!;
  }

  push(time: number, item: T): void {
    const ts = this.times;
    const xs = this.items;
    let i = ts.length;
    ts.push(time);
    xs.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (ts[parent]! <= time) break;
      ts[i] = ts[parent]!;
      xs[i] = xs[parent]!;
      i = parent;
    }
    ts[i] = time;
    xs[i] = item;
  }

  pop(): void {
    const ts = this.times;
    const xs = this.items;
    const lastT = ts.pop()!;
    const lastX = xs.pop()!;
    const n = ts.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && ts[r]! < ts[l]! ? r : l;
      if (ts[c]! >= lastT) break;
      ts[i] = ts[c]!;
      xs[i] = xs[c]!;
      i = c;
    }
    ts[i] = lastT;
    xs[i] = lastX;
  }

  clear(): void {
    this.times.length = 0;
    this.items.length = 0;
  }

  /** Replace the content by these (item, time) pairs, in any order. */
  rebuild(pairs: Iterable<readonly [T, number]>): void {
    this.clear();
    const all = [...pairs].sort((a, b) => a[1] - b[1]);
    // A sorted array is a valid min-heap.
    for (const [item, time] of all) {
      this.times.push(time);
      this.items.push(item);
    }
  }
}
