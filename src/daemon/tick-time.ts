/**
 * When a quiet log lets the wall clock move event time, and how far.
 *
 * Scenario state is event-time driven: a tick to time T leaks and garbage-collects every
 * bucket as if no line stamped before T could still come. That holds only once the sources
 * have caught up. While a backlog is read (a flood, a restart after downtime), its lines carry
 * times well behind the wall clock; a tick that jumped to the wall clock between two of its
 * batches dropped the part-filled bucket of a source whose lines straddled the batch boundary,
 * and that source never got its detection or decision (1–14 sources of a 10 000-source flood).
 *
 * So a tick is allowed only after `quietMs` with no batch, judged when the tick is about to
 * run (a tick queued behind a burst of batches finds the pipeline busy and is dropped), and it
 * moves event time only by the wall time that passed since the last batch: a stall between
 * two batches of a backlog (GC, a slow disk, the firewall's work on the same event loop) leaks
 * buckets by the stall's length, never by the backlog's whole lag. Live lines are stamped
 * about "now", so for a live log this is the wall clock, as before.
 */
export interface TickTime {
  /** A batch was just processed, whose events reached `lastEventTime` at most. */
  batchDone(now: number, lastEventTime: number): void;
  /** The event time a tick at wall time `now` may move to, or undefined: not quiet yet. */
  at(now: number): number | undefined;
}

/**
 * @example
 * const tt = createTickTime(1000);
 * tt.batchDone(10_000, 3_000); // a backlog line stamped 7 s ago
 * tt.at(10_500); // undefined: a batch ran 500 ms ago
 * tt.at(12_000); // 5_000: event time moves by the 2 s of quiet, not to the wall clock
 */
export function createTickTime(quietMs: number): TickTime {
  // Wall time the last batch finished; none yet: the wall clock is all there is to go by.
  let lastBatchAt = Number.NEGATIVE_INFINITY;
  let eventTime = 0;
  return {
    batchDone(now, lastEventTime) {
      lastBatchAt = now;
      eventTime = lastEventTime;
    },
    at(now) {
      const quiet = now - lastBatchAt;
      if (quiet < quietMs) return undefined;
      // No batch or no event yet: nothing lags, the wall clock is event time.
      if (!Number.isFinite(quiet) || eventTime <= 0) return now;
      // Never past the wall clock (the old bound): a log stamped ahead of it waits for lines.
      return Math.min(now, eventTime + quiet);
    },
  };
}
