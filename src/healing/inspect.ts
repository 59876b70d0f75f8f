import type { BaselineEntry } from './baseline.js';
import type { ProtectedRoot } from './desired-state.js';
import { entryDiff, type FsEntry, readEntry, type StatKey, statKey } from './fs-entry.js';
import type { HealFiles } from './heal-dirs.js';
import { walkRoot } from './walk.js';

/** How a protected path differs from its known-good state. */
export interface Change {
  readonly path: string;
  readonly root: ProtectedRoot;
  readonly kind: 'modified' | 'added' | 'removed' | 'metadata' | 'type';
  readonly before?: BaselineEntry;
  readonly after?: FsEntry;
  /** `content`, `mode 0644 → 0777`, `owner 0:0 → 33:33`, `missing`... */
  readonly aspects: readonly string[];
  /** When the inode last changed (ms); judges maintenance windows. */
  readonly ctimeMs?: number;
  /** The new content, when it is a file small enough to read (for the diff and entropy). */
  readonly content?: Buffer;
}

/** Verified-good stat keys, so an unchanged file is not re-hashed on every scan. */
export type StatCache = Map<string, { key: StatKey; entry: FsEntry }>;

/** Compare one path with the baseline; undefined when it matches or is not tracked. */
export async function inspectPath(files: HealFiles, p: string, cache?: StatCache): Promise<Change | undefined> {
  const root = files.state.rootOf(p);
  // A root never recorded is not enforced: everything in it would look new.
  if (!root || !files.baseline.hasUnder(root.root)) return undefined;
  const want = files.baseline.get(p);
  const known = cache?.get(p);
  const r = await readEntry(p, { maxContent: files.maxFileSize, ...(known ? { known } : {}) });
  if (!want) {
    if (!r || !files.state.tracks(p, root, r.entry.type === 'dir')) return undefined;
    return {
      path: p,
      root,
      kind: 'added',
      after: r.entry,
      aspects: ['new'],
      ctimeMs: r.st.ctimeMs,
      ...(r.content ? { content: r.content } : {}),
    };
  }
  const aspects = entryDiff(want, r?.entry);
  if (aspects.length === 0) {
    if (r && cache) cache.set(p, { key: statKey(r.st), entry: r.entry });
    return undefined;
  }
  cache?.delete(p);
  const kind = !r
    ? 'removed'
    : want.type !== r.entry.type
      ? 'type'
      : aspects.includes('content') || aspects.some((a) => a.startsWith('target'))
        ? 'modified'
        : 'metadata';
  return {
    path: p,
    root,
    kind,
    before: want,
    ...(r ? { after: r.entry, ctimeMs: r.st.ctimeMs } : {}),
    aspects,
    ...(r?.content ? { content: r.content } : {}),
  };
}

/**
 * A full scan of one root: every baseline entry, then every path on disk not in the
 * baseline. `temps` collects leftover restore temp files.
 */
export async function scanRoot(
  files: HealFiles,
  root: ProtectedRoot,
  cache?: StatCache,
  temps?: string[],
): Promise<Change[]> {
  const out: Change[] = [];
  const seen = new Set<string>();
  if (!files.baseline.hasUnder(root.root)) return out;
  for (const p of files.baseline.under(root.root)) {
    if (files.state.rootOf(p) !== root) continue;
    seen.add(p);
    const c = await inspectPath(files, p, cache);
    if (c) out.push(c);
  }
  // A removed directory's children are reported once, as the directory.
  const removedDirs = out.filter((c) => c.kind === 'removed' && c.before?.type === 'dir').map((c) => `${c.path}/`);
  const kept = out.filter((c) => !(c.kind === 'removed' && removedDirs.some((d) => c.path.startsWith(d))));
  await walkRoot(
    files.state,
    root,
    async (p) => {
      if (seen.has(p)) return;
      const c = await inspectPath(files, p, cache);
      if (c) kept.push(c);
    },
    temps ? { temps } : {},
  );
  // A new directory's children are part of the directory's change.
  const addedDirs = kept.filter((c) => c.kind === 'added' && c.after?.type === 'dir').map((c) => `${c.path}/`);
  return kept.filter((c) => !(c.kind === 'added' && addedDirs.some((d) => c.path.startsWith(d))));
}

/** Every root. */
export async function scanAll(files: HealFiles, cache?: StatCache, temps?: string[]): Promise<Change[]> {
  files.baseline.refresh();
  const out: Change[] = [];
  for (const root of files.state.roots) out.push(...(await scanRoot(files, root, cache, temps)));
  return out;
}
