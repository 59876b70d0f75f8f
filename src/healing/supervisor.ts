import type { Clock } from '../core/clock.js';
import type { Store } from '../core/store.js';
import { beforeAfter } from './findings.js';
import type { HealFiles } from './heal-dirs.js';
import { type Change, scanRoot } from './inspect.js';
import type { HealFinding, HealRaiser } from './raise.js';
import { probeService, type ServiceSpec } from './services.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

export interface ServiceStatus {
  readonly name: string;
  healthy: boolean | undefined;
  detail: string;
  /** Restart attempts since it went down. */
  attempts: number;
  /** Times of restarts inside the budget window. */
  restarts: number[];
  nextAttemptAt: number;
  escalated: boolean;
  rolledBack: boolean;
  lastGoodAt: number;
  downSince: number;
}

/**
 * Keeps services up: probe on an interval; when one fails, restart it (a decision, so policy
 * decides), wait with exponential backoff, try again; after `rollback_after` failed restarts,
 * if the service's config differs from its snapshot (changed since the last good start), roll
 * the config back and restart; when the restart budget is spent, escalate to a person once.
 * Every step is a detection on the service's incident, so the incident tells the story.
 */
export function createServiceSupervisor(deps: {
  services: readonly ServiceSpec[];
  files: HealFiles;
  raiser: HealRaiser;
  store: Store;
  clock: Clock;
  log: Log;
}) {
  const status = new Map<string, ServiceStatus>();
  const timers: NodeJS.Timeout[] = [];
  let closed = false;

  async function configChanges(s: ServiceSpec): Promise<Change[]> {
    deps.files.baseline.refresh();
    const out: Change[] = [];
    for (const root of deps.files.state.roots) {
      if (!s.config.some((c) => root.root === c || root.root.startsWith(`${c}/`) || c.startsWith(`${root.root}/`)))
        continue;
      for (const c of await scanRoot(deps.files, root))
        if (s.config.some((p) => c.path === p || c.path.startsWith(`${p}/`))) out.push(c);
    }
    return out;
  }

  async function raise(f: HealFinding): Promise<void> {
    await deps.raiser.raise([f]);
  }

  async function step(s: ServiceSpec): Promise<void> {
    const st = status.get(s.name) as ServiceStatus;
    const now = deps.clock.now();
    const a = await probeService(s);
    st.detail = a.detail;
    const entity = { type: 'service' as const, value: s.name };
    if (a.ok) {
      if (st.healthy === false) {
        const steps = st.attempts;
        deps.log(
          'info',
          `service ${s.name} healthy again after ${steps} restart(s)${st.rolledBack ? ' and a config rollback' : ''}`,
        );
        const f: HealFinding = {
          scenario: 'leuko/heal-service-recovered',
          entity,
          severity: 'low',
          explanation: `${s.name} is healthy again (${a.detail}) after ${steps} restart attempt(s)${st.rolledBack ? ' and a rollback of its config to the snapshot' : ''}; down for ${Math.round((now - st.downSince) / 1000)} s`,
          actions: [],
        };
        const r = await deps.raiser.raise([f]);
        await deps.raiser.settle(r.incidents, `${s.name} serves again (${a.detail})`, true);
      }
      st.healthy = true;
      st.attempts = 0;
      st.escalated = false;
      st.rolledBack = false;
      st.lastGoodAt = now;
      return;
    }
    if (st.healthy !== false) {
      st.healthy = false;
      st.downSince = now;
      st.nextAttemptAt = now;
    }
    if (now < st.nextAttemptAt || st.escalated) return;
    st.restarts = st.restarts.filter((t) => t > now - s.budget_window * 1000);
    if (st.restarts.length >= s.max_restarts) {
      st.escalated = true;
      deps.log('error', `service ${s.name}: restart budget spent; a person must look`);
      await raise({
        scenario: 'leuko/heal-service-escalated',
        entity,
        severity: 'critical',
        explanation: `${s.name} is still down after ${st.restarts.length} restarts within ${s.budget_window} s (budget ${s.max_restarts})${st.rolledBack ? ' and a config rollback' : ''}: autonomous restarts stop here; a person must look (last probe: ${a.detail})`,
        actions: [
          {
            action: 'notify',
            scope: 'service',
            value: s.name,
            reason: `${s.name} down, restart budget spent`,
            durationS: 3600,
          },
        ],
      });
      return;
    }
    st.attempts++;
    st.restarts.push(now);
    st.nextAttemptAt = now + s.backoff * 1000 * 2 ** Math.min(st.attempts - 1, 10);
    if (st.attempts > s.rollback_after && !st.rolledBack && s.config.length > 0) {
      const changed = await configChanges(s);
      if (changed.length > 0) {
        st.rolledBack = true;
        const evidence: string[] = [];
        for (const c of changed.slice(0, 10)) {
          evidence.push(`${c.kind} ${c.path}`);
          const before =
            c.before?.type === 'file' && c.before.sha
              ? await deps.files.blobs.get(c.before.sha).catch(() => undefined)
              : undefined;
          evidence.push(...beforeAfter(c, before));
        }
        deps.log(
          'warn',
          `service ${s.name}: ${st.attempts - 1} restarts failed and its config changed; rolling it back`,
        );
        await raise({
          scenario: 'leuko/heal-service-config-rollback',
          entity,
          severity: 'high',
          explanation: `${s.name} failed to come back after ${st.attempts - 1} restart(s) and its config changed since the last good start (${changed.map((c) => `${c.path}: ${c.aspects.join(', ')}`).join('; ')}): rolling the config back to its snapshot and restarting`,
          evidence,
          labels: { service: s.name, changed: String(changed.length) },
          actions: [
            {
              action: 'rollback-config',
              scope: 'service',
              value: s.name,
              reason: `roll back ${changed.length} changed config path(s) of ${s.name} and restart it`,
              durationS: 600,
            },
          ],
        });
        return;
      }
    }
    const first = st.attempts === 1;
    deps.log('warn', `service ${s.name} down (${a.detail}); restart attempt ${st.attempts}`);
    await raise({
      scenario: first ? 'leuko/heal-service-down' : 'leuko/heal-service-restart-failed',
      entity,
      severity: 'high',
      explanation: first
        ? `${s.name} failed its probe (${a.detail}): restarting it`
        : `${s.name} still down after restart attempt ${st.attempts - 1} (${a.detail}): restart attempt ${st.attempts}, next wait ${Math.round((st.nextAttemptAt - now) / 1000)} s`,
      labels: { service: s.name, attempt: String(st.attempts) },
      actions: [
        {
          action: 'restart-service',
          scope: 'service',
          value: s.name,
          reason: `restart ${s.name} (attempt ${st.attempts}): ${a.detail}`,
          durationS: 600,
        },
      ],
    });
  }

  return {
    status: () => [...status.values()],
    start() {
      for (const s of deps.services) {
        status.set(s.name, {
          name: s.name,
          healthy: undefined,
          detail: 'not probed yet',
          attempts: 0,
          restarts: [],
          nextAttemptAt: 0,
          escalated: false,
          rolledBack: false,
          lastGoodAt: 0,
          downSince: 0,
        });
        let running = false;
        const t = setInterval(() => {
          if (running || closed) return;
          running = true;
          step(s)
            .catch((err) => deps.log('error', `service ${s.name}: supervision failed`, { error: String(err) }))
            .finally(() => {
              running = false;
            });
        }, s.interval * 1000);
        t.unref();
        timers.push(t);
      }
    },
    stop() {
      closed = true;
      for (const t of timers) clearInterval(t);
    },
  };
}
