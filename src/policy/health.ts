import type { HealthSnapshot, ProbeResult } from './health-probes.js';

export type { HealthSnapshot, ProbeResult } from './health-probes.js';
export { probe, probeHttp, probeTcp, runHealthChecks } from './health-probes.js';

/** The action being judged. */
export interface CheckedAction {
  readonly decisionId: string;
  readonly scenario?: string;
}

/**
 * Whether an action hurt the host's own service.
 * - `healthy`: every check passes after the action.
 * - `unchanged`: something fails, but it already failed before: not this action's doing.
 * - `rollback`: a check that passed before fails now. Roll the action back and mark its scenario
 *   for review (`review` names it): the action probably hit a real user or a dependency.
 */
export type HealthVerdict =
  | { readonly kind: 'healthy' }
  | { readonly kind: 'unchanged'; readonly failing: readonly string[]; readonly reason: string }
  | {
      readonly kind: 'rollback';
      readonly decisionId: string;
      readonly review?: string;
      readonly worsened: readonly ProbeResult[];
      readonly reason: string;
    };

/**
 * Compare health before and after an action. Only a check that was ok before and fails after
 * counts against the action; a check with no baseline is not blamed on it (we cannot tell).
 *
 * @example
 * const before = await runHealthChecks(checks, { now: clock.now });
 * await responder.apply([d], ctx);
 * const v = checkAfterAction(before, await runHealthChecks(checks, { now: clock.now }), { decisionId: d.id, scenario: d.scenario });
 * if (v.kind === 'rollback') await responder.rollback([d], ctx);
 */
export function checkAfterAction(before: HealthSnapshot, after: HealthSnapshot, action: CheckedAction): HealthVerdict {
  const wasOk = new Map<string, boolean>();
  for (const r of before.results) wasOk.set(r.name, (wasOk.get(r.name) ?? true) && r.ok);
  const worsened = after.results.filter((r) => !r.ok && wasOk.get(r.name) === true);
  if (worsened.length > 0) {
    const list = worsened.map((r) => `${r.name} (${r.detail})`).join(', ');
    return {
      kind: 'rollback',
      decisionId: action.decisionId,
      ...(action.scenario === undefined ? {} : { review: action.scenario }),
      worsened,
      reason: `health got worse after ${action.decisionId}: ${list} failed after passing before; roll it back${
        action.scenario === undefined ? '' : ` and review scenario ${action.scenario}`
      }`,
    };
  }
  const failing = after.results.filter((r) => !r.ok).map((r) => r.name);
  if (failing.length > 0) {
    return {
      kind: 'unchanged',
      failing,
      reason: `failing, but not newly since the action (failing before, or no earlier result): ${failing.join(', ')}`,
    };
  }
  return { kind: 'healthy' };
}
