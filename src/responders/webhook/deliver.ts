import { abortReason, sleep, withTimeout } from '../../platform/exec/index.js';

export interface DeliveryOptions {
  readonly headers: Readonly<Record<string, string>>;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts after the first, for 5xx, 429 and network errors. */
  readonly retries: number;
  /** First backoff; doubles each retry, capped at 30 s. */
  readonly backoffMs: number;
  readonly signal: AbortSignal;
}

export type Delivery =
  | { readonly ok: true; readonly status: number; readonly attempts: number }
  | {
      readonly ok: false;
      readonly status?: number;
      readonly attempts: number;
      readonly error: string;
      readonly retryable: boolean;
    };

const MAX_BACKOFF_MS = 30_000;

/**
 * POST with bounded retries. 4xx (bad URL, bad token) is not retried: it will not get better.
 * Redirects are not followed, so a signed body is never forwarded to a host nobody configured.
 */
export async function deliver(url: string, body: string, opts: DeliveryOptions): Promise<Delivery> {
  let last: Delivery = { ok: false, attempts: 0, error: 'not sent', retryable: true };
  for (let attempt = 1; attempt <= opts.retries + 1; attempt++) {
    if (opts.signal.aborted)
      return { ok: false, attempts: attempt - 1, error: abortReason(opts.signal), retryable: true };
    const signal = withTimeout(opts.signal, opts.timeoutMs);
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(url, { method: 'POST', headers: opts.headers, body, signal, redirect: 'manual' });
      // Drain so the connection is released; the receiver's answer is not used.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, attempts: attempt };
      const retryable = res.status >= 500 || res.status === 429;
      last = { ok: false, status: res.status, attempts: attempt, error: `HTTP ${res.status}`, retryable };
      if (!retryable) return last;
      const ra = Number(res.headers.get('retry-after'));
      if (Number.isFinite(ra) && ra > 0) retryAfterMs = Math.min(ra * 1000, MAX_BACKOFF_MS);
    } catch (e) {
      const why = signal.aborted ? abortReason(signal) : e instanceof Error ? causeText(e) : String(e);
      last = { ok: false, attempts: attempt, error: why, retryable: true };
    }
    if (attempt <= opts.retries) {
      const wait = retryAfterMs ?? Math.min(opts.backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      await sleep(wait, opts.signal);
    }
  }
  return last;
}

function causeText(e: Error): string {
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${e.message}: ${(cause as NodeJS.ErrnoException).code ?? cause.message}`;
  return e.message;
}
