import type { BaselineEntry } from './baseline.js';
import type { FsEntry } from './fs-entry.js';
import { readEntry } from './fs-entry.js';
import type { HealFiles } from './heal-dirs.js';
import { walkRoot } from './walk.js';

export interface RecordReport {
  readonly entries: number;
  readonly files: number;
  readonly bytes: number;
  readonly tooLarge: readonly string[];
}

/** Snapshot one path into the blob store and return its baseline entry (undefined: absent). */
export async function capture(
  files: HealFiles,
  p: string,
  role: BaselineEntry['role'],
): Promise<{ entry: BaselineEntry; bytes: number } | undefined> {
  const r = await readEntry(p, { maxContent: files.maxFileSize });
  if (!r) return undefined;
  if (r.entry.type === 'file' && r.content === undefined) {
    return { entry: { ...r.entry, role, tooLarge: true }, bytes: 0 };
  }
  if (r.content) await files.blobs.put(r.content);
  return { entry: { ...r.entry, role }, bytes: r.content?.length ?? 0 };
}

/** `leuko baseline`: record every protected path's current state as known-good. */
export async function recordBaseline(files: HealFiles, at: number): Promise<RecordReport> {
  const seen = new Set<string>();
  let filesCount = 0;
  let bytes = 0;
  const tooLarge: string[] = [];
  for (const root of files.state.roots) {
    await walkRoot(files.state, root, async (p) => {
      const c = await capture(files, p, root.role);
      if (!c) return;
      seen.add(p);
      files.baseline.set(p, c.entry);
      if (c.entry.type === 'file') filesCount++;
      if (c.entry.tooLarge) tooLarge.push(p);
      bytes += c.bytes;
    });
  }
  // Paths no longer present or no longer protected leave the baseline.
  for (const p of files.baseline.under('/')) if (!seen.has(p)) files.baseline.delete(p);
  await files.baseline.save(at);
  return { entries: seen.size, files: filesCount, bytes, tooLarge };
}

/**
 * `leuko baseline accept PATH...` and changes inside a maintenance window: take what is on
 * disk now (recursively for directories) as known-good. A path gone from disk leaves the
 * baseline. Returns the accepted paths with what changed.
 */
export async function acceptPaths(
  files: HealFiles,
  paths: readonly string[],
): Promise<{ path: string; before?: FsEntry; after?: FsEntry }[]> {
  files.baseline.refresh();
  const out: { path: string; before?: FsEntry; after?: FsEntry }[] = [];
  for (const p of paths) {
    const root = files.state.rootOf(p);
    if (!root) continue;
    const present = new Set<string>();
    const take = async (q: string) => {
      const before = files.baseline.get(q);
      const c = await capture(files, q, root.role);
      if (!c) return;
      present.add(q);
      files.baseline.set(q, c.entry);
      out.push({ path: q, ...(before ? { before } : {}), after: c.entry });
    };
    const r = await readEntry(p, { maxContent: 0 });
    if (r && files.state.tracks(p, root, r.entry.type === 'dir')) await take(p);
    if (r?.entry.type === 'dir') {
      await walkRoot(
        files.state,
        root,
        async (q) => {
          if (q !== p) await take(q);
        },
        { from: p },
      );
    }
    for (const q of files.baseline.under(p)) {
      if (present.has(q)) continue;
      const before = files.baseline.get(q);
      files.baseline.delete(q);
      out.push({ path: q, ...(before ? { before } : {}) });
    }
  }
  await files.baseline.save();
  return out;
}
