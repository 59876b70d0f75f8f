/**
 * Exact cap on events per sliding window: remembers the times of the last `capacity` admitted
 * events in a ring. Another is allowed at `now` only if the oldest of those is at least
 * `windowMs` old, so any half-open window [t, t + windowMs) holds at most `capacity` of them.
 * O(1) per call, memory proportional to the cap, whatever the attack rate.
 */
export interface CapWindow {
  /** Whether one more event at `now` stays within the cap. */
  allows(now: number): boolean;
  record(now: number): void;
  /** Events in (now - windowMs, now]. */
  used(now: number): number;
  readonly capacity: number;
  readonly windowMs: number;
  /** The recorded times, oldest first (for snapshots). */
  times(): number[];
}

export function createCapWindow(capacity: number, windowMs: number, initial: readonly number[] = []): CapWindow {
  const cap = Math.max(1, Math.floor(capacity));
  const ring = new Float64Array(cap);
  let size = 0;
  let head = 0; // index of the oldest entry

  const at = (i: number): number => ring[(head + i) % cap] as number;

  const win: CapWindow = {
    capacity: cap,
    windowMs,
    allows(now) {
      return size < cap || at(0) + windowMs <= now;
    },
    record(now) {
      if (size < cap) {
        ring[(head + size) % cap] = now;
        size++;
      } else {
        ring[head] = now;
        head = (head + 1) % cap;
      }
    },
    used(now) {
      // Entries are in time order (a clock that steps back only makes the count larger: safe).
      let n = 0;
      for (let i = size - 1; i >= 0; i--) {
        if (at(i) + windowMs <= now) break;
        n++;
      }
      return n;
    },
    times() {
      const out: number[] = [];
      for (let i = 0; i < size; i++) out.push(at(i));
      return out;
    },
  };
  for (const t of initial.slice(-cap)) if (Number.isFinite(t)) win.record(t);
  return win;
}

/**
 * Approximate count of events in the last `windowMs`, in `buckets` fixed slots: for rate
 * estimation where being off by one slot's worth is fine and memory must not grow with the rate
 * (an attacker can produce millions of requests a minute).
 */
export interface BucketCounter {
  add(now: number, n?: number): void;
  count(now: number): number;
}

export function createBucketCounter(windowMs: number, buckets = 60): BucketCounter {
  const slotMs = Math.max(1, windowMs / buckets);
  const counts = new Float64Array(buckets);
  let lastSlot = Number.NEGATIVE_INFINITY;
  let total = 0;

  function advance(now: number): void {
    const slot = Math.floor(now / slotMs);
    if (slot <= lastSlot) return; // same slot, or the clock stepped back: keep counting where we are
    if (!Number.isFinite(lastSlot) || slot - lastSlot >= buckets) {
      counts.fill(0);
      total = 0;
    } else {
      for (let s = lastSlot + 1; s <= slot; s++) {
        const idx = ((s % buckets) + buckets) % buckets;
        total -= counts[idx] as number;
        counts[idx] = 0;
      }
    }
    lastSlot = slot;
  }

  return {
    add(now, n = 1) {
      advance(now);
      const idx = ((lastSlot % buckets) + buckets) % buckets;
      counts[idx] = (counts[idx] as number) + n;
      total += n;
    },
    count(now) {
      advance(now);
      return total;
    },
  };
}
