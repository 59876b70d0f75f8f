import type { Allowlist } from '../policy/allowlist.js';
import type { Envelope } from './envelope.js';
import type { QuorumTracker } from './quorum.js';
import { checkScope, type ScopeLimits } from './scope-guard.js';
import { readShared, type SharedDecision } from './shared-decision.js';
import { checkSigner, type TrustRegistry } from './trust.js';

export interface AcceptContext {
  readonly self: string;
  readonly registry: TrustRegistry;
  readonly limits: ScopeLimits;
  readonly allowlist: Allowlist;
  readonly fleetAddresses: Allowlist;
  /** k distinct reporters needed from agents not trusted for the scope; 0: no quorum path. */
  readonly quorum: number;
  readonly tracker: QuorumTracker;
  readonly now: number;
}

export type AcceptVerdict =
  | { readonly verdict: 'accept'; readonly decision: SharedDecision; readonly reporters: readonly string[] }
  | { readonly verdict: 'wait'; readonly reason: string; readonly decision: SharedDecision }
  | { readonly verdict: 'refuse'; readonly reason: string }
  | { readonly verdict: 'own' };

/**
 * Whether this agent acts on a fleet decision. In order, so the cheapest lie is caught first
 * and every refusal names its reason for the audit log:
 * 1. the signature verifies against the enrolled (not revoked) key of the agent it names;
 * 2. the body is a well-formed, unexpired shared decision;
 * 3. its scope is bounded: a real address or range, never the whole internet, no wider than
 *    the configured prefix, nothing allowlisted here, none of the fleet's own hosts;
 * 4. its signer is trusted for that scope, or a quorum of distinct enrolled agents reported it.
 */
export function evaluateFleetDecision(e: Envelope, ctx: AcceptContext): AcceptVerdict {
  if (e.agent === ctx.self) return { verdict: 'own' };
  const signer = checkSigner(ctx.registry, e);
  if (!signer.ok) return { verdict: 'refuse', reason: signer.reason };
  const decision = readShared(e.body);
  if (!decision) return { verdict: 'refuse', reason: `malformed decision from ${e.agent}` };
  if (decision.expiresAt <= ctx.now) return { verdict: 'refuse', reason: `decision ${decision.id} already expired` };
  const scope = checkScope(decision.scope, decision.value, ctx.limits, ctx.allowlist, ctx.fleetAddresses);
  if (!scope.ok) return { verdict: 'refuse', reason: scope.reason };
  const entity = `${decision.scope}:${decision.value}`;
  const reporters = ctx.tracker.report(entity, e.agent, ctx.now);
  if (signer.record.trustedScopes.includes(decision.scope)) return { verdict: 'accept', decision, reporters };
  if (ctx.quorum <= 0) {
    return {
      verdict: 'refuse',
      reason: `${e.agent} is not trusted for scope ${decision.scope} (no quorum configured)`,
    };
  }
  if (reporters.length >= ctx.quorum) return { verdict: 'accept', decision, reporters };
  return {
    verdict: 'wait',
    decision,
    reason: `${e.agent} is not trusted for scope ${decision.scope}: ${reporters.length} of ${ctx.quorum} agents reported ${entity}`,
  };
}
