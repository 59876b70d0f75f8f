/**
 * Drops a line that another source gave moments before: one syslog record written to two
 * files. Debian's and Ubuntu's rsyslog write every facility but auth to /var/log/syslog, so mail
 * and kernel records are there and in mail.log or kern.log too; following both would count each
 * failed login twice and ban at half the threshold. Only a copy from a *different* source is
 * dropped: a service that really logs the same line twice stays counted twice.
 *
 * Lines are remembered by a 53-bit hash (no string kept alive: a line is a slice of its read
 * buffer), the last `capacity` of them, oldest forgotten first. A copy that arrives after that
 * many other lines (a long catch-up of one file before the other) is not recognized and counts
 * again, as it would without this stage.
 */
export interface CrossSourceDedup {
  /** True when `line` is a copy of a recent line from another source (and should be skipped). */
  duplicate(line: string, sourceId: string): boolean;
}

/** Lines remembered: minutes of a busy mail server's log, a few hundred KB. */
export const DEDUP_CAPACITY = 20_000;
/** Longer lines are never compared (no syslog record is this long; hashing them costs). */
const MAX_LINE = 8192;

export function createCrossSourceDedup(capacity = DEDUP_CAPACITY): CrossSourceDedup {
  // A ring of the last `capacity` distinct lines (hash and source by slot) and each hash's slot.
  const slotOf = new Map<number, number>();
  const hashes = new Float64Array(capacity).fill(Number.NaN);
  const sources: string[] = new Array<string>(capacity).fill('');
  let next = 0;
  return {
    duplicate(line, sourceId) {
      if (line.length > MAX_LINE) return false;
      const h = hash53(line);
      const slot = slotOf.get(h);
      if (slot !== undefined) {
        // The same source again is a line logged twice, not a copy: it stays counted.
        if (sources[slot] === sourceId) return false;
        // Each copy matches once: a third copy, from yet another source, is new again.
        slotOf.delete(h);
        return true;
      }
      const old = hashes[next]!;
      if (!Number.isNaN(old) && slotOf.get(old) === next) slotOf.delete(old);
      hashes[next] = h;
      sources[next] = sourceId;
      slotOf.set(h, next);
      next = (next + 1) % capacity;
      return false;
    },
  };
}

/** Two FNV-1a lanes with different offsets, 32 + 21 bits: a safe integer. */
function hash53(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 11) & 0x1fffff);
}
