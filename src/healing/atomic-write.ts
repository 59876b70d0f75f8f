import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TEMP_PREFIX } from './desired-state.js';

/**
 * Replace `file` with `content` so that a crash (kill -9, power loss) at any point leaves
 * either the old file or the new one, never a partial one: write a temp file in the same
 * directory, set owner and mode, fsync it, rename it over the target, fsync the directory.
 * A leftover temp file (named TEMP_PREFIX…) is never tracked and is swept at start-up.
 */
export async function atomicWriteFile(
  file: string,
  content: Buffer,
  meta: { mode: number; uid?: number; gid?: number },
): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    if (meta.uid !== undefined && meta.gid !== undefined) await handle.chown(meta.uid, meta.gid);
    // chmod after chown: chown clears setuid/setgid bits.
    await handle.chmod(meta.mode);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** Make a rename durable: fsync the directory that holds it. */
export async function fsyncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, 'r').catch(() => undefined);
  if (!h) return;
  try {
    await h.sync().catch(() => undefined);
  } finally {
    await h.close().catch(() => undefined);
  }
}

/** Replace a symlink atomically (new link under a temp name, renamed over). */
export async function atomicSymlink(file: string, target: string, owner?: { uid: number; gid: number }): Promise<void> {
  const tmp = path.join(path.dirname(file), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
  await fs.symlink(target, tmp);
  if (owner) await fs.lchown(tmp, owner.uid, owner.gid).catch(() => undefined);
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(path.dirname(file));
}
