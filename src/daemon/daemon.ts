import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { LineBatch, Source } from '../core/source.js';
import type { Store } from '../core/store.js';
import { assemblePipeline } from '../pipeline/assemble.js';
import { emptyPipelineStats, type PipelineStats } from '../pipeline/pipeline-stats.js';
import type { PipelineExtensions } from '../pipeline/assemble.js';
import {
  COUNTERS_STATE_KEY,
  DEDUP_STATE_KEY,
  detectorStateKey,
  ENGINE_STATE_KEY,
  parserStateKey,
  type ProcessorListener,
} from '../pipeline/processor.js';
import { createSerialQueue } from '../pipeline/serial-queue.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import type { Enforcer } from '../enforcement/enforcer.js';
import { superviseSource } from './supervisor.js';
import { createTickTime } from './tick-time.js';

export interface DaemonSource {
  readonly source: Source;
  readonly format: string;
}

export interface DaemonOptions {
  readonly settings: PipelineSettings;
  readonly sources: readonly DaemonSource[];
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hostName?: string;
  readonly listener?: ProcessorListener;
  /** How often event time is advanced by the wall clock when no line arrives. */
  readonly tickMs?: number;
  /** Longest wait before a quiet batch's checkpoint is committed (see Processor). */
  readonly commitIntervalMs?: number;
  /** Carries committed decisions through policy and responders; absent: record only. */
  readonly enforcer?: Enforcer;
  /**
   * Enrichers and detectors beside the scenario engine. A factory, because a failed commit
   * rebuilds the pipeline from the store and the detectors' in-memory state must go with it.
   */
  readonly extensions?: () => PipelineExtensions;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}

export interface RunningDaemon {
  readonly stats: PipelineStats;
  readonly sourceStats: () => Record<string, Source['stats']>;
  /**
   * Rebuild the pipeline from the store (scenarios re-read from their folders), between two
   * batches: pending checkpoints and the engine snapshot are committed first, so no line is
   * lost or read twice and buckets of unchanged scenarios carry over.
   */
  reload(): Promise<void>;
  /**
   * Follow one more source from now on (a file a path pattern names after start); `stop` ends
   * it alone, after the batches it emitted are processed. Ignored once the daemon stops.
   */
  addSource(source: DaemonSource): { stop(): Promise<void> };
  /**
   * End one followed source alone, one of the config's or one added since (a pattern's file that
   * is gone for good), after the batches it emitted are processed. False when none has that id.
   */
  stopSource(id: string): Promise<boolean>;
  /** Resolves when every source has stopped after `stop()` (or ended on its own). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * `leuko run`: start-up and teardown as ordered steps. Engine buckets are restored from the
 * last commit, each source resumes from its committed checkpoint, and teardown always writes
 * `daemon.stopped` to the audit log and waits for in-flight batches to commit.
 */
export async function startDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
  // The pipeline is rebuilt from the store after a failed commit: its in-memory state
  // (buckets, decision memory, counters) may be ahead of what was made durable, and
  // re-reading the batch on top of it would double-count lines or skip a lost decision.
  // Enforcement runs on its own queue: a slow firewall call never holds up log reading, and
  // decisions reach it only once they are durable.
  const enforcement = createSerialQueue();
  const enforce = (what: string, work: () => Promise<void>) => {
    enforcement.run(work).catch((err) => opts.log('error', `enforcement ${what} failed`, { error: String(err) }));
  };
  const listener: ProcessorListener = {
    ...opts.listener,
    onCommitted(decisions) {
      opts.listener?.onCommitted?.(decisions);
      const enforcer = opts.enforcer;
      if (enforcer) enforce('submit', () => enforcer.submit(decisions));
    },
  };
  if (opts.enforcer) await opts.enforcer.start();

  /** Releases the extensions of the pipeline in use (its learning DB handle) once it is replaced. */
  let closeExtensions: (() => void) | undefined;
  const releaseExtensions = (): void => {
    const close = closeExtensions;
    closeExtensions = undefined;
    try {
      close?.();
    } catch (err) {
      opts.log('warn', 'could not release the previous pipeline extensions', { error: String(err) });
    }
  };

  // The sources followed now: those of the config, and files a pattern named since.
  const sources = [...opts.sources];
  async function build() {
    const counters = await opts.store.loadState(COUNTERS_STATE_KEY);
    const dedupState = await opts.store.loadState(DEDUP_STATE_KEY);
    const parserStates = new Map<string, string>();
    for (const { source } of sources) {
      const state = await opts.store.loadState(parserStateKey(source.id));
      if (state) parserStates.set(source.id, state);
    }
    const extensions = opts.extensions?.();
    releaseExtensions();
    closeExtensions = extensions?.close;
    const assembled = assemblePipeline({
      settings: opts.settings,
      store: opts.store,
      clock: opts.clock,
      ids: opts.ids,
      formatFor: (id) => sources.find((s) => s.source.id === id)?.format ?? 'auto',
      persistEngineState: true,
      commitIntervalMs: opts.commitIntervalMs ?? 1000,
      ...(counters === undefined ? {} : { initialStats: parseCounters(counters) }),
      ...(opts.hostName === undefined ? {} : { hostName: opts.hostName }),
      listener,
      parserStates,
      // One syslog record can sit in two of the files followed (Debian's syslog and mail.log).
      dedupAcrossSources: sources.length > 1,
      ...(dedupState === undefined ? {} : { dedupState }),
      ...(extensions ? { extensions } : {}),
    });
    for (const detector of assembled.detectors) {
      if (!detector.restore) continue;
      const state = await opts.store.loadState(detectorStateKey(detector.name));
      if (state === undefined) continue;
      try {
        detector.restore(state);
      } catch (err) {
        opts.log('warn', `could not restore detector ${detector.name}; starting it fresh`, { error: String(err) });
      }
    }
    const saved = await opts.store.loadState(ENGINE_STATE_KEY);
    if (saved !== undefined) {
      try {
        assembled.engine.restore(saved);
      } catch (err) {
        // A snapshot from an incompatible version must not stop protection: start with empty buckets.
        opts.log('warn', 'could not restore scenario state; starting with empty buckets', { error: String(err) });
      }
    }
    return assembled.processor;
  }
  let processor = await build();
  const stats = processor.stats;
  const tickMs = opts.tickMs ?? 1000;
  const tickTime = createTickTime(tickMs);
  const processBatch = async (batch: LineBatch) => {
    try {
      await processor.processBatch(batch);
    } catch (err) {
      processor = await build();
      Object.assign(stats, processor.stats);
      throw err;
    } finally {
      tickTime.batchDone(opts.clock.now(), processor.stats.lastEventTime);
    }
    Object.assign(stats, processor.stats);
  };

  await opts.store.commit({
    audit: [
      {
        kind: 'daemon',
        action: 'daemon.started',
        subject: 'daemon',
        actor: 'leuko',
        at: opts.clock.now(),
        data: { sources: sources.map((s) => ({ id: s.source.id, format: s.format })) },
      },
    ],
  });

  const controller = new AbortController();
  const queue = createSerialQueue();
  const supervise = (source: Source, signal: AbortSignal) =>
    superviseSource({
      source,
      signal,
      loadCheckpoint: () => opts.store.loadCheckpoint(source.id),
      emit: (batch) => queue.run(() => processBatch(batch)),
      log: opts.log,
      clock: opts.clock,
    });
  const runs: Promise<void>[] = [];
  /** Each source's own stop: a source can end alone while the others go on. */
  const stoppers = new Map<string, () => Promise<void>>();
  /** Follow one source until the daemon stops or its own stopper is called. */
  const follow = (followed: DaemonSource) => {
    const own = new AbortController();
    const abort = () => own.abort();
    controller.signal.addEventListener('abort', abort, { once: true });
    const run = supervise(followed.source, own.signal);
    runs.push(run);
    let ended: Promise<void> | undefined;
    const stop = () => {
      ended ??= (async () => {
        own.abort();
        controller.signal.removeEventListener('abort', abort);
        await run;
        const at = sources.indexOf(followed);
        if (at >= 0) sources.splice(at, 1);
        stoppers.delete(followed.source.id);
      })();
      return ended;
    };
    stoppers.set(followed.source.id, stop);
    return stop;
  };
  for (const s of sources) follow(s);

  // Windows close on wall-clock time too when a log goes quiet.
  let tickQueued = false;
  const timer = setInterval(() => {
    // Only a quiet pipeline lets the wall clock move event time (see tick-time.ts). Judged
    // again when the tick's turn comes: batches queued before it may have run meanwhile.
    if (!tickQueued && tickTime.at(opts.clock.now()) !== undefined) {
      tickQueued = true;
      queue
        .run(async () => {
          tickQueued = false;
          const at = tickTime.at(opts.clock.now());
          if (at !== undefined) await processor.tick(at);
        })
        .catch((err) => opts.log('error', 'tick failed', { error: String(err) }));
    }
    const enforcer = opts.enforcer;
    if (enforcer) enforce('tick', () => enforcer.tick());
  }, tickMs);
  timer.unref();

  let stopped: Promise<void> | undefined;
  // Every source's run, those added later included.
  const done = (async () => {
    for (let n = -1; n !== runs.length; ) {
      n = runs.length;
      await Promise.all(runs);
    }
  })();

  return {
    stats,
    sourceStats: () => Object.fromEntries(sources.map((s) => [s.source.id, s.source.stats])),
    addSource(added) {
      if (stopped !== undefined || sources.some((s) => s.source.id === added.source.id))
        return { stop: async () => {} };
      sources.push(added);
      const stop = follow(added);
      opts.log('info', `${added.source.id}: following (${added.format})`);
      return { stop };
    },
    async stopSource(id) {
      const stop = stoppers.get(id);
      if (stop === undefined) return false;
      await stop();
      return true;
    },
    reload: () =>
      queue.run(async () => {
        await processor.flush();
        processor = await build();
        Object.assign(stats, processor.stats);
      }),
    done,
    stop() {
      stopped ??= (async () => {
        controller.abort();
        clearInterval(timer);
        await done;
        await queue.idle();
        await queue.run(() => processor.flush());
        releaseExtensions();
        await enforcement.idle();
        await opts.enforcer?.stop();
        await opts.store.commit({
          audit: [
            {
              kind: 'daemon',
              action: 'daemon.stopped',
              subject: 'daemon',
              actor: 'leuko',
              at: opts.clock.now(),
              data: { stats: { ...processor.stats } },
            },
          ],
        });
      })();
      return stopped;
    },
  };
}

function parseCounters(text: string): PipelineStats {
  try {
    return { ...emptyPipelineStats(), ...(JSON.parse(text) as Partial<PipelineStats>) };
  } catch {
    return emptyPipelineStats();
  }
}
