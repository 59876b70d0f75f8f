import { promises as fs } from 'node:fs';
import { atomicSymlink, atomicWriteFile } from './atomic-write.js';
import type { BaselineEntry } from './baseline.js';
import { entryDiff, readEntry } from './fs-entry.js';
import type { HealFiles } from './heal-dirs.js';
import type { QuarantineRecord } from './quarantine.js';
import { walkRoot } from './walk.js';

export interface RestoreReport {
  /** One line per change made: `restored /var/www/html/index.html (content)`. */
  readonly steps: string[];
  readonly quarantined: QuarantineRecord[];
  /** Paths that could not be brought back, with why. */
  readonly errors: string[];
}

type Why = { reason: string; decisionId?: string; at: number };

/** Bring one path to its baseline entry (no recursion). */
async function restoreOne(files: HealFiles, p: string, want: BaselineEntry, why: Why, out: RestoreReport) {
  const cur = await readEntry(p, { maxContent: 0 });
  const aspects = entryDiff(want, cur?.entry);
  if (aspects.length === 0) return;
  if (want.type === 'file' && want.tooLarge) {
    out.errors.push(`${p}: too large to have been snapshotted (protect.max_file_size); not restored`);
    return;
  }
  const contentDiffers =
    !cur || aspects.includes('content') || aspects[0]?.startsWith('type') || aspects[0]?.startsWith('target');
  if (cur && contentDiffers) {
    // Evidence first. A wrong-typed entry (a directory where a file belongs) is moved away
    // whole; a file is copied, then replaced atomically below.
    const how = cur.entry.type === 'dir' || want.type !== cur.entry.type ? 'move' : 'copy';
    out.quarantined.push(await files.quarantine.add(p, cur.entry, how, why));
  }
  if (want.type === 'dir') {
    if (cur?.entry.type !== 'dir') await fs.mkdir(p, { mode: want.mode });
    await fs.chown(p, want.uid, want.gid).catch(() => undefined);
    await fs.chmod(p, want.mode);
  } else if (want.type === 'symlink') {
    if (contentDiffers || !cur) await atomicSymlink(p, want.target ?? '', { uid: want.uid, gid: want.gid });
    else await fs.lchown(p, want.uid, want.gid).catch(() => undefined);
  } else if (want.type === 'file') {
    if (contentDiffers || !cur || !want.sha) {
      const content = await files.blobs.get(want.sha ?? '');
      await atomicWriteFile(p, content, { mode: want.mode, uid: want.uid, gid: want.gid });
    } else {
      // Metadata only: owner first (chown clears setuid), then mode; each call is atomic.
      await fs.chown(p, want.uid, want.gid);
      await fs.chmod(p, want.mode);
    }
  } else {
    out.errors.push(`${p}: a ${want.type} entry cannot be restored`);
    return;
  }
  out.steps.push(`restored ${p} (${aspects.join(', ')})`);
}

/**
 * Make `p` equal to the baseline: a file is restored (content, mode, owner) atomically after
 * its tampered version is copied to quarantine; a directory is restored recursively and any
 * path under it that the baseline does not know is moved to quarantine; a path the baseline
 * does not know at all is quarantined. Idempotent: a path already in its known-good state is
 * left untouched.
 */
export async function restorePath(files: HealFiles, p: string, why: Why): Promise<RestoreReport> {
  files.baseline.refresh();
  const out: RestoreReport = { steps: [], quarantined: [], errors: [] };
  const want = files.baseline.get(p);
  const root = files.state.rootOf(p);
  if (!root) {
    out.errors.push(`${p} is not under a protected path`);
    return out;
  }
  if (!want) {
    const cur = await readEntry(p, { maxContent: 0 });
    if (cur) {
      out.quarantined.push(await files.quarantine.add(p, cur.entry, 'move', why));
      out.steps.push(`quarantined ${p} (not in the baseline)`);
    }
    return out;
  }
  const paths = want.type === 'dir' ? files.baseline.under(p) : [p];
  // Parents first (sorted), so a removed directory exists before its files are written.
  for (const q of paths) {
    const e = files.baseline.get(q);
    if (!e) continue;
    try {
      await restoreOne(files, q, e, why, out);
    } catch (err) {
      out.errors.push(`${q}: ${(err as Error).message}`);
    }
  }
  if (want.type === 'dir') {
    const extra: string[] = [];
    await walkRoot(
      files.state,
      root,
      (q) => {
        if (!files.baseline.get(q) && !extra.some((d) => q.startsWith(`${d}/`))) extra.push(q);
      },
      { from: p },
    );
    for (const q of extra) {
      const cur = await readEntry(q, { maxContent: 0 });
      if (!cur) continue;
      try {
        out.quarantined.push(await files.quarantine.add(q, cur.entry, 'move', why));
        out.steps.push(`quarantined ${q} (not in the baseline)`);
      } catch (err) {
        out.errors.push(`${q}: ${(err as Error).message}`);
      }
    }
  }
  return out;
}

/** What still differs from the baseline at `p` (recursively for directories); empty: in force. */
export async function verifyPath(files: HealFiles, p: string): Promise<string[]> {
  files.baseline.refresh();
  const want = files.baseline.get(p);
  const root = files.state.rootOf(p);
  if (!root) return [`${p} is not protected`];
  if (!want) {
    const cur = await readEntry(p, { maxContent: 0 });
    return cur ? [`${p} still present`] : [];
  }
  const problems: string[] = [];
  for (const q of want.type === 'dir' ? files.baseline.under(p) : [p]) {
    const e = files.baseline.get(q);
    if (!e || (e.type === 'file' && e.tooLarge)) continue;
    const aspects = entryDiff(e, (await readEntry(q))?.entry);
    if (aspects.length > 0) problems.push(`${q}: ${aspects.join(', ')}`);
  }
  if (want.type === 'dir') {
    await walkRoot(
      files.state,
      root,
      (q) => {
        if (!files.baseline.get(q) && problems.length < 100) problems.push(`${q}: not in the baseline`);
      },
      { from: p },
    );
  }
  return problems;
}
