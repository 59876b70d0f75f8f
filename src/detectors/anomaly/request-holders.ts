/**
 * The population's memory of which established entities make which request (method and URL
 * hash), so that a newcomer whose window is made of an established entity's usual requests can
 * be recognised as playing that entity's role (a second editor, a new install of the shop's app)
 * instead of being judged on volume just for being new: see `usualForRole` in
 * anomaly-detector.ts, which decides; this only finds the candidates.
 *
 * Only the routine requests (made in more than one window) of entities that already vouch
 * (known for hours, judged ordinary by the population itself, never flagged) are registered,
 * so a flood of newcomers cannot fill a request's holders to push the real ones out, nor make
 * its own requests look routine. Bounded: at most `maxRequests` requests (the oldest registered
 * goes first; a holder registers a request again whenever it recurs) and HOLDERS_PER_REQUEST
 * holders each. Holders are re-checked when asked for (one evicted or flagged since no longer
 * vouches), so the memory holds candidates, never a verdict.
 */
export class RequestHolders {
  private readonly byRequest = new Map<number, string[]>();

  constructor(readonly maxRequests: number) {}

  /**
   * Record that `key` makes `requests` routinely. A request whose holders are all taken keeps
   * them, after dropping those `gone` says no longer count (evicted, flagged since): first
   * come, first kept.
   */
  register(key: string, requests: readonly number[], gone: (key: string) => boolean): void {
    for (const r of requests) {
      let holders = this.byRequest.get(r);
      if (holders === undefined) {
        if (this.byRequest.size >= this.maxRequests) {
          const oldest = this.byRequest.keys().next().value as number;
          this.byRequest.delete(oldest);
        }
        holders = [];
        this.byRequest.set(r, holders);
      }
      if (holders.includes(key)) continue;
      if (holders.length >= HOLDERS_PER_REQUEST) {
        const kept = holders.filter((h) => !gone(h));
        holders.length = 0;
        holders.push(...kept);
      }
      if (holders.length < HOLDERS_PER_REQUEST) holders.push(key);
    }
  }

  /** The registered holders of one request (none: an empty array, not to be changed). */
  holders(request: number): readonly string[] {
    return this.byRequest.get(request) ?? NOBODY;
  }

  clear(): void {
    this.byRequest.clear();
  }

  /** For a snapshot: request hash and holders, oldest registered first. */
  entries(): [number, string[]][] {
    return [...this.byRequest];
  }

  /** Replace the memory with a snapshot's `entries()` (the newest kept when over the bound). */
  load(entries: readonly (readonly [number, readonly string[]])[]): void {
    this.byRequest.clear();
    for (const [r, holders] of entries.slice(-this.maxRequests))
      this.byRequest.set(r, holders.slice(0, HOLDERS_PER_REQUEST));
  }

  get size(): number {
    return this.byRequest.size;
  }
}

/** Holders kept per request: a role needs one established member to be recognised. */
export const HOLDERS_PER_REQUEST = 4;

const NOBODY: readonly string[] = Object.freeze([]);

/**
 * The requests of a window (hash and count) that any entity covering `share` of it must have
 * made at least one of: the most frequent ones, until together they exceed `1 - share` of the
 * window. Checking only their holders finds every possible peer with a handful of look-ups.
 */
export function requiredRequests(requests: ReadonlyMap<number, number>, n: number, share: number): number[] {
  const sorted = [...requests].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const out: number[] = [];
  let left = n * (1 - share);
  for (const [h, c] of sorted) {
    out.push(h);
    left -= c;
    // Counts are whole: what is left within rounding is still a share a peer may miss.
    if (left < -1e-9) break;
  }
  return out;
}

/** The share of a window's `n` requests (counted in `requests`) that are in `history`. */
export function coveredShare(requests: ReadonlyMap<number, number>, n: number, history: readonly number[]): number {
  if (n <= 0) return 0;
  let covered = 0;
  for (const [h, c] of requests) if (history.includes(h)) covered += c;
  return covered / n;
}
