import { type FileHandle, lstat, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FINGERPRINT_BYTES, fingerprint } from './checkpoint.js';

/** Why a path could not be used: each is retried later, none is fatal for a tailing source. */
export type Unavailable =
  | { readonly kind: 'missing' }
  | { readonly kind: 'denied'; readonly code: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

export type PathState = { readonly kind: 'file'; readonly dev: bigint; readonly ino: bigint } | Unavailable;

/** An open regular file and the identity of what was actually opened (fstat, not stat: no race). */
export interface OpenedFile {
  readonly kind: 'open';
  readonly fh: FileHandle;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: number;
  readonly path: string;
}

export function classifyError(err: unknown): Unavailable {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'denied', code };
  return { kind: 'error', code, message: err instanceof Error ? err.message : String(err) };
}

export async function statPath(path: string): Promise<PathState> {
  try {
    const st = await stat(path, { bigint: true });
    return { kind: 'file', dev: st.dev, ino: st.ino };
  } catch (err) {
    return classifyError(err);
  }
}

export async function openRegular(path: string): Promise<OpenedFile | Unavailable> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    return classifyError(err);
  }
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) {
      await fh.close();
      return { kind: 'error', code: 'ENOTREG', message: `${path} is not a regular file` };
    }
    return { kind: 'open', fh, dev: st.dev, ino: st.ino, size: Number(st.size), path };
  } catch (err) {
    await fh.close().catch(() => undefined);
    return classifyError(err);
  }
}

/** Read up to `len` bytes from the start of the file (fewer if it is shorter). */
export async function readHead(fh: FileHandle, len: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** True when the file's first `fpLen` bytes hash to `fp` (false if it has fewer bytes). */
export async function headMatches(fh: FileHandle, fpLen: number, fp: string): Promise<boolean> {
  const head = await readHead(fh, Math.min(fpLen, FINGERPRINT_BYTES));
  return head.length === fpLen && fingerprint(head) === fp;
}

// Compressed rotations cannot be read back as text; never pick them as a candidate.
const COMPRESSED = /\.(gz|bz2|xz|zst|lz4|z|zip)$/i;

/**
 * Search the directory of `path` for a rotated sibling, trying logrotate's usual names first
 * (`auth.log.1`, then other `auth.log*` names such as `auth.log-20260101`), then any other
 * regular file in the directory. Returns the first file `accept` says yes to, opened.
 */
export async function findSibling(
  path: string,
  opts: {
    anyName: boolean;
    /** Only consider the file with this identity (checked with lstat before opening anything). */
    identity?: { readonly dev: bigint; readonly ino: bigint };
    accept(file: OpenedFile): Promise<boolean>;
  },
): Promise<OpenedFile | null> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  const rank = (n: string) => (n === `${base}.1` ? 0 : n.startsWith(base) ? 1 : 2);
  const candidates = names
    .filter((n) => n !== base && !COMPRESSED.test(n) && (opts.anyName || rank(n) < 2))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const name of candidates) {
    const full = join(dir, name);
    try {
      // lstat: a symlink to the live file must not be mistaken for its rotated copy.
      const st = await lstat(full, { bigint: true });
      if (!st.isFile()) continue;
      if (opts.identity && (st.dev !== opts.identity.dev || st.ino !== opts.identity.ino)) continue;
    } catch {
      continue;
    }
    const opened = await openRegular(full);
    if (opened.kind !== 'open') continue;
    if (await opts.accept(opened).catch(() => false)) return opened;
    await opened.fh.close().catch(() => undefined);
  }
  return null;
}
