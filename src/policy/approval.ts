import type { Decision } from '../core/decision.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];

/** A decision waiting for (or answered by) a person. */
export interface Approval {
  readonly id: string;
  readonly decisionId: string;
  /** The decision as it was when queued: what the person is asked to approve. */
  readonly decision: Decision;
  /** Why the policy queued it. */
  readonly reason: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly status: ApprovalStatus;
  readonly decidedBy?: string;
  readonly decidedAt?: number;
  /** The reviewer's reason for a rejection, or `expired`. */
  readonly note?: string;
}

export interface ApprovalQuery {
  readonly status?: readonly ApprovalStatus[];
  readonly decisionId?: string;
  readonly limit?: number;
}

/**
 * Durable storage for approvals (src/store/approvals-repo.ts on SQLite). Every state change is
 * one conditional UPDATE, so the CLI and the daemon, in different processes, cannot both decide
 * the same approval, and nothing decides an approval after its expiry.
 */
export interface ApprovalsRepo {
  /** Insert; if the decision already has an approval, keep and return that one (idempotent). */
  insert(approval: Approval): Approval;
  get(id: string): Approval | undefined;
  list(q?: ApprovalQuery): Approval[];
  /**
   * pending -> approved/rejected, only if still pending and `now < expiresAt`.
   * Returns the updated approval, or undefined when nothing changed.
   */
  decide(id: string, to: 'approved' | 'rejected', by: string, now: number, note?: string): Approval | undefined;
  /** pending with `expiresAt <= now` -> expired; returns those it changed. */
  expireDue(now: number): Approval[];
}
