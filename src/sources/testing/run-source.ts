import type { LineBatch, Source } from '../../core/source.js';

/** Test harness: runs a source, records batches and warnings, stops on demand. */
export interface RunningSource {
  readonly batches: LineBatch[];
  readonly warnings: { message: string; details?: Record<string, unknown> }[];
  lines(): string[];
  lastCheckpoint(): string | undefined;
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

export function runSource(
  source: Source,
  opts: { checkpoint?: string; stopAfterBatches?: number; onBatch?(b: LineBatch): Promise<void> | void } = {},
): RunningSource {
  const ac = new AbortController();
  const batches: LineBatch[] = [];
  const warnings: RunningSource['warnings'] = [];
  const done = source.run(
    async (b) => {
      batches.push(b);
      await opts.onBatch?.(b);
      if (opts.stopAfterBatches !== undefined && batches.length >= opts.stopAfterBatches) ac.abort();
    },
    {
      signal: ac.signal,
      ...(opts.checkpoint === undefined ? {} : { checkpoint: opts.checkpoint }),
      warn: (message, details) => {
        warnings.push(details === undefined ? { message } : { message, details });
      },
    },
  );
  return {
    batches,
    warnings,
    lines: () => batches.flatMap((b) => b.lines),
    lastCheckpoint: () => batches.at(-1)?.checkpoint,
    stop: async () => {
      ac.abort();
      await done;
    },
    done,
  };
}

/**
 * Poll `cond` until it holds. The bound only turns a hang into a readable failure; it is not
 * a timing assertion (tests never check how fast something happened).
 */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
