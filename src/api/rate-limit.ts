import type { Clock } from '../core/clock.js';

/**
 * Failed authentications per client address in a fixed window. Past `max` failures the address
 * is refused (429) until the window ends, even with a good token: guessing tokens costs a
 * window per `max` guesses. Bounded memory: at most `maxClients` addresses are tracked; when
 * full, the oldest window is dropped (an attacker spraying addresses only resets himself).
 */
export function createFailureLimiter(opts: { clock: Clock; max?: number; windowMs?: number; maxClients?: number }) {
  const max = opts.max ?? 10;
  const windowMs = opts.windowMs ?? 60_000;
  const maxClients = opts.maxClients ?? 10_000;
  const windows = new Map<string, { start: number; failures: number }>();
  const current = (client: string) => {
    const w = windows.get(client);
    if (w && opts.clock.now() - w.start >= windowMs) {
      windows.delete(client);
      return undefined;
    }
    return w;
  };
  return {
    /** Seconds until this client may try again, or 0 when it is not blocked. */
    blockedFor(client: string): number {
      const w = current(client);
      if (!w || w.failures < max) return 0;
      return Math.max(1, Math.ceil((w.start + windowMs - opts.clock.now()) / 1000));
    },
    fail(client: string): void {
      const w = current(client);
      if (w) {
        w.failures++;
        return;
      }
      if (windows.size >= maxClients) {
        const oldest = windows.keys().next().value;
        if (oldest !== undefined) windows.delete(oldest);
      }
      windows.set(client, { start: opts.clock.now(), failures: 1 });
    },
  };
}

export type FailureLimiter = ReturnType<typeof createFailureLimiter>;
