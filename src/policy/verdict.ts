import type { BlastRadius } from '../core/decision.js';
import type { GuardMatch } from './address-guard.js';

/** Which rule decided; stable, for metrics and for branching without parsing `reason`. */
export type PolicyRule =
  | 'invalid'
  | 'allowlist'
  | 'operator'
  | 'observe'
  | 'dry-run'
  | 'high-impact'
  | 'mode'
  | 'breaker'
  | 'autonomy';

interface Base {
  /** One sentence for the audit log and `leuko explain`. */
  readonly reason: string;
  readonly rule: PolicyRule;
  /** The class the policy used (never below what the decision claimed). */
  readonly blastRadius: BlastRadius;
}

/**
 * What the policy says about one decision.
 * - `approve`: apply it now (decision status proposed -> approved).
 * - `queue`: a person must approve it before `expiresAt` (ms); unanswered means rejected.
 * - `reject`: never apply it (allowlisted, invalid target).
 * - `observe`: observe mode; record the decision, apply nothing. `wouldBe` says what contain
 *   or heal would have done.
 * - `dry-run`: show the responder's plan (`plan()`) in the audit log, apply nothing.
 */
export type PolicyVerdict =
  | (Base & { readonly kind: 'approve' })
  | (Base & { readonly kind: 'queue'; readonly expiresAt: number })
  | (Base & { readonly kind: 'reject'; readonly protectedBy?: GuardMatch })
  | (Base & { readonly kind: 'observe'; readonly wouldBe: 'approve' | 'queue' })
  | (Base & { readonly kind: 'dry-run'; readonly wouldBe: 'approve' | 'queue'; readonly note: string });

export type PolicyVerdictKind = PolicyVerdict['kind'];

/** Per-call facts the engine cannot know from the decision alone. */
export interface EvaluateContext {
  /**
   * A person asked for this decision (`leuko decisions add`): it is not autonomous, so mode and
   * the budget do not apply. The allowlist still does, and a high-impact action still waits for
   * a second person's approval unless `policy.allow_high_impact` lists it.
   */
  readonly operator?: string;
  /** Plan only, for this call (e.g. `leuko decisions add --dry-run`). */
  readonly dryRun?: boolean;
}
