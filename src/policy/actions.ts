import type { BlastRadius, Decision } from '../core/decision.js';
import type { PolicyMode } from './config-schema.js';
import { parseCidr } from './allowlist.js';

/** What the policy knows about one kind of action. */
export interface ActionClass {
  readonly radius: BlastRadius;
  /** Least autonomy under which the action may run without a person. */
  readonly minMode: Exclude<PolicyMode, 'observe'>;
  /** Notifications change nothing, so they never use up the budget. */
  readonly budgeted: boolean;
}

/**
 * The catalog. Reversible, low-impact containment (ban, freeze, notify) runs under `contain`;
 * irreversible or restorative actions (kill, restart, restore) need `heal`; actions that can cut
 * off people or the whole service are `high` and always wait for a person unless allowed by
 * name. An action the catalog does not know is treated as high: a new responder must not gain
 * autonomy by being unknown.
 */
const CATALOG: Readonly<Record<string, ActionClass>> = {
  ban: { radius: 'low', minMode: 'contain', budgeted: true },
  notify: { radius: 'low', minMode: 'contain', budgeted: false },
  freeze: { radius: 'medium', minMode: 'contain', budgeted: true },
  command: { radius: 'medium', minMode: 'contain', budgeted: true },
  kill: { radius: 'medium', minMode: 'heal', budgeted: true },
  restart: { radius: 'medium', minMode: 'heal', budgeted: true },
  'restart-service': { radius: 'medium', minMode: 'heal', budgeted: true },
  restore: { radius: 'medium', minMode: 'heal', budgeted: true },
  'restore-file': { radius: 'medium', minMode: 'heal', budgeted: true },
  'quarantine-file': { radius: 'medium', minMode: 'heal', budgeted: true },
  'rollback-config': { radius: 'medium', minMode: 'heal', budgeted: true },
  'fix-posture': { radius: 'medium', minMode: 'heal', budgeted: true },
  'lock-account': { radius: 'high', minMode: 'contain', budgeted: true },
  'isolate-host': { radius: 'high', minMode: 'contain', budgeted: true },
  'stop-service': { radius: 'high', minMode: 'contain', budgeted: true },
};

const UNKNOWN: ActionClass = { radius: 'high', minMode: 'heal', budgeted: true };

const ORDER: Readonly<Record<BlastRadius, number>> = { low: 0, medium: 1, high: 2 };

export function actionClass(action: string): ActionClass {
  return Object.hasOwn(CATALOG, action) ? (CATALOG[action] as ActionClass) : UNKNOWN;
}

/** The wider of two classes; anything that is not a known class counts as high (bad input). */
export function maxRadius(a: BlastRadius, b: BlastRadius): BlastRadius {
  const ra = ORDER[a] ?? 2;
  const rb = ORDER[b] ?? 2;
  if (ra === 2 || rb === 2) return 'high';
  return ra >= rb ? a : b;
}

/**
 * How many people a ban on this target can hit: one address is low; a /24 (IPv4) or a /64
 * (IPv6, one subscriber) or narrower is medium; anything wider is high (a /16 is a whole ISP's
 * pool). undefined when the value is not an address or range.
 */
export function rangeRadius(value: string): BlastRadius | undefined {
  const r = parseCidr(value);
  if (!r) return undefined;
  const v4 = r.addr.kind() === 'ipv4';
  const full = v4 ? 32 : 128;
  if (r.bits >= full) return 'low';
  return r.bits >= (v4 ? 24 : 64) ? 'medium' : 'high';
}

/**
 * The blast radius the policy uses: the larger of the catalog's, the target's and the one the
 * decision claims (a decision can raise its own class, never lower it).
 */
export function blastRadiusOf(decision: Decision): BlastRadius {
  let radius = maxRadius(actionClass(decision.action).radius, decision.blastRadius);
  if (decision.scope === 'ip' || decision.scope === 'range') {
    radius = maxRadius(radius, rangeRadius(decision.value) ?? 'high');
  }
  return radius;
}
