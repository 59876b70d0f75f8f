import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A holder that died (kill -9) leaves its lock file; after this long it is taken over. */
const STALE_MS = 30_000;
const RETRY_MS = 10;

/**
 * Run `fn` holding an exclusive lock between processes on this host: a lock file created with
 * O_EXCL that names its holder. A lock whose holder is gone (pid not alive) or that is older
 * than STALE_MS is removed, so a crash never blocks the next writer for long.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const h = await fs.open(lockPath, 'wx', 0o600);
      try {
        await h.writeFile(String(process.pid));
      } finally {
        await h.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isStale(lockPath)) {
        await fs.unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockPath} is held by another process; try again`);
      await sleep(RETRY_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.unlink(lockPath).catch(() => undefined);
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  try {
    const [text, st] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    if (Date.now() - st.mtimeMs > STALE_MS) return true;
    const pid = Number(text);
    // Empty: the holder is between creating and writing it; give it time.
    if (!Number.isInteger(pid) || pid <= 0) return false;
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    // Gone between our open and our look: not stale, just retry.
    return false;
  }
}
