import type { Detection, Evidence, RemediationHint, Severity } from '../../core/detection.js';
import type { Detector } from '../../core/detector.js';
import type { Entity } from '../../core/entity.js';
import type { Observation } from '../../core/event.js';
import type { IdGenerator } from '../../core/ids.js';
import type { CorrelationFiring } from './correlate.js';
import { SigmaEngine } from './engine.js';
import type { SigmaRuleSet } from './load.js';
import type { SigmaRule } from './rule.js';

export interface SigmaDecisionPolicy {
  readonly action: 'notify' | 'ban' | 'captcha';
  readonly durationS: number;
  /** Rules below this level notify whatever `action` says. */
  readonly minLevel: string;
}

const LEVEL_RANK: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
const CONFIDENCE: Record<Severity, number> = { low: 0.4, medium: 0.6, high: 0.8, critical: 0.9 };
const MESSAGE_CAP = 2000;

/** Who a detection is about: the client address when the event has one, else user, else host. */
function entityOf(obs: Observation): Entity {
  const e = obs.event;
  const ip = e['source.ip'];
  if (typeof ip === 'string' && ip !== '') return { type: 'ip', value: ip };
  const user = e['user.name'];
  if (typeof user === 'string' && user !== '') return { type: 'user', value: user };
  const host = e['host.hostname'] ?? e['host.name'];
  return { type: 'host', value: typeof host === 'string' && host !== '' ? host : 'localhost' };
}

function evidenceOf(obs: Observation): Evidence {
  const msg = obs.event.message;
  return {
    timestamp: obs.event['@timestamp'],
    message: msg.length > MESSAGE_CAP ? `${msg.slice(0, MESSAGE_CAP)}…` : msg,
    sourceId: obs.sourceId,
  };
}

/**
 * The Sigma detector for `leuko run` and `leuko replay`: every event of a rule's logsource is
 * matched; each match (and each correlation that fires) becomes a detection carrying the
 * rule's ATT&CK techniques, its level as severity and its id and title in the explanation.
 */
export function createSigmaDetector(set: SigmaRuleSet, ids: IdGenerator, policy: SigmaDecisionPolicy): Detector {
  const engine = new SigmaEngine(set, { gateByLogsource: true });
  const minRank = LEVEL_RANK[policy.minLevel] ?? 3;
  const remediationFor = (level: string, entity: Entity): RemediationHint | undefined => {
    if (entity.type !== 'ip') return undefined;
    const act = policy.action !== 'notify' && (LEVEL_RANK[level] ?? 2) >= minRank ? policy.action : 'notify';
    return { action: act, durationS: policy.durationS, scope: 'ip' };
  };
  const make = (
    obs: Observation,
    base: { id: string; title: string; level: string; severity: Severity; techniques: readonly string[] },
    explanation: string,
    count: number,
    labels: Record<string, string>,
  ): Detection => {
    const entity = entityOf(obs);
    const remediation = remediationFor(base.level, entity);
    return {
      id: ids.next('det'),
      scenario: `sigma/${base.id}`,
      time: obs.time,
      entity,
      techniques: base.techniques,
      confidence: CONFIDENCE[base.severity],
      severity: base.severity,
      count,
      explanation,
      evidence: [evidenceOf(obs)],
      ...(remediation ? { remediation } : {}),
      labels: { 'sigma.id': base.id, 'sigma.title': base.title, 'sigma.level': base.level, ...labels },
    };
  };
  const ruleDetection = (obs: Observation, r: SigmaRule): Detection =>
    make(
      obs,
      r,
      `Sigma rule "${r.title}" (${r.id}, level ${r.level}) matched ${r.route.feeds}${r.fields.length > 0 ? ` on ${r.fields.slice(0, 6).join(', ')}` : ''}`,
      1,
      { 'sigma.file': r.file },
    );
  const correlationDetection = (obs: Observation, f: CorrelationFiring): Detection => {
    const group = Object.entries(f.group)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const what =
      f.def.type === 'value_count' ? `distinct ${f.def.valueField}` : f.def.type === 'event_count' ? 'events' : 'rules';
    const cond = f.def.condition.map((c) => `${c.op} ${c.n}`).join(' and ') || 'all';
    return make(
      obs,
      f.def,
      `Sigma correlation "${f.def.title}" (${f.def.id}, ${f.def.type}): ${f.count} ${what} of ${f.def.rules.join(', ')} within ${f.def.timespanMs / 1000} s${group ? ` for ${group}` : ''}; condition ${cond}`,
      f.count,
      {},
    );
  };
  // Rules a correlation references do not alert on their own unless it says `generate: true`.
  const silenced = new Set<string>();
  for (const c of set.correlations) if (!c.generate) for (const r of c.rules) silenced.add(r);
  return {
    name: 'sigma',
    process(obs) {
      const res = engine.evaluate(obs.event, obs.time);
      if (res.rules.length === 0) return [];
      const out: Detection[] = [];
      for (const r of res.rules) {
        if (silenced.has(r.id) || (r.name !== undefined && silenced.has(r.name))) continue;
        out.push(ruleDetection(obs, r));
      }
      for (const f of res.correlations) out.push(correlationDetection(obs, f));
      return out;
    },
    snapshot: () => engine.correlation.snapshot(),
    restore: (text) => engine.correlation.restore(text),
  };
}
