/**
 * A Map bounded by size with least-recently-used eviction (Map keeps insertion order, so a
 * touch is delete + set). Entity tables use it so a flood of spoofed sources cannot grow memory;
 * `evicted` is the metric that says the limit is too small.
 */
export class Lru<V> {
  readonly map = new Map<string, V>();
  evicted = 0;
  constructor(readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
      this.evicted++;
    }
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}
