import { createHash } from 'node:crypto';

/** How many leading bytes identify a file's content (beyond its inode, which gets reused). */
export const FINGERPRINT_BYTES = 1024;

/**
 * A file source's resume point, stored by the pipeline as JSON text next to the results of the
 * batch it follows. `offset` is the byte just after the last line of that batch, so resuming
 * there neither loses nor repeats a line. `dev`+`ino` say which file it was (strings: inode
 * numbers can exceed 2^53); `fp` (a hash of its first `fpLen` bytes) catches a reused inode
 * and a file that was truncated and rewritten while we were not looking.
 */
export interface FileCheckpoint {
  readonly v: 1;
  readonly dev: string;
  readonly ino: string;
  readonly offset: number;
  readonly fpLen: number;
  readonly fp: string;
  /** Where the file was opened from (informational; identity is dev+ino+fp). */
  readonly path: string;
}

export function fingerprint(head: Uint8Array): string {
  return createHash('sha256').update(head).digest('hex').slice(0, 32);
}

export function encodeCheckpoint(cp: Omit<FileCheckpoint, 'v'>): string {
  return JSON.stringify({
    v: 1,
    dev: cp.dev,
    ino: cp.ino,
    offset: cp.offset,
    fpLen: cp.fpLen,
    fp: cp.fp,
    path: cp.path,
  });
}

/** Parse a stored checkpoint; null when it is not one of ours (corrupt, or another source type's). */
export function parseCheckpoint(text: string): FileCheckpoint | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  const isDigits = (x: unknown): x is string => typeof x === 'string' && /^\d{1,20}$/.test(x);
  if (o['v'] !== 1 || !isDigits(o['dev']) || !isDigits(o['ino']) || !isCount(o['offset']) || !isCount(o['fpLen'])) {
    return null;
  }
  if (o['fpLen'] > FINGERPRINT_BYTES || typeof o['fp'] !== 'string' || !/^[0-9a-f]{32}$/.test(o['fp'])) return null;
  return {
    v: 1,
    dev: o['dev'],
    ino: o['ino'],
    offset: o['offset'],
    fpLen: o['fpLen'],
    fp: o['fp'],
    path: typeof o['path'] === 'string' ? o['path'] : '',
  };
}
