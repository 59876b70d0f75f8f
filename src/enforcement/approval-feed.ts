import type Database from 'better-sqlite3';
import type { Decision } from '../core/decision.js';
import type { Store } from '../core/store.js';
import type { ApprovalQueue } from '../policy/approvals.js';

/** An answered approval whose decision the enforcer has not acted on yet. */
export interface AnsweredApproval {
  readonly id: string;
  readonly status: 'approved' | 'rejected';
  readonly decidedBy?: string;
  readonly note?: string;
  /** The decision as stored now (status `proposed`), not the copy taken when it was queued. */
  readonly decision: Decision;
}

/**
 * What the enforcer asks of the approval queue on every pass. It runs each second with up to
 * tens of thousands of approvals pending (a breaker held back a flood), so every question must
 * cost what the answer costs, never a read of the whole queue.
 */
export interface ApprovalFeed {
  /** Pending approvals not yet due to expire, counted without reading them. */
  pendingCount(now: number): number;
  /**
   * Approvals answered (approved or rejected) whose decision is still `proposed`, i.e. not yet
   * carried out. `since` bounds the search: only approvals that were still open at `since` (an
   * approval can be answered only before its expiry, so expiresAt > answer time >= since).
   * Level-triggered: an answer missed once is found again on the next pass.
   */
  answered(since: number, limit: number): Promise<AnsweredApproval[]>;
  /**
   * Live `proposed` decisions stored after `cursor` (an opaque position, 0 = the beginning),
   * as ids, and the position to ask from next time: how the daemon finds what the CLI added
   * without re-reading every decision the breaker holds.
   */
  newProposed(cursor: number, now: number, limit: number): Promise<{ readonly cursor: number; readonly ids: string[] }>;
  /** Run synchronous queue writes (a batch of enqueues) as one transaction. */
  atomically<T>(work: () => T): T;
}

interface AnsweredRow {
  id: string;
  status: 'approved' | 'rejected';
  decided_by: string | null;
  note: string | null;
  json: string;
}

/**
 * The feed on the SQLite file that holds both the approvals and the decisions (one store
 * directory), so "answered but not acted on" is a single indexed join: the approvals_status
 * index bounds it by expiry, the decision's primary key checks its status.
 */
export function createSqliteApprovalFeed(db: Database.Database): ApprovalFeed {
  let s: ReturnType<typeof prepare> | undefined;
  function prepare() {
    return {
      pending: db.prepare("SELECT count(*) FROM approvals WHERE status = 'pending' AND expires_at > ?").pluck(),
      answered: db.prepare(
        `SELECT a.id, a.status, a.decided_by, a.note, d.json FROM approvals a
           JOIN decisions d ON d.id = a.decision_id
          WHERE a.status IN ('approved', 'rejected') AND a.expires_at > ? AND d.status = 'proposed'
          ORDER BY a.decided_at, a.id LIMIT ?`,
      ),
      // rowid grows with every insert (one writer at a time, and decisions are pruned oldest
      // first), so rows past the cursor are exactly those stored since; updates keep theirs.
      added: db.prepare(
        'SELECT rowid AS pos, id, status, expires_at FROM decisions WHERE rowid > ? ORDER BY rowid LIMIT ?',
      ),
    };
  }
  const st = () => (s ??= prepare());
  return {
    pendingCount: (now) => Number(st().pending.get(now)),
    async answered(since, limit) {
      const out: AnsweredApproval[] = [];
      for (const r of st().answered.all(since, limit) as AnsweredRow[]) {
        let decision: Decision;
        try {
          decision = JSON.parse(r.json) as Decision;
        } catch {
          // A damaged row must not stop every other approval from being carried out.
          continue;
        }
        out.push({
          id: r.id,
          status: r.status,
          decision,
          ...(r.decided_by === null ? {} : { decidedBy: r.decided_by }),
          ...(r.note === null ? {} : { note: r.note }),
        });
      }
      return out;
    },
    async newProposed(cursor, now, limit) {
      const rows = st().added.all(cursor, limit) as { pos: number; id: string; status: string; expires_at: number }[];
      const last = rows.at(-1);
      return {
        cursor: last ? Number(last.pos) : cursor,
        ids: rows.filter((r) => r.status === 'proposed' && Number(r.expires_at) > now).map((r) => r.id),
      };
    },
    atomically: (work) => db.transaction(work).immediate(),
  };
}

/**
 * The same questions answered through the generic queue and store interfaces, for stores that
 * are not this SQLite file (tests, an in-memory queue). Reads the answered approvals in full:
 * fine for small queues only.
 */
export function createQueueApprovalFeed(queue: ApprovalQueue, store: Store): ApprovalFeed {
  const getDecision = (id: string) => store.getDecision(id);
  return {
    pendingCount: () => queue.list('pending').length,
    async answered(since, limit) {
      const out: AnsweredApproval[] = [];
      for (const a of queue.list(['approved', 'rejected'])) {
        if (out.length >= limit) break;
        if (a.expiresAt <= since || (a.status !== 'approved' && a.status !== 'rejected')) continue;
        const decision = await getDecision(a.decisionId);
        if (decision?.status !== 'proposed') continue;
        out.push({
          id: a.id,
          status: a.status,
          decision,
          ...(a.decidedBy === undefined ? {} : { decidedBy: a.decidedBy }),
          ...(a.note === undefined ? {} : { note: a.note }),
        });
      }
      return out;
    },
    newProposed: async (cursor, now, limit) => ({
      cursor,
      ids: (await store.listDecisions({ status: ['proposed'], activeAt: now, limit })).map((d) => d.id),
    }),
    atomically: (work) => work(),
  };
}
