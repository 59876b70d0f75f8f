import type { DaemonAddon } from '../daemon/addons.js';
import { mutableCopy } from '../core/mutable.js';
import { openHealFiles } from './heal-dirs.js';
import { createIntegrityMonitor, HEAL_STATS_KEY } from './integrity.js';
import { checkPosture } from './posture.js';
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
    // Posture: each problem is raised once (a pending approval is not asked again every pass).
    const raisedPosture = new Set<string>();
    let postureRunning = false;
    const posturePass = async () => {
      if (postureRunning || !protect.posture.enabled) return;
      postureRunning = true;
      try {
        const found = await checkPosture(files, protect.posture);
        const seen = new Set(found.map((f) => `${f.scenario} ${f.entity.value} ${f.explanation}`));
        const fresh = found.filter((f) => !raisedPosture.has(`${f.scenario} ${f.entity.value} ${f.explanation}`));
        for (const k of [...raisedPosture]) if (!seen.has(k)) raisedPosture.delete(k);
        for (const k of seen) raisedPosture.add(k);
        if (fresh.length > 0) await raiser.raise(fresh);
      } catch (err) {
        ctx.log('error', 'posture check failed', { error: String(err) });
      } finally {
        postureRunning = false;
      }
    };
    await posturePass();
    const postureTimer = setInterval(() => void posturePass(), protect.posture.interval * 1000);
    postureTimer.unref();
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
        clearInterval(postureTimer);
        services.stop();
        await integrity.stop();
        await raiser.idle();
        await persist().catch(() => undefined);
      },
    };
  },
};
