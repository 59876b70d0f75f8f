import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { AuditRecord } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { ApiRepos } from '../core/store.js';
import type { RuntimeView } from './runtime-view.js';

/** Audit actions of the healing responders (restore a file, restart a service, ...). */
const HEALING_ACTION = /(restore|restart|quarantine|heal)/;

/**
 * The Prometheus registry behind GET /metrics. Pipeline, source and enforcer numbers are
 * sampled from the running daemon at scrape time (collect callbacks), so a scrape always sees
 * the live counters and nothing is double-booked; per-scenario and healing counts come from
 * the audit tail. Label values are bounded: source ids and scenario names come from the
 * config and rules, actions and statuses from closed sets.
 */
export function createMetrics(deps: { runtime: RuntimeView; counts: ApiRepos['counts']; clock: Clock }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'leuko_' });

  const sampled = (
    name: string,
    help: string,
    labelNames: readonly string[],
    fill: (set: (labels: Record<string, string>, v: number) => void) => void | Promise<void>,
    type: 'counter' | 'gauge' = 'gauge',
  ) => {
    const Kind = type === 'counter' ? Counter : Gauge;
    new Kind({
      name,
      help,
      labelNames: [...labelNames],
      registers: [registry],
      async collect(this: Counter | Gauge) {
        this.reset();
        await fill((labels, v) => {
          if (this instanceof Gauge) this.set(labels, v);
          else (this as Counter).inc(labels, v);
        });
      },
    });
  };

  sampled(
    'leuko_source_lines_read_total',
    'Lines read, per source',
    ['source'],
    (set) => {
      for (const [id, s] of Object.entries(deps.runtime.sourceStats())) set({ source: id }, s.linesRead);
    },
    'counter',
  );
  sampled(
    'leuko_source_lines_dropped_total',
    'Lines dropped by a source (longer than the maximum line length), per source',
    ['source'],
    (set) => {
      for (const [id, s] of Object.entries(deps.runtime.sourceStats())) set({ source: id }, s.linesTooLong);
    },
    'counter',
  );
  sampled(
    'leuko_source_errors_total',
    'Read errors per source (the supervisor restarts the source)',
    ['source'],
    (set) => {
      for (const [id, s] of Object.entries(deps.runtime.sourceStats())) set({ source: id }, s.errors);
    },
    'counter',
  );
  const pipeline: [string, string, keyof ReturnType<RuntimeView['stats']>][] = [
    ['leuko_lines_total', 'Lines through the pipeline', 'lines'],
    ['leuko_events_total', 'Lines parsed into events', 'events'],
    ['leuko_parse_failures_total', 'Lines no parser understood', 'unparsed'],
    ['leuko_parser_errors_total', 'Lines a parser threw on (a bug; counted and skipped)', 'parserErrors'],
    ['leuko_duplicate_lines_total', 'Lines skipped as copies of a line another source gave', 'duplicates'],
    ['leuko_detections_total', 'Detections raised', 'detections'],
    ['leuko_incidents_total', 'Incidents opened', 'incidents'],
    ['leuko_decisions_total', 'Decisions made by the pipeline', 'decisions'],
    ['leuko_suppressed_by_allowlist_total', 'Decisions the allowlist suppressed', 'suppressedByAllowlist'],
  ];
  for (const [name, help, key] of pipeline)
    sampled(name, help, [], (set) => set({}, Number(deps.runtime.stats()[key]) || 0), 'counter');

  sampled('leuko_pipeline_lag_seconds', 'Wall clock minus the newest event time', [], (set) => {
    const last = deps.runtime.stats().lastEventTime;
    if (last > 0) set({}, Math.max(0, (deps.clock.now() - last) / 1000));
  });
  sampled('leuko_decisions', 'Decisions in the store by action and status', ['action', 'status'], async (set) => {
    for (const r of await deps.counts.decisionsByActionStatus()) set({ action: r.action, status: r.status }, r.n);
  });
  sampled('leuko_active_decisions', 'Decisions in force now', [], async (set) =>
    set({}, await deps.counts.activeDecisions(deps.clock.now())),
  );
  sampled('leuko_open_incidents', 'Incidents open or contained', [], async (set) =>
    set({}, await deps.counts.openIncidents()),
  );
  sampled('leuko_approval_queue_length', 'Approvals waiting for a person', [], async (set) => {
    const e = deps.runtime.enforcer();
    set({}, e?.pendingApprovals ?? (await deps.counts.pendingApprovals(deps.clock.now())));
  });
  sampled(
    'leuko_enforcement_drift_total',
    'Enforcement drift repaired by reconcile (rules missing from the firewall)',
    [],
    (set) => {
      const e = deps.runtime.enforcer();
      if (e) set({}, e.drift.total);
    },
    'counter',
  );
  sampled('leuko_breaker_open', 'Circuit breaker: 1 open (autonomy suspended), 0 closed', [], (set) => {
    const e = deps.runtime.enforcer();
    if (e) set({}, e.policy.breaker.state === 'open' ? 1 : 0);
  });
  sampled(
    'leuko_breaker_trips_total',
    'Circuit breaker trips',
    [],
    (set) => {
      const e = deps.runtime.enforcer();
      if (e) set({}, e.policy.breaker.trips);
    },
    'counter',
  );
  sampled(
    'leuko_apply_failures_total',
    'Responder apply failures',
    [],
    (set) => {
      const e = deps.runtime.enforcer();
      if (e) set({}, e.applyFailures);
    },
    'counter',
  );

  const detectionsByScenario = new Counter({
    name: 'leuko_scenario_detections_total',
    help: 'Detections per scenario since the daemon started',
    labelNames: ['scenario'],
    registers: [registry],
  });
  const decisionSteps = new Counter({
    name: 'leuko_decision_transitions_total',
    help: 'Decision status changes since the daemon started, by status reached',
    labelNames: ['status'],
    registers: [registry],
  });
  const healing = new Counter({
    name: 'leuko_healing_actions_total',
    help: 'Healing steps (file restores, service restarts, quarantines) since the daemon started',
    labelNames: ['action'],
    registers: [registry],
  });
  const MAX_SCENARIOS = 500;
  const seenScenarios = new Set<string>();

  return {
    registry,
    /** Feed from the audit tail. */
    onAudit(records: readonly AuditRecord[]) {
      for (const r of records) {
        if (r.action === 'detection.raised') {
          const scenario = String((r.data as { scenario?: unknown } | null)?.scenario ?? 'unknown');
          // A bounded label set: a flood of distinct names (a bad rule pack) folds into `other`.
          const label = seenScenarios.has(scenario) || seenScenarios.size < MAX_SCENARIOS ? scenario : 'other';
          seenScenarios.add(label);
          detectionsByScenario.inc({ scenario: label });
        } else if (r.kind === 'decision' && r.action.startsWith('decision.')) {
          decisionSteps.inc({ status: r.action.slice('decision.'.length).slice(0, 32) });
          const data = r.data as { action?: unknown } | null;
          if (typeof data?.action === 'string' && HEALING_ACTION.test(data.action) && r.action === 'decision.applied')
            healing.inc({ action: data.action.slice(0, 32) });
        } else if (r.kind === 'action' && HEALING_ACTION.test(r.action)) {
          healing.inc({ action: r.action.slice(0, 48) });
        }
      }
    },
  };
}

export type ApiMetrics = ReturnType<typeof createMetrics>;
