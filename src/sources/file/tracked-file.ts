import type { FileHandle } from 'node:fs/promises';
import { encodeCheckpoint, FINGERPRINT_BYTES, fingerprint } from './checkpoint.js';
import { type OpenedFile, readHead } from './file-ops.js';

/**
 * - `live`: the file the path points to.
 * - `rotated`: renamed away (or deleted) while possibly still open in the writing daemon; we
 *   keep reading it for the grace period before moving on.
 * - `copy`: a copytruncate copy holding the tail we had not read yet; it is never written
 *   again, so it is finished without a grace period.
 */
export type Role = 'live' | 'rotated' | 'copy';

export interface Identity {
  readonly dev: bigint;
  readonly ino: bigint;
}

/** A file the tailer holds open, with where it is in it. */
export interface TrackedFile extends Identity {
  readonly fh: FileHandle;
  readonly path: string;
  role: Role;
  /** Next byte to read. */
  readPos: number;
  /** End offset of the last batch handed to emit: where to resume after an I/O error. */
  emittedEnd: number;
  /** The file's first bytes as last read (up to FINGERPRINT_BYTES) and their hash. */
  head: Buffer;
  fp: string;
  /** Clock time at which the path was first seen no longer leading to this file. */
  rotatedAt: number | undefined;
  /** What the path led to at that moment, so a second quick rotation is not skipped over. */
  next: Identity | undefined;
  /** size:mtime at the last content check, to skip re-reading the head when nothing changed. */
  changeKey: string;
}

export async function trackFile(opened: OpenedFile, role: Role, readPos: number): Promise<TrackedFile> {
  const head = await readHead(opened.fh, FINGERPRINT_BYTES);
  return {
    fh: opened.fh,
    dev: opened.dev,
    ino: opened.ino,
    path: opened.path,
    role,
    readPos,
    emittedEnd: readPos,
    head,
    fp: fingerprint(head),
    rotatedAt: undefined,
    next: undefined,
    changeKey: '',
  };
}

/**
 * Keep `t.head` equal to the file's first bytes as we actually read them. Bytes read again
 * where the head already covers must match it: if not, the file was truncated and rewritten
 * under us (returns false and reads nothing into the head). The head is never refreshed with
 * a separate pread, which could silently adopt the rewritten content and hide the truncation.
 */
export function absorbHead(t: TrackedFile, chunk: Buffer, pos: number): boolean {
  if (pos >= FINGERPRINT_BYTES) return true;
  const known = t.head.length;
  const overlapEnd = Math.min(known, pos + chunk.length);
  if (overlapEnd > pos && !chunk.subarray(0, overlapEnd - pos).equals(t.head.subarray(pos, overlapEnd))) return false;
  if (pos <= known && known < FINGERPRINT_BYTES && pos + chunk.length > known) {
    const extra = chunk.subarray(known - pos, Math.min(chunk.length, FINGERPRINT_BYTES - pos));
    t.head = Buffer.concat([t.head, extra]);
    t.fp = fingerprint(t.head);
  }
  return true;
}

/** The checkpoint for "everything before `offset` in this file is done". */
export function checkpointOf(t: TrackedFile, offset: number): string {
  return encodeCheckpoint({
    dev: t.dev.toString(),
    ino: t.ino.toString(),
    offset,
    fpLen: t.head.length,
    fp: t.fp,
    path: t.path,
  });
}

/**
 * Where to start when tailing an existing file from its end: just after the last `\n`, so a
 * line being written right now is read whole once finished instead of as a torn fragment.
 * If no `\n` is found within the last maxLineBytes+1 bytes, that tail is the end of an
 * over-long line: start at the end and drop bytes up to the next `\n`.
 */
export async function endPosition(
  fh: FileHandle,
  size: number,
  maxLineBytes: number,
): Promise<{ offset: number; skipping: boolean }> {
  if (size === 0) return { offset: 0, skipping: false };
  const winStart = Math.max(0, size - maxLineBytes - 1);
  const buf = Buffer.allocUnsafe(size - winStart);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, winStart + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  const nl = buf.subarray(0, got).lastIndexOf(10);
  if (nl !== -1) return { offset: winStart + nl + 1, skipping: false };
  if (winStart === 0) return { offset: 0, skipping: false };
  return { offset: winStart + got, skipping: true };
}
