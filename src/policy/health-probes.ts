import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheck } from './settings.js';

/** One probe's answer. Failures are values (the service is down), never throws. */
export interface ProbeResult {
  readonly name: string;
  readonly ok: boolean;
  /** `HTTP 200`, `connected`, `timeout after 5000 ms`, `ECONNREFUSED`... */
  readonly detail: string;
}

export interface HealthSnapshot {
  readonly at: number;
  readonly results: readonly ProbeResult[];
}

function errorText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}

/** GET the URL (no redirects followed: a redirect to a login page is not health) and compare the status. */
export function probeHttp(check: Extract<HealthCheck, { type: 'http' }>, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok: boolean, detail: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ name: check.name, ok, detail });
    };
    let url: URL;
    try {
      url = new URL(check.url);
    } catch {
      resolve({ name: check.name, ok: false, detail: `invalid url ${check.url}` });
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      { method: 'GET', headers: { 'user-agent': 'leuko-health/1', connection: 'close' } },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        done(status === check.expect, `HTTP ${status}${status === check.expect ? '' : ` (expected ${check.expect})`}`);
        req.destroy();
      },
    );
    const timer = setTimeout(() => {
      done(false, `timeout after ${check.timeoutMs} ms`);
      req.destroy();
    }, check.timeoutMs);
    req.on('error', (err) => done(false, errorText(err)));
    signal?.addEventListener(
      'abort',
      () => {
        done(false, 'aborted');
        req.destroy();
      },
      { once: true },
    );
    req.end();
  });
}

/** Open a TCP connection and close it at once. */
export function probeTcp(check: Extract<HealthCheck, { type: 'tcp' }>, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host: check.host, port: check.port });
    const done = (ok: boolean, detail: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ name: check.name, ok, detail });
    };
    const timer = setTimeout(() => done(false, `timeout after ${check.timeoutMs} ms`), check.timeoutMs);
    socket.once('connect', () => done(true, 'connected'));
    socket.once('error', (err) => done(false, errorText(err)));
    signal?.addEventListener('abort', () => done(false, 'aborted'), { once: true });
  });
}

export function probe(check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult> {
  return check.type === 'http' ? probeHttp(check, signal) : probeTcp(check, signal);
}

/**
 * Probe every check (in parallel). A check counts as failing only if all `attempts` fail, so
 * one dropped packet does not roll back a good ban.
 */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  opts: { readonly now: () => number; readonly attempts?: number; readonly signal?: AbortSignal },
): Promise<HealthSnapshot> {
  const attempts = Math.max(1, Math.floor(opts.attempts ?? 2));
  const results = await Promise.all(
    checks.map(async (check) => {
      let last: ProbeResult = { name: check.name, ok: false, detail: 'not probed' };
      for (let i = 0; i < attempts; i++) {
        last = await probe(check, opts.signal);
        if (last.ok || opts.signal?.aborted) break;
      }
      return last;
    }),
  );
  return { at: opts.now(), results };
}
