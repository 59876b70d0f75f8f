import type { AuditInput } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { BlastRadius, Decision } from '../core/decision.js';
import type { Detection, Evidence, Severity } from '../core/detection.js';
import type { Entity, EntityType } from '../core/entity.js';
import type { IdGenerator } from '../core/ids.js';
import type { Incident } from '../core/incident.js';
import type { Store } from '../core/store.js';
import type { Enforcer } from '../enforcement/enforcer.js';
import { createIncidentManager } from '../incidents/incident-manager.js';
import { createSerialQueue } from '../pipeline/serial-queue.js';

/** One action a healing finding asks for; the policy decides whether it happens. */
export interface HealAction {
  readonly action: string;
  readonly scope: EntityType;
  readonly value: string;
  readonly reason: string;
  /** Raise (never lower) the catalog's radius: an sshd fix that can lock people out is high. */
  readonly blastRadius?: BlastRadius;
  /** How long the decision stays live (default one day). */
  readonly durationS?: number;
}

/** What a healing check found: becomes a detection, joins an incident, proposes decisions. */
export interface HealFinding {
  readonly scenario: string;
  readonly entity: Entity;
  readonly severity: Severity;
  readonly techniques?: readonly string[];
  readonly confidence?: number;
  readonly explanation: string;
  /** Before/after lines (a diff), shown with the incident. */
  readonly evidence?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly actions: readonly HealAction[];
}

export interface HealRaiser {
  /** Commit detections, incidents, decisions and audit in one transaction, then hand the decisions to the enforcer. */
  raise(findings: readonly HealFinding[]): Promise<{ decisions: Decision[]; incidents: Incident[] }>;
  /** Record an audit entry (an accepted change, a maintenance window…). */
  audit(records: readonly AuditInput[]): Promise<void>;
  /** Mark incidents healed (or still open) with what was done, after the enforcer ran. */
  settle(incidents: readonly Incident[], note: string, healed: boolean): Promise<void>;
  idle(): Promise<void>;
}

/**
 * The healing side of the decision path, the same machinery a scenario detection goes
 * through: detection → incident (grouped per entity) → decision (`proposed`, origin
 * `healing`) → one store commit with the audit records → enforcer (policy, responders,
 * verify). Nothing here touches the disk or a process: responders do, when policy allows.
 */
export function createHealRaiser(deps: {
  store: Store;
  enforcer: Enforcer | undefined;
  clock: Clock;
  ids: IdGenerator;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}): HealRaiser {
  const incidents = createIncidentManager({ store: deps.store, ids: deps.ids, clock: deps.clock, windowMs: 3600_000 });
  // One at a time: grouping reads the incident the previous finding just wrote.
  const queue = createSerialQueue();
  return {
    raise(findings) {
      return queue.run(async () => {
        const now = deps.clock.now();
        const detections: Detection[] = [];
        const touched = new Map<string, Incident>();
        const decisions: Decision[] = [];
        const audit: AuditInput[] = [];
        for (const f of findings) {
          const evidence: Evidence[] = (f.evidence ?? []).slice(0, 60).map((message) => ({
            timestamp: new Date(now).toISOString(),
            message,
            sourceId: 'healing',
          }));
          const d: Detection = {
            id: deps.ids.next('det'),
            scenario: f.scenario,
            time: now,
            entity: f.entity,
            techniques: f.techniques ?? [],
            confidence: f.confidence ?? 1,
            severity: f.severity,
            count: 1,
            explanation: f.explanation,
            evidence,
            labels: { detector: 'healing', ...f.labels },
          };
          detections.push(d);
          audit.push({
            kind: 'detection',
            action: 'detection.raised',
            subject: d.id,
            actor: `healing:${f.scenario}`,
            at: now,
            data: { scenario: f.scenario, entity: f.entity, explanation: f.explanation, labels: d.labels },
          });
          const incident = await incidents.add(d, audit);
          touched.set(incident.id, incident);
          for (const a of f.actions) {
            const durationS = a.durationS ?? 86_400;
            const decision: Decision = {
              id: deps.ids.next('dec'),
              scope: a.scope,
              value: a.value,
              action: a.action,
              durationS,
              createdAt: now,
              expiresAt: now + durationS * 1000,
              origin: 'healing',
              scenario: f.scenario,
              incidentId: incident.id,
              reason: a.reason,
              blastRadius: a.blastRadius ?? 'low',
              status: 'proposed',
              offence: 1,
            };
            decisions.push(decision);
            audit.push({
              kind: 'decision',
              action: 'decision.proposed',
              subject: decision.id,
              actor: `healing:${f.scenario}`,
              at: now,
              data: decision,
            });
          }
        }
        const list = [...touched.values()];
        await deps.store.commit({ detections, incidents: list, decisions, audit });
        if (deps.enforcer && decisions.length > 0) await deps.enforcer.submit(decisions);
        return { decisions, incidents: list };
      });
    },
    async audit(records) {
      if (records.length > 0) await deps.store.commit({ audit: records });
    },
    async settle(list, note, healed) {
      const now = deps.clock.now();
      const out: Incident[] = [];
      const audit: AuditInput[] = [];
      for (const i of list) {
        const fresh = (await deps.store.getIncident(i.id)) ?? i;
        const next: Incident = {
          ...fresh,
          status: healed ? 'healed' : fresh.status,
          explanation: `${fresh.explanation}\n${healed ? 'Healed' : 'Not healed'}: ${note}`,
        };
        out.push(next);
        audit.push({
          kind: 'incident',
          action: healed ? 'incident.healed' : 'incident.updated',
          subject: i.id,
          actor: 'healing',
          at: now,
          data: { note },
        });
      }
      if (out.length > 0) await deps.store.commit({ incidents: out, audit });
    },
    idle: () => queue.idle(),
  };
}
