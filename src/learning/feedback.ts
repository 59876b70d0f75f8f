import type { AuditInput } from '../core/audit.js';
import type { IdGenerator } from '../core/ids.js';
import type { Incident } from '../core/incident.js';
import type { Store } from '../core/store.js';
import type { Indicator } from './indicators.js';
import type { LearningRepo } from './learning-repo.js';
import type { Memory, Suppression } from './types.js';

export type SuppressionScope = 'entity' | 'scenario';

/**
 * The suppressions a false-positive verdict proposes: one per scenario of the incident, about
 * the incident's entity (`entity`, the default: "this address is fine for these rules"), or for
 * everyone (`scenario`: the rule itself is wrong here; the replay diff shows what that costs).
 * An earlier proposal for the same incident and scope is reused, so asking twice changes nothing.
 */
export function proposeSuppressions(opts: {
  incident: Incident;
  scope: SuppressionScope;
  repo: LearningRepo;
  ids: IdGenerator;
  now: number;
  reason: string;
}): Suppression[] {
  const existing = opts.repo
    .listSuppressions()
    .filter((s) => s.incidentId === opts.incident.id && (s.entity === undefined) === (opts.scope === 'scenario'));
  const out: Suppression[] = [];
  for (const scenario of opts.incident.scenarios) {
    const found = existing.find((s) => s.scenario === scenario && s.status !== 'revoked');
    if (found) {
      out.push(found);
      continue;
    }
    const s: Suppression = {
      id: opts.ids.next('sup'),
      status: 'proposed',
      scenario,
      ...(opts.scope === 'entity' ? { entity: opts.incident.entity } : {}),
      incidentId: opts.incident.id,
      reason: opts.reason,
      createdAt: opts.now,
    };
    opts.repo.saveSuppression(s);
    out.push(s);
  }
  return out;
}

/** Activate proposals, dismiss the incident as a false positive, and audit both. */
export async function acceptSuppressions(opts: {
  incident: Incident;
  proposals: readonly Suppression[];
  repo: LearningRepo;
  store: Store;
  actor: string;
  now: number;
}): Promise<Suppression[]> {
  const audit: AuditInput[] = [];
  const accepted: Suppression[] = [];
  for (const p of opts.proposals) {
    const s: Suppression = { ...p, status: 'active', acceptedAt: opts.now, acceptedBy: opts.actor };
    opts.repo.saveSuppression(s);
    accepted.push(s);
    audit.push({
      kind: 'operator',
      action: 'suppression.activated',
      subject: s.id,
      actor: opts.actor,
      at: opts.now,
      data: s,
    });
  }
  audit.push({
    kind: 'incident',
    action: 'incident.dismissed',
    subject: opts.incident.id,
    actor: opts.actor,
    at: opts.now,
    data: { verdict: 'false-positive', suppressions: accepted.map((s) => s.id) },
  });
  await opts.store.commit({ incidents: [{ ...opts.incident, status: 'dismissed' }], audit });
  return accepted;
}

/** Remember a confirmed incident's indicators (immune memory) and audit the verdict. */
export async function rememberIndicators(opts: {
  incident: Incident;
  indicators: readonly Indicator[];
  repo: LearningRepo;
  store: Store;
  ids: IdGenerator;
  actor: string;
  now: number;
  expiryMs: number;
}): Promise<Memory[]> {
  const memories: Memory[] = [];
  const audit: AuditInput[] = [];
  for (const i of opts.indicators) {
    const m = opts.repo.remember({
      id: opts.ids.next('mem'),
      kind: i.kind,
      value: i.value,
      incidentId: opts.incident.id,
      scenarios: opts.incident.scenarios,
      createdAt: opts.now,
      expiresAt: opts.now + opts.expiryMs,
    });
    memories.push(m);
    audit.push({
      kind: 'operator',
      action: 'memory.remembered',
      subject: m.id,
      actor: opts.actor,
      at: opts.now,
      data: m,
    });
  }
  audit.push({
    kind: 'incident',
    action: 'incident.confirmed',
    subject: opts.incident.id,
    actor: opts.actor,
    at: opts.now,
    data: { verdict: 'true-positive', memories: memories.map((m) => m.id) },
  });
  await opts.store.commit({ audit });
  return memories;
}
