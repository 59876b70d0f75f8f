import type { AuditInput } from '../core/audit.js';
import type { Decision, DecisionStatus } from '../core/decision.js';

/**
 * The only legal moves of a decision's status. Everything else is a bug: refusing it keeps a
 * rejected or expired decision from being resurrected by a late responder answer.
 */
const NEXT: Record<DecisionStatus, readonly DecisionStatus[]> = {
  proposed: ['approved', 'rejected', 'expired'],
  approved: ['applied', 'rejected', 'expired', 'rolled_back'],
  applied: ['verified', 'rolled_back', 'expired', 'applied'],
  verified: ['verified', 'rolled_back', 'expired', 'applied'],
  rejected: [],
  rolled_back: [],
  expired: [],
};

export function canMove(from: DecisionStatus, to: DecisionStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * Move a decision to `to`, with the audit record that says who moved it and why. Returns
 * undefined (and writes nothing) when the move is not legal from the current status.
 */
export function transition(
  decision: Decision,
  to: DecisionStatus,
  why: { actor: string; reason: string; at: number; data?: Record<string, unknown> },
  audit: AuditInput[],
): Decision | undefined {
  if (!canMove(decision.status, to)) return undefined;
  const next: Decision = { ...decision, status: to, statusReason: why.reason, updatedAt: why.at };
  audit.push({
    kind: 'decision',
    action: `decision.${to}`,
    subject: decision.id,
    actor: why.actor,
    at: why.at,
    data: {
      from: decision.status,
      to,
      reason: why.reason,
      scope: decision.scope,
      value: decision.value,
      action: decision.action,
      ...why.data,
    },
  });
  return next;
}

/** Decisions whose status means "should be in force while not expired". */
export const ENFORCED_STATUSES: readonly DecisionStatus[] = ['approved', 'applied', 'verified'];
