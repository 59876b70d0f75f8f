import type { LeukoConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { SourceStats } from '../core/source.js';
import type { ApiRepos } from '../core/store.js';
import type { EnforcerStatus } from '../enforcement/enforcer.js';
import type { PipelineStats } from '../pipeline/pipeline-stats.js';
import { VERSION } from '../cli/version.js';

/** What the API reads from the running daemon (live counters, not the last commit). */
export interface RuntimeView {
  readonly startedAt: number;
  stats(): PipelineStats;
  sourceStats(): Record<string, SourceStats>;
  enforcer(): EnforcerStatus | undefined;
}

/** The body of GET /api/v1/status. */
export async function buildStatus(deps: {
  config: LeukoConfig;
  hostName: string;
  clock: Clock;
  runtime: RuntimeView;
  repos: ApiRepos;
  health: { current(): { name: string; detail: string; ok: boolean | null; checkedAt: number | null }[] };
}) {
  const now = deps.clock.now();
  const stats = deps.runtime.stats();
  const e = deps.runtime.enforcer();
  return {
    version: VERSION,
    mode: deps.config.policy.mode,
    host: deps.hostName,
    startedAt: deps.runtime.startedAt,
    now,
    counters: { ...stats } as Record<string, number>,
    sources: Object.fromEntries(
      Object.entries(deps.runtime.sourceStats()).map(([id, s]) => [id, { ...s } as Record<string, number>]),
    ),
    activeDecisions: await deps.repos.counts.activeDecisions(now),
    openIncidents: await deps.repos.counts.openIncidents(),
    pendingApprovals: e?.pendingApprovals ?? (await deps.repos.counts.pendingApprovals(now)),
    // How far behind the newest event the wall clock is: a growing lag means a stalled pipeline
    // (or a quiet log; the dashboard shows both numbers side by side).
    lagSeconds: stats.lastEventTime > 0 ? Math.max(0, (now - stats.lastEventTime) / 1000) : null,
    enforcer: e
      ? {
          breaker: { ...e.policy.breaker } as { state: string; reason?: string },
          drift: { ...e.drift },
          enforced: e.enforced,
          applyFailures: e.applyFailures,
          unhandledActions: [...e.unhandledActions],
        }
      : null,
    healthChecks: deps.health.current(),
  };
}
