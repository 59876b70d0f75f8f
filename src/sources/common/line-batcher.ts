import type { SourceStats } from '../../core/source.js';
import { createLineSplitter } from './line-splitter.js';

/**
 * Bytes in, batches of at most `batchLines` lines out, for sources that read a stream once
 * (replay, stdin). `take(true)` also hands over the last, partial batch: a source calls it
 * when its input pauses or ends, so lines never wait for a batch to fill.
 */
export function createLineBatcher(opts: { maxLineBytes: number; batchLines: number; stats: SourceStats }) {
  let batch: string[] = [];
  let ready: string[][] = [];
  const splitter = createLineSplitter({
    maxLineBytes: opts.maxLineBytes,
    stats: opts.stats,
    onLine(line) {
      batch.push(line);
      if (batch.length >= opts.batchLines) {
        ready.push(batch);
        batch = [];
      }
    },
  });
  return {
    feed: (chunk: Buffer, offset: number) => splitter.feed(chunk, offset),
    /** End of input: a final line without its newline becomes a line. */
    flush: () => splitter.flush(),
    take(includePartial: boolean): string[][] {
      if (includePartial && batch.length > 0) {
        ready.push(batch);
        batch = [];
      }
      const list = ready;
      ready = [];
      return list;
    },
  };
}
