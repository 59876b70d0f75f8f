import type { FileCheckpoint } from './checkpoint.js';
import { findSibling, headMatches, openRegular, type Unavailable } from './file-ops.js';
import { type TrackedFile, trackFile } from './tracked-file.js';

/** What resuming from a checkpoint found, for the tailer to apply. */
export interface ResumeOutcome {
  /** The file to read next (the checkpointed one, its rotated name, its copy, or the new file). */
  readonly cur: TrackedFile | null;
  /** Why the path itself could not be opened, when that is all we know. */
  readonly unavailable?: Unavailable;
  /** The path could not be checked (permission, I/O error): try this resume again later. */
  readonly retry: boolean;
  readonly rotations: number;
  readonly truncations: number;
  readonly warning?: { readonly message: string; readonly details: Record<string, unknown> };
}

/**
 * Find where the lines after checkpoint `cp` are now. Cases, in the order they are checked:
 * 1. The path still holds the same file (dev+ino, same first bytes, at least `offset` long):
 *    continue at `offset`.
 * 2. Same inode but shorter or with other first bytes: it was truncated while we were down
 *    (copytruncate). Its unread tail may survive in the copy (`auth.log.1`, same first bytes,
 *    other inode): finish that from `offset`, then read the path from the start.
 * 3. The path is another file or is gone: it was rotated (renamed) while we were down. Find
 *    the old inode under any name in the directory (and check its first bytes, inode numbers
 *    get reused), finish it from `offset` — with the usual grace, the daemon may still write
 *    to it — then read the new file from the start.
 * 4. Not found (compressed or deleted since): say which bytes may be lost, start the new file.
 */
export async function resumeFrom(path: string, cp: FileCheckpoint, now: number): Promise<ResumeOutcome> {
  const dev = BigInt(cp.dev);
  const ino = BigInt(cp.ino);
  const opened = await openRegular(path);
  const none = { retry: false, rotations: 0, truncations: 0 };

  if (opened.kind === 'open' && opened.dev === dev && opened.ino === ino) {
    if (opened.size >= cp.offset && (await headMatches(opened.fh, cp.fpLen, cp.fp))) {
      return { ...none, cur: await trackFile(opened, 'live', cp.offset) };
    }
    const copy = await findSibling(path, {
      anyName: false,
      accept: async (f) =>
        (f.dev !== dev || f.ino !== ino) && f.size >= cp.offset && (await headMatches(f.fh, cp.fpLen, cp.fp)),
    });
    if (copy !== null) {
      await opened.fh.close();
      return { ...none, truncations: 1, cur: await trackFile(copy, 'copy', cp.offset) };
    }
    return {
      ...none,
      truncations: 1,
      cur: await trackFile(opened, 'live', 0),
      warning: {
        message: 'log file was truncated while stopped and no copy of its unread tail was found',
        details: { path, offset: cp.offset },
      },
    };
  }

  if (opened.kind === 'denied' || opened.kind === 'error') {
    // We cannot tell whether the path still holds our file: do not guess (guessing "new file"
    // would re-read it from the start). Keep the checkpoint and retry.
    return { ...none, cur: null, unavailable: opened, retry: true };
  }

  const old = await findSibling(path, {
    anyName: true,
    identity: { dev, ino },
    accept: async (f) => f.size >= cp.offset && (await headMatches(f.fh, cp.fpLen, cp.fp)),
  });
  if (old !== null) {
    if (opened.kind === 'open') await opened.fh.close();
    const t = await trackFile(old, 'rotated', cp.offset);
    t.rotatedAt = now;
    return { ...none, cur: t };
  }

  const warning = {
    message:
      'the file this source was reading was rotated away while stopped and cannot be found; its unread lines are lost',
    details: { path, was: cp.path, offset: cp.offset },
  };
  if (opened.kind === 'open') return { ...none, rotations: 1, warning, cur: await trackFile(opened, 'live', 0) };
  return { ...none, warning, cur: null, unavailable: opened };
}
