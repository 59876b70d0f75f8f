import type { DaemonAddon } from '../daemon/addons.js';
import { mutableCopy } from '../core/mutable.js';
import { openHealFiles } from './heal-dirs.js';
import { createIntegrityMonitor, HEAL_STATS_KEY } from './integrity.js';
import { createHealRaiser } from './raise.js';
import { createServiceSupervisor } from './supervisor.js';

/**
 * `leuko run` with a `protect:` section: the integrity monitor (start-up scan, watch,
 * periodic scan, ransomware bursts) and the service supervisor. Their findings go through
 * the same incident, decision, policy and audit path as log detections.
 */
export const healingAddon: DaemonAddon = {
  name: 'healing',
  enabled: (config) => config.protect !== undefined,
  async start(ctx) {
    const protect = mutableCopy(ctx.config.protect);
    if (!protect) return { stop: async () => undefined };
    const files = openHealFiles(ctx.storeDir, protect);
    const raiser = createHealRaiser({
      store: ctx.store,
      enforcer: ctx.enforcer,
      clock: ctx.clock,
      ids: ctx.ids,
      log: ctx.log,
    });
    const integrity = createIntegrityMonitor({
      files,
      config: protect,
      raiser,
      store: ctx.store,
      clock: ctx.clock,
      selfPid: process.pid,
      log: ctx.log,
    });
    const services = createServiceSupervisor({
      services: protect.services,
      files,
      raiser,
      store: ctx.store,
      clock: ctx.clock,
      log: ctx.log,
    });
    const persist = () =>
      ctx.store.commit({
        state: [
          {
            key: HEAL_STATS_KEY,
            value: JSON.stringify({
              at: ctx.clock.now(),
              mode: ctx.config.policy.mode,
              baseline: { entries: files.baseline.size, recordedAt: files.baseline.recordedAt },
              integrity: integrity.stats,
              services: services.status(),
            }),
          },
        ],
      });
    await integrity.start();
    services.start();
    ctx.log(
      'info',
      `healing: ${files.state.roots.length} protected root(s), ${files.baseline.size} baseline entries, ${protect.services.length} service(s); start-up scan found ${integrity.stats.lastStartupChanges} change(s)`,
    );
    await persist();
    // Not unref'd: with no log source, this loop is what keeps `leuko run` alive.
    const timer = setInterval(() => void persist().catch(() => undefined), 2000);
    return {
      async stop() {
        clearInterval(timer);
        services.stop();
        await integrity.stop();
        await raiser.idle();
        await persist().catch(() => undefined);
      },
    };
  },
};
