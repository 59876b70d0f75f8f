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
        fh = await open(opts.path, 'r');
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
            stats.linesRead += batch.length;
            await emit({ sourceId: opts.id, lines: batch, path: opts.path });
          }
        };
        const buf = Buffer.allocUnsafe(Math.max(4096, opts.chunkBytes ?? 256 * 1024));
        let pos = 0;
        while (!ctx.signal.aborted) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
          if (bytesRead === 0) break;
          stats.bytesRead += bytesRead;
          lines.feed(buf.subarray(0, bytesRead), pos);
          pos += bytesRead;
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
