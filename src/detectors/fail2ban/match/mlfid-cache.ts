import type { Groups } from './fail-regex.js';

/**
 * fail2ban's `Utils.Cache` for multi-line failure ids: at most `maxCount` connections, each
 * forgotten `maxTime` seconds after it was stored (times are the stream's, so replay agrees).
 */
export class MlfidCache {
  private readonly entries = new Map<string, { value: Groups; expires: number }>();

  constructor(
    private readonly maxCount: number,
    private readonly maxTime: number,
  ) {}

  get(key: string, now: number): Groups | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: Groups, now: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxCount) {
      for (const [k, e] of this.entries) if (e.expires <= now) this.entries.delete(k);
      // Still full: drop the oldest (Map keeps insertion order).
      while (this.entries.size >= this.maxCount) {
        const first = this.entries.keys().next();
        if (first.done) break;
        this.entries.delete(first.value);
      }
    }
    this.entries.set(key, { value, expires: now + this.maxTime });
  }

  unset(key: string): void {
    this.entries.delete(key);
  }
}
