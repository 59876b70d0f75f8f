import { open } from 'node:fs/promises';
import { LeukoError } from '../../core/errors.js';
import { emptySourceStats, type Source } from '../../core/source.js';
import { createLineBatcher } from '../common/line-batcher.js';
import { DEFAULT_MAX_LINE_BYTES } from '../common/line-splitter.js';

export interface ReplayFileSourceOptions {
  readonly id: string;
  readonly path: string;
  readonly maxLineBytes?: number;
  readonly batchLines?: number;
  readonly chunkBytes?: number;
}

/**
 * Read a whole finished file once, in batches, with the same line rules as the tailer; an
 * unterminated last line is emitted at the end. Batches carry no checkpoint: a replay is
 * re-run from the start, and leaving it out lets the pipeline skip a commit per batch.
 * A file that cannot be opened is a `SOURCE_FAILED` error (the user named it explicitly).
 * Reads are sequential, never positioned, so a pipe works too (`-` is standard input):
 * `zcat auth.log.1.gz | leuko replay -`.
 *
 * @example
 * await createReplayFileSource({ id: 'replay', path: 'auth.log' }).run(processBatch, { signal, warn });
 */
export function createReplayFileSource(opts: ReplayFileSourceOptions): Source {
  const stats = emptySourceStats();
  const batchLines = Math.max(1, opts.batchLines ?? 1000);
  return {
    id: opts.id,
    stats,
    async run(emit, ctx) {
      let fh: Awaited<ReturnType<typeof open>>;
      try {
        fh = await open(opts.path === '-' ? '/dev/stdin' : opts.path, 'r');
      } catch (err) {
        stats.errors++;
        throw new LeukoError('SOURCE_FAILED', `cannot read ${opts.path}: ${(err as Error).message}`, {
          cause: err,
          details: { path: opts.path, code: (err as NodeJS.ErrnoException).code },
        });
      }
      try {
        const lines = createLineBatcher({
          maxLineBytes: opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
          batchLines,
          stats,
        });
        const send = async (includePartial: boolean) => {
          for (const batch of lines.take(includePartial)) {
            if (ctx.signal.aborted) return;
            stats.linesRead += batch.lines.length;
            await emit({ sourceId: opts.id, lines: batch.lines, ends: batch.ends, path: opts.path });
          }
        };
        // Two buffers: the next chunk is read (on the thread pool) while this one's lines are
        // processed, so the pipeline does not sit idle waiting for each read. The splitter copies
        // what it keeps of a chunk, so a buffer may be refilled once fed.
        const size = Math.max(4096, opts.chunkBytes ?? 256 * 1024);
        const bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)] as const;
        // Settled, never rejected: a read failing while a batch is processed must wait for the
        // loop to rethrow it, not surface as an unhandled rejection. (Closing the handle waits
        // for a read still in flight.)
        // Position null: read on from where the last read ended (one read is in flight at a time),
        // which a pipe allows and a positioned read (pread) does not.
        const readInto = (buf: Buffer) =>
          fh.read(buf, 0, size, null).then(
            (r) => ({ buf, n: r.bytesRead, error: undefined as unknown }),
            (error: unknown) => ({ buf, n: 0, error: error ?? new Error('read failed') }),
          );
        let pos = 0;
        let k = 0;
        let next = readInto(bufs[0]);
        while (!ctx.signal.aborted) {
          const r = await next;
          if (r.error !== undefined) throw r.error;
          if (r.n === 0) break;
          k ^= 1;
          next = readInto(k === 0 ? bufs[0] : bufs[1]);
          stats.bytesRead += r.n;
          lines.feed(r.buf.subarray(0, r.n), pos);
          pos += r.n;
          await send(false);
        }
        if (ctx.signal.aborted) return;
        lines.flush();
        await send(true);
      } finally {
        await fh.close();
      }
    },
  };
}
