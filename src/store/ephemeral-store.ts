import type { AuditVerifyResult } from '../core/audit.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import type { Incident } from '../core/incident.js';
import type { DecisionQuery, IncidentQuery, Store } from '../core/store.js';
import { LIVE_DECISION_STATUSES } from './queries.js';

/**
 * An in-memory store for `leuko replay` and what-if runs: it keeps what the pipeline reads back
 * (decisions, for offences and live bans; incidents, for grouping; checkpoints and state) and
 * counts, but does not keep, what only people read later (detections, audit records), so a
 * replay of a million lines holds no more memory than its live state needs. A replay that
 * should leave a durable, audited trail uses the SQLite store instead (`--store DIR`).
 */
export function createEphemeralStore(): Store & { readonly dropped: { detections: number; audit: number } } {
  const decisions = new Map<string, Decision>();
  const byTarget = new Map<string, Decision[]>();
  const incidents = new Map<string, Incident>();
  const incidentsByValue = new Map<string, Set<string>>();
  const checkpoints = new Map<string, string>();
  const state = new Map<string, string>();
  const dropped = { detections: 0, audit: 0 };

  const targetKey = (scope: string, value: string) => `${scope}\u0000${value}`;

  function putDecision(d: Decision): void {
    const previous = decisions.get(d.id);
    decisions.set(d.id, d);
    const key = targetKey(d.scope, d.value);
    const list = byTarget.get(key) ?? [];
    if (previous) list[list.indexOf(previous)] = d;
    else list.push(d);
    byTarget.set(key, list);
  }

  function putIncident(i: Incident): void {
    incidents.set(i.id, i);
    const ids = incidentsByValue.get(i.entity.value) ?? new Set<string>();
    ids.add(i.id);
    incidentsByValue.set(i.entity.value, ids);
  }

  function matchesDecision(d: Decision, q: DecisionQuery): boolean {
    if (q.scope !== undefined && d.scope !== q.scope) return false;
    if (q.value !== undefined && d.value !== q.value) return false;
    if (q.status !== undefined && !q.status.includes(d.status)) return false;
    if (q.activeAt !== undefined && !(LIVE_DECISION_STATUSES.includes(d.status) && d.expiresAt > q.activeAt))
      return false;
    return true;
  }

  const newestFirst = (a: Decision, b: Decision) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

  return {
    dropped,
    async migrate() {},
    async close() {},
    async commit(batch) {
      for (const c of batch.checkpoints ?? []) checkpoints.set(c.sourceId, c.state);
      for (const s of batch.state ?? []) state.set(s.key, s.value);
      for (const d of batch.decisions ?? []) putDecision(d);
      for (const i of batch.incidents ?? []) putIncident(i);
      dropped.detections += batch.detections?.length ?? 0;
      dropped.audit += batch.audit?.length ?? 0;
    },
    async loadCheckpoint(id) {
      return checkpoints.get(id);
    },
    async loadState(key) {
      return state.get(key);
    },
    async listDecisions(q = {}) {
      const pool =
        q.scope !== undefined && q.value !== undefined
          ? (byTarget.get(targetKey(q.scope, q.value)) ?? [])
          : decisions.values();
      const out = [...pool].filter((d) => matchesDecision(d, q)).sort(newestFirst);
      return q.limit === undefined ? out : out.slice(0, Math.max(0, q.limit));
    },
    async getDecision(id) {
      return decisions.get(id);
    },
    async countOffences(scope, value) {
      return byTarget.get(targetKey(scope, value))?.length ?? 0;
    },
    async listIncidents(q: IncidentQuery = {}) {
      const pool =
        q.entityValue === undefined
          ? [...incidents.values()]
          : [...(incidentsByValue.get(q.entityValue) ?? [])].map((id) => incidents.get(id) as Incident);
      const out = pool
        .filter((i) => q.status === undefined || q.status.includes(i.status))
        .sort((a, b) => b.lastSeen - a.lastSeen || (a.id < b.id ? 1 : -1));
      return q.limit === undefined ? out : out.slice(0, Math.max(0, q.limit));
    },
    async getIncident(id) {
      return incidents.get(id);
    },
    async getDetections(): Promise<Detection[]> {
      return [];
    },
    async listAudit() {
      return [];
    },
    async verifyAudit(): Promise<AuditVerifyResult> {
      return { ok: true, records: 0, head: '' };
    },
  };
}
