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
  /**
   * The most recent lines remembered (at most SNAPSHOT_LINES), as JSON, committed with the
   * sources' checkpoints: after a restart a source re-reads the lines after its checkpoint, and
   * a copy another source had already counted before the commit must still be recognized.
   */
  snapshot(): string;
  /** Take back a `snapshot` (a fresh instance, before its first line); an unreadable one is ignored. */
  restore(text: string): void;
}

/** Lines remembered: minutes of a busy mail server's log, a few hundred KB. */
export const DEDUP_CAPACITY = 20_000;
/**
 * Lines a snapshot keeps: the copies a restart can miss are the lines read in the moments
 * around the last commit, not the whole table (which would add hundreds of KB to every commit).
 */
export const SNAPSHOT_LINES = 1024;
/** Longer lines are never compared (no syslog record is this long; hashing them costs). */
const MAX_LINE = 8192;

export function createCrossSourceDedup(capacity = DEDUP_CAPACITY): CrossSourceDedup {
  // A ring of the last `capacity` distinct lines (hash and source by slot) and each hash's slot.
  const slotOf = new Map<number, number>();
  const hashes = new Float64Array(capacity).fill(Number.NaN);
  const sources: string[] = new Array<string>(capacity).fill('');
  let next = 0;
  function remember(h: number, sourceId: string): void {
    const old = hashes[next]!;
    if (!Number.isNaN(old) && slotOf.get(old) === next) slotOf.delete(old);
    hashes[next] = h;
    sources[next] = sourceId;
    slotOf.set(h, next);
    next = (next + 1) % capacity;
  }
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
      remember(h, sourceId);
      return false;
    },
    snapshot() {
      // Oldest first, the entries still waiting for a copy; sources by index.
      const names: string[] = [];
      const entries: [number, number][] = [];
      const n = Math.min(SNAPSHOT_LINES, capacity);
      for (let k = n; k >= 1; k--) {
        const slot = (next - k + capacity) % capacity;
        const h = hashes[slot]!;
        if (Number.isNaN(h) || slotOf.get(h) !== slot) continue;
        let i = names.indexOf(sources[slot]!);
        if (i < 0) i = names.push(sources[slot]!) - 1;
        entries.push([h, i]);
      }
      return JSON.stringify({ v: 1, sources: names, lines: entries });
    },
    restore(text) {
      let state: unknown;
      try {
        state = JSON.parse(text);
      } catch {
        return;
      }
      const o = state as { v?: unknown; sources?: unknown; lines?: unknown };
      if (o?.v !== 1 || !Array.isArray(o.sources) || !Array.isArray(o.lines)) return;
      const names = o.sources;
      for (const e of o.lines) {
        if (!Array.isArray(e) || !Number.isSafeInteger(e[0]) || typeof names[e[1]] !== 'string') continue;
        if (!slotOf.has(e[0])) remember(e[0], names[e[1]]);
      }
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
