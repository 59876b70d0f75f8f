/**
 * Runs async tasks one at a time in arrival order. Sources emit concurrently; the detection
 * state (buckets, incident grouping, decision memory) must see one batch at a time.
 */
export interface SerialQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const result = tail.then(task, task);
      // Keep the chain alive even when a task fails; the caller still sees the rejection.
      tail = result.catch(() => undefined);
      return result;
    },
    idle() {
      return tail.then(() => undefined);
    },
  };
}
