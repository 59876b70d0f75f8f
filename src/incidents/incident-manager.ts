import type { AuditInput } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { Detection, Severity } from '../core/detection.js';
import { entityKey } from '../core/entity.js';
import type { IdGenerator } from '../core/ids.js';
import type { Incident } from '../core/incident.js';
import type { Store } from '../core/store.js';

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface IncidentManager {
  /** Attach a detection to its entity's open incident, or open one. Returns the incident. */
  add(detection: Detection, audit: AuditInput[]): Promise<Incident>;
}

/**
 * Groups detections per entity: a detection joins the entity's incident when that incident is
 * still open and its last detection is within `windowMs` (event time); otherwise a new one
 * opens. Open incidents are loaded from the store on first sight, so a restart keeps grouping.
 */
export function createIncidentManager(deps: {
  store: Store;
  ids: IdGenerator;
  clock: Clock;
  windowMs?: number;
  maxOpen?: number;
}): IncidentManager {
  const windowMs = deps.windowMs ?? 6 * 3600_000;
  const maxOpen = deps.maxOpen ?? 50_000;
  const open = new Map<string, Incident | null>();

  /** Statuses a detection may still join; a person's verdict (dismissed, closed) ends grouping. */
  const JOINABLE: ReadonlySet<string> = new Set(['open', 'contained']);

  async function current(key: string, value: string): Promise<Incident | undefined> {
    if (open.has(key)) {
      const cached = open.get(key) ?? undefined;
      if (cached === undefined) return undefined;
      // A person may have dismissed or closed the incident since it was cached (API, CLI,
      // feedback); joining the stale copy would write it back as open. One point read per
      // detection (not per event) keeps the cache honest. Not found: still in this batch.
      const stored = await deps.store.getIncident(cached.id);
      if (stored === undefined) return cached;
      if (!JOINABLE.has(stored.status)) {
        open.set(key, null);
        return undefined;
      }
      return stored.status === cached.status ? cached : { ...cached, status: stored.status };
    }
    const found = await deps.store.listIncidents({ entityValue: value, status: ['open', 'contained'], limit: 5 });
    const match = found.find((i) => entityKey(i.entity) === key);
    open.set(key, match ?? null);
    if (open.size > maxOpen) {
      const oldest = open.keys().next().value;
      if (oldest !== undefined) open.delete(oldest);
    }
    return match;
  }

  return {
    async add(detection, audit) {
      const key = entityKey(detection.entity);
      const existing = await current(key, detection.entity.value);
      let incident: Incident;
      if (
        existing &&
        detection.time - existing.lastSeen <= windowMs &&
        detection.time >= existing.firstSeen - windowMs
      ) {
        const scenarios = union(existing.scenarios, [detection.scenario]);
        const detectionIds = [...existing.detectionIds, detection.id];
        incident = {
          ...existing,
          lastSeen: Math.max(existing.lastSeen, detection.time),
          firstSeen: Math.min(existing.firstSeen, detection.time),
          severity: maxSeverity(existing.severity, detection.severity),
          scenarios,
          techniques: union(existing.techniques, detection.techniques),
          detectionIds,
          explanation: explain(detection, scenarios, detectionIds.length, Math.min(existing.firstSeen, detection.time)),
        };
        audit.push(record('incident.updated', incident, detection, deps.clock));
      } else {
        incident = {
          id: deps.ids.next('inc'),
          entity: detection.entity,
          firstSeen: detection.time,
          lastSeen: detection.time,
          status: 'open',
          severity: detection.severity,
          scenarios: [detection.scenario],
          techniques: [...detection.techniques],
          detectionIds: [detection.id],
          explanation: explain(detection, [detection.scenario], 1, detection.time),
        };
        audit.push(record('incident.opened', incident, detection, deps.clock));
      }
      open.delete(key);
      open.set(key, incident);
      return incident;
    },
  };
}

function record(action: string, incident: Incident, detection: Detection, clock: Clock): AuditInput {
  return {
    kind: 'incident',
    action,
    subject: incident.id,
    actor: `scenario:${detection.scenario}`,
    at: clock.now(),
    data: {
      detection: detection.id,
      entity: incident.entity,
      scenarios: incident.scenarios,
      severity: incident.severity,
    },
  };
}

function explain(latest: Detection, scenarios: readonly string[], detections: number, since: number): string {
  const who = `${latest.entity.type} ${latest.entity.value}`;
  const what = scenarios.length === 1 ? scenarios[0] : `${scenarios.length} scenarios (${scenarios.join(', ')})`;
  const techniques = latest.techniques.length > 0 ? ` [ATT&CK ${latest.techniques.join(', ')}]` : '';
  return `${who}: ${what}; ${detections} detection${detections === 1 ? '' : 's'} since ${new Date(since).toISOString()}. Latest: ${latest.explanation}${techniques}`;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const s = new Set(a);
  for (const x of b) s.add(x);
  return [...s];
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}
