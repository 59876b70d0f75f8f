import type { ApprovalRecord } from '../core/store.js';

export type ApprovalStatus = ApprovalRecord['status'];

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired'];

/** A decision waiting for (or answered by) a person; one shape for the queue and the API. */
export type Approval = ApprovalRecord;

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
