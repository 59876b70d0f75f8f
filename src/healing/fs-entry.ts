import { createHash } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';

/** What a protected path is (or should be): type, permissions, owner and content hash. */
export interface FsEntry {
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** sha256 of the content (files). */
  readonly sha?: string;
  /** Link target (symlinks). */
  readonly target?: string;
}

/** Cheap identity of an unchanged file: a new inode or ctime means it was written (ctime cannot be set back). */
export interface StatKey {
  readonly ino: number;
  readonly ctimeMs: number;
  readonly size: number;
}

export function statKey(st: Stats): StatKey {
  return { ino: st.ino, ctimeMs: st.ctimeMs, size: st.size };
}

export function sameStatKey(a: StatKey | undefined, b: StatKey): boolean {
  return a !== undefined && a.ino === b.ino && a.ctimeMs === b.ctimeMs && a.size === b.size;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function typeOf(st: Stats): FsEntry['type'] {
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  return 'other';
}

/** The entry and (for files up to maxContent bytes) the content; undefined when absent. */
export async function readEntry(
  p: string,
  opts: { maxContent?: number; known?: { key: StatKey; entry: FsEntry } } = {},
): Promise<{ entry: FsEntry; content?: Buffer; st: Stats } | undefined> {
  let st: Stats;
  try {
    st = await fs.lstat(p);
  } catch {
    return undefined;
  }
  const base = { type: typeOf(st), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size };
  if (base.type === 'symlink') {
    const target = await fs.readlink(p).catch(() => '');
    return { entry: { ...base, target }, st };
  }
  if (base.type !== 'file') return { entry: { ...base, size: 0 }, st };
  if (opts.known && sameStatKey(opts.known.key, statKey(st)) && opts.known.entry.sha !== undefined) {
    return { entry: { ...base, sha: opts.known.entry.sha }, st };
  }
  if (st.size > (opts.maxContent ?? Number.POSITIVE_INFINITY)) {
    // Too large to keep: hash it streaming, content not returned.
    const h = createHash('sha256');
    const handle = await fs.open(p, 'r');
    try {
      for await (const chunk of handle.createReadStream()) h.update(chunk as Buffer);
    } finally {
      await handle.close().catch(() => undefined);
    }
    return { entry: { ...base, sha: h.digest('hex') }, st };
  }
  let content: Buffer;
  try {
    content = await fs.readFile(p);
  } catch {
    return undefined;
  }
  return { entry: { ...base, size: content.length, sha: sha256(content) }, content, st };
}

/** Which aspects differ; empty when the path matches its known-good entry. */
export function entryDiff(want: FsEntry, have: FsEntry | undefined): string[] {
  if (!have) return ['missing'];
  const out: string[] = [];
  if (want.type !== have.type) return [`type ${want.type} → ${have.type}`];
  if (want.type === 'file' && want.sha !== have.sha) out.push('content');
  if (want.type === 'symlink' && want.target !== have.target) out.push(`target ${want.target} → ${have.target}`);
  if (want.type !== 'symlink' && want.mode !== have.mode)
    out.push(`mode ${want.mode.toString(8).padStart(4, '0')} → ${have.mode.toString(8).padStart(4, '0')}`);
  if (want.uid !== have.uid || want.gid !== have.gid)
    out.push(`owner ${want.uid}:${want.gid} → ${have.uid}:${have.gid}`);
  return out;
}
