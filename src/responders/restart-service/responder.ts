import type { Decision } from '../../core/decision.js';
import type { ActionOutcome, ActionPlan, Responder, VerifyOutcome } from '../../core/responder.js';
import type { HealFiles } from '../../healing/heal-dirs.js';
import { restorePath } from '../../healing/restore.js';
import { restartArgv, restartService, type ServiceSpec, waitHealthy } from '../../healing/services.js';

/**
 * `restart-service` and `rollback-config` for scope `service`: run the service's restart
 * (its configured command, or systemctl), and for `rollback-config` first restore its config
 * files from their snapshots (the changed versions go to quarantine). Verify probes the
 * service until it answers. Rollback of a restart is meaningless and skipped.
 */
export function createRestartServiceResponder(services: readonly ServiceSpec[], files: HealFiles): Responder {
  const find = (d: Decision) => services.find((s) => s.name === d.value);
  return {
    type: 'restart-service',
    actions: ['restart-service', 'rollback-config'],
    plan(d): ActionPlan {
      const s = find(d);
      const restart = s ? (restartArgv(s)?.join(' ') ?? 'no restart command') : `unknown service ${d.value}`;
      const steps =
        d.action === 'rollback-config'
          ? [
              ...(s?.config ?? []).map((c) => `restore ${c} from its snapshot (changed files to quarantine)`),
              restart,
              'probe until healthy',
            ]
          : [restart, 'probe until healthy'];
      return {
        decisionId: d.id,
        responder: 'restart-service',
        summary: d.action === 'rollback-config' ? `roll back ${d.value}'s config and restart it` : `restart ${d.value}`,
        steps,
        blastRadius: 'medium',
        reversible: false,
      };
    },
    async apply(decisions, ctx) {
      const out = new Map<string, ActionOutcome>();
      for (const d of decisions) {
        const s = find(d);
        if (d.scope !== 'service' || !s) {
          out.set(d.id, { kind: 'failed', error: `no protected service ${d.value}`, retryable: false });
          continue;
        }
        const steps: string[] = [];
        if (d.action === 'rollback-config') {
          for (const c of s.config) {
            const r = await restorePath(files, c, { reason: d.reason, decisionId: d.id, at: ctx.clock.now() });
            steps.push(...r.steps, ...r.errors.map((e) => `error: ${e}`));
          }
        }
        const r = await restartService(s, Math.max(1000, ctx.timeoutMs - 1000));
        steps.push(r.detail);
        out.set(
          d.id,
          r.ok
            ? { kind: 'applied', detail: steps.join('; ') }
            : // Not retried by the enforcer: the supervisor decides the next step (backoff, rollback, escalation).
              d.action === 'rollback-config'
              ? { kind: 'applied', detail: `${steps.join('; ')} (restart failed)` }
              : { kind: 'failed', error: steps.join('; '), retryable: false },
        );
      }
      return out;
    },
    async verify(d): Promise<VerifyOutcome> {
      const s = find(d);
      if (!s) return { inForce: false, reason: `no protected service ${d.value}` };
      const a = await waitHealthy(s, 3000);
      return a.ok ? { inForce: true, detail: a.detail } : { inForce: false, reason: a.detail };
    },
    async rollback(decisions) {
      const out = new Map<string, ActionOutcome>();
      for (const d of decisions) out.set(d.id, { kind: 'skipped', reason: 'a restart cannot be undone' });
      return out;
    },
  };
}
