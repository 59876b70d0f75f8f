import { type Clock, systemClock } from '../../core/clock.js';
import { emptySourceStats, type LineBatch, type Source, type SourceContext } from '../../core/source.js';
import { createLineSplitter, DEFAULT_MAX_LINE_BYTES } from '../common/line-splitter.js';
import { createChangeNotifier } from './change-notifier.js';
import { type FileCheckpoint, parseCheckpoint } from './checkpoint.js';
import { findSibling, openRegular, readHead, statPath, type Unavailable } from './file-ops.js';
import { resumeFrom } from './resume.js';
import { absorbHead, checkpointOf, endPosition, type Identity, type TrackedFile, trackFile } from './tracked-file.js';

export interface FileSourceOptions {
  readonly id: string;
  readonly path: string;
  /** Where to start in a file that exists at first start with no checkpoint (default 'end', like tail -F). */
  readonly startAt?: 'end' | 'beginning';
  /** Longer lines are counted in `stats.linesTooLong` and skipped (default 64 KiB). */
  readonly maxLineBytes?: number;
  /** Poll period, the fallback when fs.watch says nothing (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** Lines per batch at most (default 1000). */
  readonly batchLines?: number;
  /** How long a renamed-away file is still read for late writes (default 5000 ms). */
  readonly rotationGraceMs?: number;
  /** Bytes per read (default 64 KiB). */
  readonly chunkBytes?: number;
  readonly clock?: Clock;
}

/** Wraps an error thrown by `emit`, so it is rethrown rather than mistaken for an I/O error. */
class EmitFailed {
  constructor(readonly cause: unknown) {}
}

/**
 * Follow a log file like `tail -F`, durably: each batch carries a checkpoint (device, inode,
 * offset after its last line, fingerprint of the first KiB) so a restart — even after kill -9
 * — resumes exactly after the last committed line. Handles rename rotation with a grace
 * period for late writes, copytruncate, truncation, deletion, missing files and permission
 * errors; it never throws for those, it warns and keeps polling.
 *
 * @example
 * const src = createFileSource({ id: 'auth', path: '/var/log/auth.log' });
 * await src.run(async (b) => pipeline.process(b), { signal, checkpoint: store.checkpoint('auth'), warn });
 */
export function createFileSource(opts: FileSourceOptions): Source {
  const stats = emptySourceStats();
  return {
    id: opts.id,
    stats,
    run: (emit, ctx) => runTail(opts, stats, emit, ctx),
  };
}

async function runTail(
  opts: FileSourceOptions,
  stats: ReturnType<typeof emptySourceStats>,
  emit: (batch: LineBatch) => Promise<void>,
  ctx: SourceContext,
): Promise<void> {
  const { id, path } = opts;
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const batchLines = Math.max(1, opts.batchLines ?? 1000);
  const graceMs = opts.rotationGraceMs ?? 5000;
  const clock = opts.clock ?? systemClock;
  const { signal } = ctx;
  const notifier = createChangeNotifier(path, opts.pollIntervalMs ?? 250);
  const buf = Buffer.allocUnsafe(Math.max(4096, opts.chunkBytes ?? 64 * 1024));

  let batch: string[] = [];
  let ends: number[] = [];
  let ready: { lines: string[]; ends: number[]; end: number; atEnd: boolean }[] = [];
  const splitter = createLineSplitter({
    maxLineBytes,
    stats,
    onLine(line, end) {
      batch.push(line);
      ends.push(end);
      if (batch.length >= batchLines) {
        ready.push({ lines: batch, ends, end, atEnd: false });
        batch = [];
        ends = [];
      }
    },
  });

  /** A batch went out without `atEnd` since the last one that had it. */
  let owesEnd = false;
  let cur: TrackedFile | null = null;
  // A checkpoint we could not apply yet because the path was unreadable: retried as is, so a
  // passing permission problem never turns into re-reading the file from the start.
  let pendingResume: FileCheckpoint | null = null;
  let lastWarning = '';

  /** Warn once per distinct condition; polling every 250 ms must not flood the log. */
  function warnOnce(key: string, message: string, details: Record<string, unknown> = {}): void {
    if (key === lastWarning) return;
    lastWarning = key;
    ctx.warn(message, { sourceId: id, path, ...details });
  }

  function reportUnavailable(u: Unavailable): void {
    if (u.kind === 'missing') {
      warnOnce('missing', 'log file not found; waiting for it to appear');
    } else if (lastWarning !== `${u.kind}:${u.code}`) {
      stats.errors++;
      warnOnce(
        `${u.kind}:${u.code}`,
        u.kind === 'denied' ? 'permission denied on log file; retrying' : 'cannot open log file; retrying',
        { code: u.code },
      );
    }
  }

  function switchTo(t: TrackedFile, skipping = false): void {
    cur = t;
    splitter.reset(t.readPos, { skipping });
    batch = [];
    ends = [];
    ready = [];
  }

  /**
   * Emit completed batches, in order; with `cut`, also the lines read so far, then marked
   * `atEnd` when `cut` is the file's current end (`atEnd`).
   */
  async function emitReady(t: TrackedFile, cut: boolean, atEnd = false): Promise<void> {
    if (cut && batch.length > 0) {
      // lineStart, not the last line's end: over-long lines skipped after it are done too.
      ready.push({ lines: batch, ends, end: splitter.lineStart, atEnd });
      batch = [];
      ends = [];
    } else if (atEnd && ready.length > 0) ready[ready.length - 1]!.atEnd = true;
    else if (atEnd && owesEnd && !signal.aborted) {
      // The last batch was cut full, right at the end: say so with an empty batch, or a record
      // gate would hold its lines until the file grows again. It carries the last batch's
      // checkpoint again: every batch of this source has one (a consumer commits it as is).
      owesEnd = false;
      try {
        await emit({ sourceId: id, lines: [], path, checkpoint: checkpointOf(t, t.emittedEnd), atEnd: true });
      } catch (err) {
        throw new EmitFailed(err);
      }
    }
    const list = ready;
    ready = [];
    for (const b of list) {
      // After an abort the rest is dropped, uncommitted: the next run re-reads it.
      if (signal.aborted) return;
      const checkpoint = checkpointOf(t, b.end);
      stats.linesRead += b.lines.length;
      try {
        await emit({
          sourceId: id,
          lines: b.lines,
          ends: b.ends,
          path,
          checkpoint,
          ...(b.atEnd ? { atEnd: true } : {}),
        });
      } catch (err) {
        throw new EmitFailed(err);
      }
      t.emittedEnd = b.end;
      owesEnd = !b.atEnd;
    }
  }

  /**
   * Read `t` up to its current end, emitting as batches fill; back-pressure: at most one
   * chunk is read ahead of what `emit` has accepted. Returns 'rewritten' when bytes read
   * inside the first KiB contradict what we read there before (truncated and rewritten
   * between our check and our read): those bytes are not used.
   */
  async function drain(t: TrackedFile): Promise<'read' | 'idle' | 'rewritten'> {
    let any = false;
    while (!signal.aborted) {
      const { bytesRead } = await t.fh.read(buf, 0, buf.length, t.readPos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      if (!absorbHead(t, chunk, t.readPos)) {
        await emitReady(t, true);
        return 'rewritten';
      }
      any = true;
      stats.bytesRead += bytesRead;
      splitter.feed(chunk, t.readPos);
      t.readPos += bytesRead;
      if (ready.length > 0) await emitReady(t, false);
    }
    await emitReady(t, true, !signal.aborted);
    return any ? 'read' : 'idle';
  }

  /** Read a file we are leaving to its end, emit its unterminated last line, close it. */
  async function finish(t: TrackedFile): Promise<void> {
    await drain(t);
    if (signal.aborted) return;
    splitter.flush();
    await emitReady(t, true, true);
    cur = null;
    await t.fh.close().catch(() => undefined);
  }

  async function openPathFromStart(): Promise<void> {
    const r = await openRegular(path);
    if (r.kind !== 'open') return reportUnavailable(r);
    lastWarning = '';
    switchTo(await trackFile(r, 'live', 0));
  }

  async function openNext(next: Identity | undefined): Promise<void> {
    if (next !== undefined) {
      // Two rotations in quick succession: the file the path led to when we saw the first one
      // has itself been renamed away before we got to it. Read it first, from its start.
      const ps = await statPath(path);
      if (!(ps.kind === 'file' && ps.dev === next.dev && ps.ino === next.ino)) {
        const found = await findSibling(path, { anyName: true, identity: next, accept: async () => true });
        if (found !== null) {
          const t = await trackFile(found, 'rotated', 0);
          t.rotatedAt = clock.now();
          return switchTo(t);
        }
      }
    }
    await openPathFromStart();
  }

  async function applyResume(cp: FileCheckpoint): Promise<void> {
    const out = await resumeFrom(path, cp, clock.now());
    stats.rotations += out.rotations;
    stats.truncations += out.truncations;
    if (out.warning) ctx.warn(out.warning.message, { sourceId: id, ...out.warning.details });
    pendingResume = out.retry ? cp : null;
    if (out.cur !== null) {
      lastWarning = '';
      switchTo(out.cur);
    } else if (out.unavailable) {
      reportUnavailable(out.unavailable);
    }
  }

  async function start(): Promise<void> {
    if (ctx.checkpoint !== undefined) {
      const cp = parseCheckpoint(ctx.checkpoint);
      if (cp !== null) return applyResume(cp);
      ctx.warn('ignoring an unreadable checkpoint; starting as on a first run', { sourceId: id, path });
    }
    const r = await openRegular(path);
    // A file that appears (or becomes readable) later is new to us: read it from its start.
    if (r.kind !== 'open') return reportUnavailable(r);
    if (opts.startAt === 'beginning') return switchTo(await trackFile(r, 'live', 0));
    const pos = await endPosition(r.fh, r.size, maxLineBytes);
    const t = await trackFile(r, 'live', pos.offset);
    switchTo(t, pos.skipping);
    // Commit the starting position at once, as an empty batch: otherwise a quiet file gives
    // no checkpoint, and a restart would start "at the end" again, silently skipping every
    // line written while we were down. 'end' means the end at the very first start only.
    if (!pos.skipping && !signal.aborted) {
      try {
        await emit({ sourceId: id, lines: [], path, checkpoint: checkpointOf(t, pos.offset) });
      } catch (err) {
        throw new EmitFailed(err);
      }
    }
  }

  /**
   * Checked before each read of the live file: was it truncated? Either it is now shorter
   * than what we read, or — the race where it was truncated and re-grew past our offset
   * between two looks — its first bytes changed. Size alone misses the second case and would
   * resume mid-line in unrelated text. Checking before reading (not after) keeps the bytes at
   * our old offset in the rewritten file from being taken for the continuation.
   */
  async function truncated(t: TrackedFile): Promise<boolean> {
    const st = await t.fh.stat({ bigint: true });
    if (Number(st.size) < t.readPos) return true;
    const key = `${st.size}:${st.mtimeNs}`;
    if (key === t.changeKey || t.head.length === 0) return false;
    t.changeKey = key;
    return !(await readHead(t.fh, t.head.length)).equals(t.head);
  }

  async function onTruncated(t: TrackedFile): Promise<void> {
    stats.truncations++;
    ctx.warn('log file was truncated; reading it from the start', { sourceId: id, path, offset: t.readPos });
    // copytruncate copies the file before truncating it: if we had not read all of it, the
    // rest is in the copy (same first bytes, another inode). Finish that copy first.
    const resumeAt = splitter.lineStart;
    const copy = await findSibling(path, {
      anyName: false,
      accept: async (f) =>
        (f.dev !== t.dev || f.ino !== t.ino) &&
        f.size > resumeAt &&
        (await readHead(f.fh, t.head.length)).equals(t.head),
    });
    if (copy !== null) {
      await t.fh.close().catch(() => undefined);
      const c = await trackFile(copy, 'copy', resumeAt);
      c.next = { dev: t.dev, ino: t.ino };
      return switchTo(c);
    }
    // The held partial line belonged to the old content: dropped by the reset.
    switchTo(await trackFile({ kind: 'open', fh: t.fh, dev: t.dev, ino: t.ino, size: 0, path: t.path }, 'live', 0));
  }

  /**
   * After reaching the end of `t`: did the path move on (rotation, deletion) or did `t`
   * shrink? Returns true when it switched files or position, so the caller reads again at once.
   */
  async function inspect(t: TrackedFile): Promise<boolean> {
    const ps = await statPath(path);
    // While we hold `t` open its inode cannot be reused, so dev+ino equality is exact here.
    if (ps.kind === 'file' && ps.dev === t.dev && ps.ino === t.ino) {
      if (t.role === 'live') return false;
      // A rotated file moved back under the path (mv a b; mv b a): it is live again.
      t.role = 'live';
      t.rotatedAt = undefined;
      t.next = undefined;
      return false;
    }
    // We cannot see the path: keep reading what we hold rather than guess it was rotated.
    if (ps.kind === 'denied' || ps.kind === 'error') {
      reportUnavailable(ps);
      return false;
    }
    const now = clock.now();
    if (t.rotatedAt === undefined) {
      t.rotatedAt = now;
      if (t.role === 'live') t.role = 'rotated';
      if (ps.kind === 'missing') {
        warnOnce('gone', 'log file was moved or deleted; reading what is still written to it, then waiting for it');
      }
    }
    if (ps.kind === 'file' && t.next === undefined) t.next = { dev: ps.dev, ino: ps.ino };
    // Rename rotation: the daemon keeps writing to the old file until it reopens its log
    // (logrotate's postrotate SIGHUP, or buffered writes flushed late). Keep reading the old
    // descriptor for the grace period so those lines are not lost.
    if (t.role === 'rotated' && now - t.rotatedAt < graceMs) return false;
    const next = t.next;
    const wasRotated = t.role === 'rotated';
    await finish(t);
    if (signal.aborted) return true;
    if (wasRotated && next !== undefined) stats.rotations++;
    await openNext(next);
    return true;
  }

  let started = false;
  try {
    while (!signal.aborted) {
      if (!started) {
        try {
          await start();
          started = true;
        } catch (err) {
          if (err instanceof EmitFailed) throw err.cause;
          stats.errors++;
          warnOnce('start', 'error opening log file; retrying', { error: String(err) });
          await notifier.wait(signal);
          continue;
        }
      }
      if (cur === null) {
        if (pendingResume !== null) await applyResume(pendingResume);
        else await openPathFromStart();
        if (cur === null) {
          await notifier.wait(signal);
          continue;
        }
      }
      const t: TrackedFile = cur;
      try {
        if (t.role === 'live' && (await truncated(t))) {
          await onTruncated(t);
          continue;
        }
        const outcome = await drain(t);
        if (signal.aborted) break;
        if (outcome === 'rewritten') {
          await onTruncated(t);
          continue;
        }
        if (await inspect(t)) continue;
      } catch (err) {
        if (err instanceof EmitFailed) throw err.cause;
        // An I/O error on the open file (EIO, a vanished network mount): close it and resume
        // after the last batch handed out (lines read but not yet emitted are read again),
        // through the same checks as after a restart.
        stats.errors++;
        ctx.warn('error reading log file; reopening', { sourceId: id, path, error: String(err) });
        const failed: TrackedFile = cur ?? t;
        pendingResume = parseCheckpoint(checkpointOf(failed, failed.emittedEnd));
        cur = null;
        await failed.fh.close().catch(() => undefined);
        if (failed !== t) await t.fh.close().catch(() => undefined);
      }
      await notifier.wait(signal);
    }
  } finally {
    notifier.close();
    const open = cur as TrackedFile | null;
    if (open !== null) await open.fh.close().catch(() => undefined);
  }
}
