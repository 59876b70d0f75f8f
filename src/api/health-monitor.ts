import type { Clock } from '../core/clock.js';
import { type HealthSnapshot, runHealthChecks } from '../policy/health.js';
import type { HealthCheck } from '../policy/settings.js';

/**
 * The protected services' health for the dashboard: the policy's health checks (the ones that
 * gate and roll back actions), probed in the background at the shortest configured interval
 * (at least every 10 s), never on a request.
 */
export function createHealthMonitor(deps: { checks: readonly HealthCheck[]; clock: Clock }) {
  let last: HealthSnapshot | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const every = Math.max(10_000, Math.min(...deps.checks.map((c) => c.intervalMs), 60_000));
  const run = async () => {
    if (running || deps.checks.length === 0) return;
    running = true;
    try {
      last = await runHealthChecks(deps.checks, { now: () => deps.clock.now(), attempts: 1 });
    } finally {
      running = false;
    }
  };
  return {
    /** Each check with its last result (ok null until first probed). */
    current(): { name: string; detail: string; ok: boolean | null; checkedAt: number | null }[] {
      return deps.checks.map((c) => {
        const r = last?.results.find((x) => x.name === c.name);
        const what = c.type === 'http' ? `GET ${c.url} expects ${c.expect}` : `tcp ${c.host}:${c.port}`;
        return {
          name: c.name,
          detail: r ? `${what}: ${r.detail}` : what,
          ok: r ? r.ok : null,
          checkedAt: r ? (last?.at ?? null) : null,
        };
      });
    },
    run,
    start() {
      if (deps.checks.length === 0 || timer) return;
      void run();
      timer = setInterval(() => void run(), every);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type HealthMonitor = ReturnType<typeof createHealthMonitor>;
