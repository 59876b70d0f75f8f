import type { SourceStats } from '../../core/source.js';
import { createLineSplitter } from './line-splitter.js';

/** Lines and the byte offset just after each (see LineBatch.ends). */
export interface SplitBatch {
  readonly lines: string[];
  readonly ends: number[];
}

/**
 * Bytes in, batches of at most `batchLines` lines out, for sources that read a stream once
 * (replay, stdin). `take(true)` also hands over the last, partial batch: a source calls it
 * when its input pauses or ends, so lines never wait for a batch to fill.
 */
export function createLineBatcher(opts: { maxLineBytes: number; batchLines: number; stats: SourceStats }) {
  let batch: SplitBatch = { lines: [], ends: [] };
  let ready: SplitBatch[] = [];
  const splitter = createLineSplitter({
    maxLineBytes: opts.maxLineBytes,
    stats: opts.stats,
    onLine(line, end) {
      batch.lines.push(line);
      batch.ends.push(end);
      if (batch.lines.length >= opts.batchLines) {
        ready.push(batch);
        batch = { lines: [], ends: [] };
      }
    },
  });
  return {
    feed: (chunk: Buffer, offset: number) => splitter.feed(chunk, offset),
    /** End of input: a final line without its newline becomes a line. */
    flush: () => splitter.flush(),
    take(includePartial: boolean): SplitBatch[] {
      if (includePartial && batch.lines.length > 0) {
        ready.push(batch);
        batch = { lines: [], ends: [] };
      }
      const list = ready;
      ready = [];
      return list;
    },
  };
}
