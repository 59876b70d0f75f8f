import { type FSWatcher, promises as fs, watch } from 'node:fs';
import path from 'node:path';
import type { DesiredState } from './desired-state.js';

export interface TreeWatcher {
  /** Resolves once the roots' existing directories are watched. */
  readonly ready: Promise<void>;
  /** Directories currently watched. */
  readonly watched: number;
  close(): void;
}

const MAX_DIRS = 50_000;

/**
 * inotify on every directory of the protected roots (one fs.watch per directory: Node's
 * recursive mode polls on Linux), with new directories added as they appear. Events are
 * coalesced per path for one turn of the event loop and handed over as a set of paths; what
 * changed is decided by comparing with the baseline, never by trusting the event kind.
 */
export function watchTrees(
  state: DesiredState,
  onPaths: (paths: string[]) => void,
  log: (level: 'warn', message: string) => void,
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  let pending = new Set<string>();
  let scheduled = false;
  let closed = false;
  const flush = () => {
    scheduled = false;
    const list = [...pending];
    pending = new Set();
    if (list.length > 0 && !closed) onPaths(list);
  };
  const queue = (p: string) => {
    pending.add(p);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const add = async (dir: string, depth: number): Promise<void> => {
    if (closed || watchers.has(dir) || watchers.size >= MAX_DIRS || depth > 64) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null) {
          queue(dir);
          return;
        }
        const p = path.join(dir, name.toString());
        queue(p);
        // A new directory (or one renamed in): watch it and everything already inside.
        void fs
          .lstat(p)
          .then((st) => {
            if (st.isDirectory() && !watchers.has(p)) return addTree(p, depth + 1, true);
          })
          .catch(() => {
            const gone = watchers.get(p);
            if (gone) {
              gone.close();
              watchers.delete(p);
            }
          });
      });
    } catch (err) {
      log('warn', `cannot watch ${dir}: ${(err as Error).message}`);
      return;
    }
    w.on('error', () => {
      w.close();
      watchers.delete(dir);
    });
    watchers.set(dir, w);
  };

  const addTree = async (dir: string, depth: number, announce: boolean): Promise<void> => {
    await add(dir, depth);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(dir, n);
      // Files written into a directory before its watch was in place are reported too.
      if (announce) queue(p);
      const st = await fs.lstat(p).catch(() => undefined);
      if (st?.isDirectory()) await addTree(p, depth + 1, announce);
    }
  };

  const ready = Promise.all(
    state.roots.map((r) =>
      fs
        .lstat(r.root)
        .then((st) => (st.isDirectory() ? addTree(r.root, 0, false) : add(path.dirname(r.root), 0)))
        .catch(() => add(path.dirname(r.root), 0)),
    ),
  ).then(() => undefined);

  return {
    ready,
    get watched() {
      return watchers.size;
    },
    close() {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
