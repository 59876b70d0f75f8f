import type { Clock } from './clock.js';
import type { BlastRadius, Decision } from './decision.js';

/** What exactly an action will change: shown in dry-run and written to the audit log. */
export interface ActionPlan {
  readonly decisionId: string;
  readonly responder: string;
  /** One line for people: `add 203.0.113.9 to inet leuko ban4 with timeout 4h`. */
  readonly summary: string;
  /** The exact changes in order (nft statements, signals, requests, commands). */
  readonly steps: readonly string[];
  readonly blastRadius: BlastRadius;
  readonly reversible: boolean;
}

/** The result of applying or rolling back one decision. */
export type ActionOutcome =
  | { readonly kind: 'applied'; readonly detail?: string }
  /** Deliberately not done, e.g. a protected process, an already-absent element. */
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly error: string; readonly retryable: boolean };

/** Whether a decision is in force in the world right now. */
export type VerifyOutcome =
  | { readonly inForce: true; readonly detail?: string }
  | { readonly inForce: false; readonly reason: string };

/** What one level-triggered reconcile pass found and fixed. */
export interface ReconcileReport {
  /** Elements re-added because a live decision was not enforced (someone flushed the ruleset). */
  readonly added: number;
  /** Elements removed because no live decision asks for them any more. */
  readonly removed: number;
  /** added + removed: how far the world had drifted from the decisions. */
  readonly drift: number;
  readonly errors: readonly string[];
}

export interface ResponderContext {
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Upper bound for one apply/verify/rollback call. */
  readonly timeoutMs: number;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}

/**
 * A responder carries out decisions of some actions. `apply` and `rollback` take batches so a
 * burst of bans becomes one `nft -f` rather than a process per element; both are idempotent.
 */
export interface Responder {
  /** Registry name, e.g. `nftables`, `kill-process`, `webhook`. */
  readonly type: string;
  /** Decision actions it carries out, e.g. `['ban']`, `['kill', 'freeze']`. */
  readonly actions: readonly string[];
  /** Prepare what it needs (Leuko's nft table and sets); idempotent, called at daemon start. */
  start?(ctx: ResponderContext): Promise<void>;
  stop?(): Promise<void>;
  plan(decision: Decision): ActionPlan;
  apply(decisions: readonly Decision[], ctx: ResponderContext): Promise<ReadonlyMap<string, ActionOutcome>>;
  verify(decision: Decision, ctx: ResponderContext): Promise<VerifyOutcome>;
  rollback(decisions: readonly Decision[], ctx: ResponderContext): Promise<ReadonlyMap<string, ActionOutcome>>;
  /** Level-triggered repair: make what is enforced equal to exactly these live decisions. */
  reconcile?(live: readonly Decision[], ctx: ResponderContext): Promise<ReconcileReport>;
}

/** Whether a plugin can run here (binary present, permission held), with the reason if not. */
export type CanRun = { readonly ok: true } | { readonly ok: false; readonly reason: string };
