import type { Clock } from '../core/clock.js';
import type { LineBatch, Source } from '../core/source.js';

/**
 * Sources do not retry; this does. A source that throws is restarted with exponential
 * backoff (capped at 30 s), resuming from the last checkpoint the pipeline committed, so a
 * failing source never takes the daemon down and never re-reads what was already committed.
 */
export async function superviseSource(opts: {
  source: Source;
  signal: AbortSignal;
  /** The last committed checkpoint: read again before every (re)start. */
  loadCheckpoint(): Promise<string | undefined>;
  emit(batch: LineBatch): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
  clock: Clock;
}): Promise<void> {
  let attempt = 0;
  while (!opts.signal.aborted) {
    const checkpoint = await opts.loadCheckpoint();
    const started = opts.clock.now();
    try {
      await opts.source.run(opts.emit, {
        signal: opts.signal,
        ...(checkpoint === undefined ? {} : { checkpoint }),
        warn: (message, details) => opts.log('warn', `${opts.source.id}: ${message}`, details),
      });
      return;
    } catch (err) {
      opts.source.stats.errors++;
      if (opts.signal.aborted) return;
      // A run that lasted a while was healthy: start the backoff over.
      if (opts.clock.now() - started > 60_000) attempt = 0;
      const delay = Math.min(30_000, 250 * 2 ** attempt++);
      opts.log('error', `${opts.source.id}: source failed; restarting in ${delay} ms`, { error: String(err) });
      await sleep(delay, opts.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
