/**
 * Real-time bounds for OS work. Timeouts are about wall-clock waiting on the kernel or the
 * network, not about event time, so they use timers rather than the injected Clock.
 */

/** A signal that aborts when `parent` aborts or after `timeoutMs`, whichever comes first. */
export function withTimeout(parent: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(0, timeoutMs));
  return parent ? AbortSignal.any([parent, timeout]) : timeout;
}

/** Wait `ms`, resolving early (never rejecting) when the signal aborts; true if it slept fully. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Text for an abort reason: `timed out` for a timeout, the reason's message otherwise. */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r.name === 'TimeoutError' ? 'timed out' : r.message || r.name;
  return r === undefined ? 'aborted' : String(r);
}
