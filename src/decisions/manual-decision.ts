import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/store.js';

/** A decision a person asks for (CLI `leuko decisions add`, API `POST /api/v1/decisions`). */
export interface ManualDecisionRequest {
  readonly scope: 'ip' | 'range' | 'host';
  readonly value: string;
  readonly action: string;
  readonly durationS: number;
  readonly reason: string;
  readonly origin: 'cli' | 'api';
  readonly actor: string;
}

/**
 * Record a hand-made decision as proposed, with its audit record, in one commit: the policy and
 * the enforcer then treat it like any other. The offence count continues the entity's history,
 * so repeat-offender escalation sees manual bans too. Callers check the allowlist first.
 */
export async function proposeManualDecision(
  deps: { store: Store; clock: Clock; ids: IdGenerator },
  r: ManualDecisionRequest,
): Promise<Decision> {
  const now = deps.clock.now();
  const decision: Decision = {
    id: deps.ids.next('dec'),
    scope: r.scope,
    value: r.value,
    action: r.action,
    durationS: r.durationS,
    createdAt: now,
    expiresAt: now + r.durationS * 1000,
    origin: r.origin,
    reason: r.reason,
    blastRadius: r.scope === 'ip' ? 'low' : r.scope === 'range' ? 'medium' : 'high',
    status: 'proposed',
    offence: (await deps.store.countOffences(r.scope, r.value)) + 1,
  };
  await deps.store.commit({
    decisions: [decision],
    audit: [
      { kind: 'decision', action: 'decision.proposed', subject: decision.id, actor: r.actor, at: now, data: decision },
    ],
  });
  return decision;
}
