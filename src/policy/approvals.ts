import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { IdGenerator } from '../core/ids.js';
import type { Approval, ApprovalsRepo, ApprovalStatus } from './approval.js';

/** What became of an approve/reject request. */
export type ApprovalAnswer =
  | { readonly kind: 'approved'; readonly approval: Approval }
  | { readonly kind: 'rejected'; readonly approval: Approval }
  /** Too late: it expired (now or earlier) and counts as rejected. */
  | { readonly kind: 'expired'; readonly approval: Approval }
  | { readonly kind: 'already-decided'; readonly approval: Approval }
  | { readonly kind: 'not-found'; readonly id: string };

export interface ApprovalQueue {
  /** Queue a decision; idempotent per decision id (a replayed batch does not queue it twice). */
  enqueue(decision: Decision, reason: string, expiresAt?: number): Approval;
  /** `pending` lists only those not yet due to expire. */
  list(status?: ApprovalStatus | readonly ApprovalStatus[], limit?: number): Approval[];
  get(id: string): Approval | undefined;
  approve(id: string, by: string): ApprovalAnswer;
  reject(id: string, by: string, reason?: string): ApprovalAnswer;
  /** Mark every due pending approval expired; returns them (audit each as rejected). */
  expire(now?: number): Approval[];
}

export interface ApprovalQueueDeps {
  readonly repo: ApprovalsRepo;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Default lifetime of a pending approval (default 1 h). */
  readonly expireAfterMs?: number;
}

export const DEFAULT_APPROVAL_EXPIRY_MS = 3_600_000;

/**
 * The approval queue for high-impact actions and for everything held while the breaker is
 * open. An approval that was not answered in time is expired, and an expired approval can never
 * become approved later (the repository's update is conditional on the expiry): silence from
 * people means no, never a delayed yes.
 *
 * @example
 * const queue = createApprovalQueue({ repo: createApprovalsRepo(db), clock, ids });
 * if (verdict.kind === 'queue') queue.enqueue(decision, verdict.reason, verdict.expiresAt);
 * const answer = queue.approve('apr_...', 'cli:root'); // { kind: 'approved', approval }
 */
export function createApprovalQueue(deps: ApprovalQueueDeps): ApprovalQueue {
  const lifetime = deps.expireAfterMs ?? DEFAULT_APPROVAL_EXPIRY_MS;

  function answer(id: string, to: 'approved' | 'rejected', by: string, note?: string): ApprovalAnswer {
    const now = deps.clock.now();
    const changed = deps.repo.decide(id, to, by, now, note);
    if (changed) return { kind: to, approval: changed };
    const current = deps.repo.get(id);
    if (!current) return { kind: 'not-found', id };
    if (current.status === 'pending' && current.expiresAt <= now) {
      deps.repo.expireDue(now);
      return { kind: 'expired', approval: deps.repo.get(id) ?? current };
    }
    if (current.status === 'expired') return { kind: 'expired', approval: current };
    return { kind: 'already-decided', approval: current };
  }

  return {
    enqueue(decision, reason, expiresAt) {
      const now = deps.clock.now();
      const due = expiresAt !== undefined && Number.isFinite(expiresAt) ? expiresAt : now + lifetime;
      return deps.repo.insert({
        id: deps.ids.next('apr'),
        decisionId: decision.id,
        decision,
        reason,
        createdAt: now,
        expiresAt: due,
        status: 'pending',
      });
    },
    list(status, limit) {
      const wanted = status === undefined ? undefined : typeof status === 'string' ? [status] : status;
      const rows = deps.repo.list({ ...(wanted ? { status: wanted } : {}), ...(limit ? { limit } : {}) });
      if (!wanted?.includes('pending')) return rows;
      const now = deps.clock.now();
      return rows.filter((a) => a.status !== 'pending' || a.expiresAt > now);
    },
    get: (id) => deps.repo.get(id),
    approve: (id, by) => answer(id, 'approved', by),
    reject: (id, by, reason) => answer(id, 'rejected', by, reason),
    expire: (now) => deps.repo.expireDue(now ?? deps.clock.now()),
  };
}
