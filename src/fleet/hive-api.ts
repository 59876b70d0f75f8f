import { hostname } from 'node:os';
import type { FleetView } from '../api/fleet-view.js';
import { createApiDeps, serveApi } from '../api/start.js';
import type { RuntimeView } from '../api/runtime-view.js';
import type { LeukoConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { createIdGenerator } from '../core/ids.js';
import type { RunningAddon } from '../daemon/addons.js';
import { emptyPipelineStats } from '../pipeline/pipeline-stats.js';
import { createApiRepos } from '../store/api-repos.js';
import type { PostgresStore } from '../store/postgres-store.js';
import type { FleetBus } from './bus.js';
import { readFleetStatus } from './fleet-status.js';
import type { HiveOutcome } from './hive.js';
import type { TrustRegistry } from './trust.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

/**
 * The hive's counters in the shape the API's status and metrics read (the daemon's pipeline
 * stats): messages taken from the fleet stream, detections and decisions stored, and the time
 * of the newest one (the hive's lag behind the fleet).
 */
export function createHiveRuntime(clock: Clock): RuntimeView & { onOutcome(o: HiveOutcome, subject: string): void } {
  const stats = emptyPipelineStats();
  return {
    startedAt: clock.now(),
    stats: () => stats,
    sourceStats: () => ({}),
    enforcer: () => undefined,
    onOutcome(outcome, subject) {
      stats.lines++;
      stats.lastEventTime = clock.now();
      if (outcome !== 'stored') return;
      // Subjects are leuko.fleet.<agent>.<kind> (bus.ts).
      const kind = subject.split('.')[3];
      if (kind === 'detection') stats.detections++;
      else if (kind === 'decision') stats.decisions++;
    },
  };
}

/**
 * `leuko hive`'s HTTP API and dashboard: the same routes as `leuko run`'s, over the hive's
 * PostgreSQL store (decisions and incidents from the whole fleet, fleet incidents among them),
 * plus the fleet view of the agents' heartbeats. Listens where `api:` says.
 */
export async function startHiveApi(deps: {
  config: LeukoConfig;
  configFile: string | undefined;
  store: PostgresStore;
  bus: FleetBus;
  registry: TrustRegistry;
  runtime: RuntimeView;
  clock: Clock;
  log: Log;
}): Promise<RunningAddon & { readonly port: number | undefined }> {
  const fleet: FleetView = { agents: () => readFleetStatus(deps.bus.status, deps.registry, deps.clock.now()) };
  const api = await createApiDeps(
    {
      config: deps.config,
      store: deps.store,
      clock: deps.clock,
      ids: createIdGenerator(),
      hostName: hostname(),
      log: deps.log,
    },
    deps.runtime,
    undefined,
    // The store is the hive's: closed by the hive after the API, not by the API.
    { backing: { repos: createApiRepos(deps.store.sql), close: () => undefined }, fleet },
  );
  return serveApi(api, { config: deps.config, configFile: deps.configFile, log: deps.log }, 'the hive');
}
