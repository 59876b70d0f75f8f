import { promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from './atomic-write.js';
import { withFileLock } from './file-lock.js';
import type { FsEntry } from './fs-entry.js';

/** A known-good entry: the filesystem entry plus how it is enforced. */
export interface BaselineEntry extends FsEntry {
  readonly role: 'path' | 'config';
  /** Content too large to snapshot: detected, never restored. */
  readonly tooLarge?: boolean;
}

export interface BaselineFile {
  readonly version: 1;
  /** Wall-clock ms of the last full `leuko baseline`. */
  readonly recordedAt: number;
  readonly entries: Record<string, BaselineEntry>;
}

/**
 * The known-good manifest (`heal/baseline.json`): every protected path's entry, the content
 * itself in the blob store. Written whole, atomically; the daemon re-reads it when another
 * process (`leuko baseline accept`) replaced it, so an accepted change is never reverted.
 *
 * Two processes may change it at once (the daemon recording a new file while a person runs
 * `leuko baseline accept`). Each keeps its own unsaved changes per path, and `save` merges
 * them into what is on disk under a lock, so neither write loses the other's paths.
 */
export interface Baseline {
  get(p: string): BaselineEntry | undefined;
  /** Paths at or below `dir`, parents before children. */
  under(dir: string): string[];
  /** Whether anything at or below `dir` was ever recorded (a root added later is not enforced until recorded). */
  hasUnder(dir: string): boolean;
  set(p: string, e: BaselineEntry): void;
  delete(p: string): void;
  readonly size: number;
  readonly recordedAt: number;
  /** Re-read when the file changed on disk since we last read or wrote it. */
  refresh(): void;
  save(recordedAt?: number): Promise<void>;
}

export function baselinePath(healDir: string): string {
  return path.join(healDir, 'baseline.json');
}

export function loadBaseline(healDir: string): Baseline {
  const file = baselinePath(healDir);
  let entries = new Map<string, BaselineEntry>();
  /** This process's changes not yet saved: an entry, or null for a deletion. */
  const pending = new Map<string, BaselineEntry | null>();
  let recordedAt = 0;
  let seenMtime = -1;
  let sorted: string[] | undefined;
  const applyPending = () => {
    for (const [p, e] of pending) {
      if (e === null) entries.delete(p);
      else entries.set(p, e);
    }
  };
  const read = () => {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(file);
    } catch {
      st = undefined;
    }
    const mtime = st ? st.mtimeMs + st.ino : 0;
    if (mtime === seenMtime) return;
    seenMtime = mtime;
    sorted = undefined;
    entries = new Map();
    if (st) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as BaselineFile;
        entries = new Map(Object.entries(parsed.entries));
        recordedAt = Math.max(recordedAt, parsed.recordedAt);
      } catch {
        entries = new Map();
      }
    }
    // What this process changed and has not saved yet stays on top of what another wrote.
    applyPending();
  };
  read();
  return {
    get: (p) => entries.get(p),
    under(dir) {
      sorted ??= [...entries.keys()].sort();
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      return sorted.filter((p) => p === dir || p.startsWith(prefix));
    },
    hasUnder(dir) {
      if (entries.has(dir)) return true;
      sorted ??= [...entries.keys()].sort();
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sorted[mid] as string) < prefix) lo = mid + 1;
        else hi = mid;
      }
      return lo < sorted.length && (sorted[lo] as string).startsWith(prefix);
    },
    set(p, e) {
      if (!entries.has(p)) sorted = undefined;
      entries.set(p, e);
      pending.set(p, e);
    },
    delete(p) {
      if (entries.delete(p)) sorted = undefined;
      pending.set(p, null);
    },
    get size() {
      return entries.size;
    },
    get recordedAt() {
      return recordedAt;
    },
    refresh: read,
    async save(at) {
      if (at !== undefined) recordedAt = at;
      await fs.mkdir(path.dirname(file), { recursive: true });
      await withFileLock(`${file}.lock`, async () => {
        // Merge: another process may have saved since we last read.
        read();
        const body: BaselineFile = { version: 1, recordedAt, entries: Object.fromEntries(entries) };
        await atomicWriteFile(file, Buffer.from(JSON.stringify(body)), { mode: 0o600 });
        const st = statSync(file);
        seenMtime = st.mtimeMs + st.ino;
        pending.clear();
      });
    },
  };
}
