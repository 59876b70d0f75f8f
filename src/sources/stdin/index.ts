import { emptySourceStats, type Source } from '../../core/source.js';
import { createLineBatcher } from '../common/line-batcher.js';
import { DEFAULT_MAX_LINE_BYTES } from '../common/line-splitter.js';
import { pumpStream } from '../common/stream-pump.js';

export interface StdinSourceOptions {
  readonly id?: string;
  /** Defaults to process.stdin. */
  readonly input?: NodeJS.ReadableStream;
  readonly maxLineBytes?: number;
  readonly batchLines?: number;
}

/**
 * Lines from standard input (or any injected stream), with the file source's line rules
 * (over-long lines skipped and counted, invalid UTF-8 counted, CRLF stripped). Ends at EOF,
 * emitting an unterminated last line. Not resumable: batches carry no checkpoint.
 *
 * @example
 * // cat auth.log | leuko check --format sshd -
 * await createStdinSource({}).run(processBatch, { signal, warn });
 */
export function createStdinSource(opts: StdinSourceOptions = {}): Source {
  const id = opts.id ?? 'stdin';
  const stats = emptySourceStats();
  const batchLines = Math.max(1, opts.batchLines ?? 1000);
  return {
    id,
    stats,
    async run(emit, ctx) {
      const lines = createLineBatcher({ maxLineBytes: opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, batchLines, stats });
      // Emit what has arrived as soon as the input pauses: interactive pipes must not wait
      // for a full batch.
      const send = async () => {
        const batches = lines.take(true);
        for (const [i, batch] of batches.entries()) {
          if (ctx.signal.aborted) return;
          stats.linesRead += batch.lines.length;
          // The last batch ends where the input paused: a record written at once is whole.
          await emit({
            sourceId: id,
            lines: batch.lines,
            ends: batch.ends,
            ...(i === batches.length - 1 ? { atEnd: true } : {}),
          });
        }
      };
      let offset = 0;
      const outcome = await pumpStream(opts.input ?? process.stdin, ctx.signal, async (chunks) => {
        for (const c of chunks) {
          stats.bytesRead += c.length;
          lines.feed(c, offset);
          offset += c.length;
        }
        await send();
      });
      if (outcome === 'end') {
        lines.flush();
        await send();
      }
    },
  };
}
