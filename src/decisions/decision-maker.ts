import type { AuditInput } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import { formatDurationS } from '../core/duration.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/store.js';
import type { Allowlist } from '../policy/allowlist.js';
import type { Ipv6Scope } from './decision-scope.js';
import { type EscalationPolicy, escalatedDurationS } from './escalation.js';
import { createTargetCache } from './target-cache.js';

export interface DecisionSettings {
  readonly mode: 'observe' | 'contain' | 'heal';
  readonly escalation: EscalationPolicy;
  readonly ipv6Scope: Ipv6Scope;
}

/** What became of one detection's remediation request. */
export type DecisionOutcome =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | { readonly kind: 'allowlisted'; readonly entry: string }
  | { readonly kind: 'already-active'; readonly decisionId: string }
  | { readonly kind: 'no-remediation' };

export interface DecisionMaker {
  decide(detection: Detection, incidentId: string | undefined, audit: AuditInput[]): Promise<DecisionOutcome>;
}

interface EntityMemory {
  offences: number;
  activeId?: string;
  activeUntil: number;
}

/**
 * Turns detections into durable decisions: allowlist first (nothing overrides it), then no
 * duplicate while a decision for the same target is live, then repeat-offender escalation.
 *
 * Memory per target is loaded from the store on first sight and kept in a bounded map, so a
 * restart continues the escalation where it stood and never re-issues a live decision.
 */
export function createDecisionMaker(deps: {
  store: Store;
  ids: IdGenerator;
  clock: Clock;
  allowlist: Allowlist;
  settings: DecisionSettings;
  maxRemembered?: number;
}): DecisionMaker {
  const memory = new Map<string, EntityMemory>();
  const max = deps.maxRemembered ?? 100_000;
  const targets = createTargetCache(deps.settings.ipv6Scope);

  async function recall(key: string, scope: Decision['scope'], value: string, at: number): Promise<EntityMemory> {
    const known = memory.get(key);
    if (known) {
      // Refresh LRU position.
      memory.delete(key);
      memory.set(key, known);
      return known;
    }
    const offences = await deps.store.countOffences(scope, value);
    const active = await deps.store.listDecisions({ scope, value, activeAt: at, limit: 1 });
    const first = active[0];
    const m: EntityMemory = { offences, activeUntil: first ? first.expiresAt : 0 };
    if (first) m.activeId = first.id;
    memory.set(key, m);
    if (memory.size > max) {
      const oldest = memory.keys().next().value;
      if (oldest !== undefined) memory.delete(oldest);
    }
    return m;
  }

  return {
    async decide(detection, incidentId, audit) {
      const hint = detection.remediation;
      if (!hint || (detection.entity.type !== 'ip' && detection.entity.type !== 'range'))
        return { kind: 'no-remediation' };

      const entry = deps.allowlist.match(detection.entity.value);
      if (entry !== undefined) {
        audit.push({
          kind: 'decision',
          action: 'decision.suppressed',
          subject: detection.id,
          actor: 'policy:allowlist',
          at: deps.clock.now(),
          data: { value: detection.entity.value, scenario: detection.scenario, allowlist: entry },
        });
        return { kind: 'allowlisted', entry };
      }

      const target =
        detection.entity.type === 'ip'
          ? targets.of(detection.entity.value)
          : { scope: 'range' as const, value: detection.entity.value };
      if (!target) return { kind: 'no-remediation' };
      if (target.scope === 'range') {
        const widened = deps.allowlist.match(target.value);
        if (widened !== undefined) return { kind: 'allowlisted', entry: widened };
      }

      const key = `${target.scope}:${target.value}`;
      const m = await recall(key, target.scope, target.value, detection.time);
      if (m.activeId !== undefined && m.activeUntil > detection.time)
        return { kind: 'already-active', decisionId: m.activeId };

      const offence = m.offences + 1;
      // Intel decisions end with the feed entry (STIX valid_until, refresh): no escalation or
      // jitter may stretch them past it.
      const durationS =
        detection.origin === 'intel'
          ? hint.durationS
          : escalatedDurationS(hint.durationS, offence, deps.settings.escalation, key);
      const decision: Decision = {
        id: deps.ids.next('dec'),
        scope: target.scope,
        value: target.value,
        action: hint.action,
        durationS,
        createdAt: detection.time,
        expiresAt: detection.time + durationS * 1000,
        // Intel detections (feeds, immune memory) carry their origin; everything else is a scenario's.
        origin: detection.origin ?? (detection.labels?.origin === 'intel' ? 'intel' : 'scenario'),
        scenario: detection.scenario,
        ...(incidentId === undefined ? {} : { incidentId }),
        reason: `${detection.explanation}${offence > 1 ? ` — repeat offender (offence ${offence}), ${formatDurationS(durationS)}` : ''}`,
        blastRadius: target.scope === 'range' ? 'medium' : 'low',
        // Observe mode only records what would be done; the policy engine and responders
        // (a later stage) move decisions past `proposed`.
        status: 'proposed',
        offence,
      };
      m.offences = offence;
      m.activeId = decision.id;
      m.activeUntil = decision.expiresAt;
      audit.push({
        kind: 'decision',
        action: 'decision.proposed',
        subject: decision.id,
        actor: `scenario:${detection.scenario}`,
        at: deps.clock.now(),
        data: decision,
      });
      return { kind: 'decided', decision };
    },
  };
}
