import { fleetAgentAddon } from '../fleet/agent.js';
import { apiAddon } from '../api/addon.js';
import type { LeukoConfig } from '../config/index.js';
import { exportsAddon } from '../exports/addon.js';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/store.js';
import type { Enforcer } from '../enforcement/enforcer.js';
import type { SwappablePolicyEngine } from '../policy/swappable.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import { healingAddon } from '../healing/addon.js';
import type { RunningDaemon } from './daemon.js';
import { intelAddon } from '../detectors/intel/addon.js';

export type DaemonLog = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

/** What a daemon add-on gets: the running pipeline and everything around it. */
export interface AddonContext {
  readonly config: LeukoConfig;
  /** Config file, when one was given (undefined on embedded defaults). */
  readonly configFile: string | undefined;
  readonly store: Store;
  readonly storeDir: string;
  /** The pipeline settings the daemon runs with (scenario folders, allowlist, decisions). */
  readonly settings: PipelineSettings;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hostName: string;
  readonly daemon: RunningDaemon;
  readonly enforcer: Enforcer | undefined;
  /** The enforcer's policy, swappable at run time (a fleet agent applies pushed policy to it). */
  readonly policy?: SwappablePolicyEngine;
  readonly log: DaemonLog;
}

/** A started add-on; `stop` runs during teardown, in reverse start order. */
export interface RunningAddon {
  stop(): Promise<void>;
}

/**
 * A long-running part of `leuko run` beside the log pipeline: the healing reconcile loop, the
 * HTTP API, the fleet agent. `enabled` reads the config (a missing section: the add-on stays
 * off, nothing changes); `start` must not throw for a runtime problem it can report and retry.
 */
export interface DaemonAddon {
  readonly name: string;
  enabled(config: LeukoConfig): boolean;
  start(ctx: AddonContext): Promise<RunningAddon>;
}

/** The registry of add-ons, started in this order after the pipeline is up. */
export const DAEMON_ADDONS: readonly DaemonAddon[] = [
  fleetAgentAddon,
  healingAddon,
  intelAddon,
  apiAddon,
  exportsAddon,
];

/** Start every enabled add-on; on a failure, stop those already started and rethrow. */
export async function startAddons(
  ctx: AddonContext,
  addons: readonly DaemonAddon[] = DAEMON_ADDONS,
): Promise<RunningAddon> {
  const running: { name: string; addon: RunningAddon }[] = [];
  const stopAll = async () => {
    for (const r of running.reverse()) {
      try {
        await r.addon.stop();
      } catch (err) {
        ctx.log('error', `add-on ${r.name} failed to stop`, { error: String(err) });
      }
    }
  };
  for (const a of addons) {
    if (!a.enabled(ctx.config)) continue;
    try {
      running.push({ name: a.name, addon: await a.start(ctx) });
      ctx.log('info', `${a.name} started`);
    } catch (err) {
      await stopAll();
      throw err;
    }
  }
  return { stop: stopAll };
}
