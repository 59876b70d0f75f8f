import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TEMP_PREFIX, type DesiredState, type ProtectedRoot } from './desired-state.js';

const MAX_DEPTH = 64;
const MAX_ENTRIES = 2_000_000;

/**
 * Every tracked path under a root, parents before children; symlinks are entries, never
 * followed (a link out of the tree must not pull /etc/shadow into a web root's snapshot).
 * `opts.from` starts below the root; `opts.temps` receives leftover restore temp files (a kill -9 mid-restore) for sweeping.
 */
export async function walkRoot(
  state: DesiredState,
  root: ProtectedRoot,
  visit: (p: string, isDir: boolean) => Promise<void> | void,
  opts: { from?: string; temps?: string[] } = {},
): Promise<void> {
  let count = 0;
  const temps = opts.temps;
  const start = opts.from ?? root.root;
  const st = await fs.lstat(start).catch(() => undefined);
  if (!st) return;
  const rec = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || count > MAX_ENTRIES) return;
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return;
    }
    names.sort();
    for (const name of names) {
      const p = path.join(dir, name);
      if (name.startsWith(TEMP_PREFIX)) {
        temps?.push(p);
        continue;
      }
      const s = await fs.lstat(p).catch(() => undefined);
      if (!s) continue;
      // The most specific root owns a path: a nested root is walked on its own.
      if (state.rootOf(p) !== root) continue;
      const isDir = s.isDirectory();
      count++;
      if (state.tracks(p, root, isDir)) await visit(p, isDir);
      if (isDir && !root.exclude.some((re) => re.test(p))) await rec(p, depth + 1);
    }
  };
  if (state.tracks(start, root, st.isDirectory())) await visit(start, st.isDirectory());
  if (st.isDirectory()) await rec(start, 0);
}
