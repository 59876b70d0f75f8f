import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/store.js';
import { createReplayFileSource } from '../sources/index.js';
import { assemblePipeline, type PipelineExtensions } from './assemble.js';
import { applyHeapPolicy, REPLAY_HEAP_GROWING_PERCENT } from './heap-policy.js';
import type { PipelineStats } from './pipeline-stats.js';
import type { PipelineSettings } from './settings.js';

export interface ReplayResult {
  readonly stats: PipelineStats;
  readonly detections: readonly Detection[];
  readonly decisions: readonly Decision[];
  readonly files: readonly { path: string; lines: number; linesTooLong: number; invalidUtf8: number }[];
}

/**
 * Run the whole pipeline over finished log files on event time: the lines' own timestamps
 * drive buckets and windows, so a day of logs replays in seconds and raises the alerts a live
 * run would have. Files are read one after another, each with its own parser state.
 */
export async function replayFiles(opts: {
  paths: readonly string[];
  format: string;
  settings: PipelineSettings;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  signal?: AbortSignal;
  /** Called after each batch with lines and bytes done so far over all files. */
  onProgress?(linesDone: number, bytesDone: number): void;
  /**
   * Receives each detection as it is raised, instead of the result's `detections` (left empty):
   * a caller that reports only a few fields of each need not hold thousands of whole
   * detections (labels, evidence) until the end of a long replay.
   */
  onDetection?(detection: Detection): void;
  extensions?: PipelineExtensions;
}): Promise<ReplayResult> {
  // Before the pipeline is assembled: its processor would apply the service's policy.
  applyHeapPolicy(REPLAY_HEAP_GROWING_PERCENT);
  const detections: Detection[] = [];
  const decisions: Decision[] = [];
  const { processor } = assemblePipeline({
    settings: opts.settings,
    store: opts.store,
    clock: opts.clock,
    ids: opts.ids,
    formatFor: () => opts.format,
    persistEngineState: false,
    ...(opts.extensions ? { extensions: opts.extensions } : {}),
    listener: {
      onDetection:
        opts.onDetection ??
        // Keep one evidence line per detection: a long replay's report must not hold every line.
        ((d) => detections.push(d.evidence.length > 1 ? { ...d, evidence: d.evidence.slice(0, 1) } : d)),
      onDecision: (d) => decisions.push(d),
    },
  });
  const files: ReplayResult['files'][number][] = [];
  const signal = opts.signal ?? new AbortController().signal;
  let bytesBefore = 0;
  for (const [i, path] of opts.paths.entries()) {
    const source = createReplayFileSource({ id: `replay:${i}:${path}`, path });
    await source.run(
      async (batch) => {
        // A replay is not resumable: drop the checkpoint so no store write happens per batch.
        const { checkpoint: _ignored, ...lines } = batch;
        await processor.processBatch(lines);
        opts.onProgress?.(processor.stats.lines, bytesBefore + source.stats.bytesRead);
      },
      { signal, warn: () => undefined },
    );
    await processor.endOfInput(source.id, path);
    bytesBefore += source.stats.bytesRead;
    files.push({
      path,
      lines: source.stats.linesRead,
      linesTooLong: source.stats.linesTooLong,
      invalidUtf8: source.stats.invalidUtf8,
    });
  }
  await processor.tick(processor.stats.lastEventTime);
  return { stats: processor.stats, detections, decisions, files };
}
