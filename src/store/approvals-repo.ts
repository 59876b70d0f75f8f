import type Database from 'better-sqlite3';
import type { Decision } from '../core/decision.js';
import type { Approval, ApprovalQuery, ApprovalsRepo, ApprovalStatus } from '../policy/approval.js';
import { parseJson } from './rows.js';
import { storeFailed } from './store-error.js';

/** The approvals table's columns, in the order `toApproval` reads (shared with the API's repository). */
export const APPROVAL_COLUMNS =
  'id, decision_id, status, reason, created_at, expires_at, decided_by, decided_at, note, json';
const COLUMNS = APPROVAL_COLUMNS;

export interface ApprovalRow {
  id: string;
  decision_id: string;
  status: ApprovalStatus;
  reason: string;
  created_at: number;
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
  note: string | null;
  json: string;
}

export function toApproval(r: ApprovalRow): Approval {
  return {
    id: r.id,
    decisionId: r.decision_id,
    decision: parseJson<Decision>('approvals', r.id, r.json),
    reason: r.reason,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    status: r.status,
    ...(r.decided_by === null ? {} : { decidedBy: r.decided_by }),
    ...(r.decided_at === null ? {} : { decidedAt: Number(r.decided_at) }),
    ...(r.note === null ? {} : { note: r.note }),
  };
}

const MAX_LIST = 100_000;

/**
 * The approval queue's table (migration 002) on a better-sqlite3 handle, e.g. the one
 * `openSqliteDatabase` returns. The schema must be migrated first. Every failure is a
 * `LeukoError('STORE_FAILED')`.
 *
 * @example
 * const { db, path } = openSqliteDatabase({ dir: defaultStoreDir() });
 * const queue = createApprovalQueue({ repo: createApprovalsRepo(db, path), clock, ids });
 */
export function createApprovalsRepo(db: Database.Database, path = db.name): ApprovalsRepo {
  let s: ReturnType<typeof prepare> | undefined;
  function prepare() {
    return {
      insert: db.prepare(
        `INSERT INTO approvals (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (decision_id) DO NOTHING`,
      ),
      byId: db.prepare(`SELECT ${COLUMNS} FROM approvals WHERE id = ?`),
      byDecision: db.prepare(`SELECT ${COLUMNS} FROM approvals WHERE decision_id = ?`),
      // The expiry condition lives in the UPDATE itself: a reviewer racing the expiry (or two
      // reviewers racing each other) cannot both win, and a due approval can never turn approved.
      decide: db.prepare(
        "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND status = 'pending' AND expires_at > ?",
      ),
      dueIds: db.prepare("SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at"),
      expire: db.prepare(
        "UPDATE approvals SET status = 'expired', decided_by = 'policy:expiry', decided_at = ?, note = 'expired' WHERE id = ? AND status = 'pending'",
      ),
    };
  }
  const st = () => (s ??= prepare());

  function guard<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      throw storeFailed(what, path, cause);
    }
  }

  const get = (id: string): Approval | undefined => {
    const row = st().byId.get(id) as ApprovalRow | undefined;
    return row ? toApproval(row) : undefined;
  };

  return {
    insert: (a) =>
      guard('cannot queue an approval', () => {
        const q = st();
        q.insert.run(
          a.id,
          a.decisionId,
          a.status,
          a.reason,
          a.createdAt,
          a.expiresAt,
          a.decidedBy ?? null,
          a.decidedAt ?? null,
          a.note ?? null,
          JSON.stringify(a.decision),
        );
        const row = q.byDecision.get(a.decisionId) as ApprovalRow | undefined;
        return row ? toApproval(row) : a;
      }),

    get: (id) => guard('cannot read an approval', () => get(id)),

    list: (q: ApprovalQuery = {}) =>
      guard('cannot list approvals', () => {
        const where: string[] = [];
        const params: unknown[] = [];
        if (q.status && q.status.length > 0) {
          where.push(`status IN (${q.status.map(() => '?').join(', ')})`);
          params.push(...q.status);
        }
        if (q.decisionId !== undefined) {
          where.push('decision_id = ?');
          params.push(q.decisionId);
        }
        const limit = Math.max(1, Math.min(MAX_LIST, Math.floor(q.limit ?? MAX_LIST)));
        const sql =
          `SELECT ${COLUMNS} FROM approvals${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ` +
          `ORDER BY created_at, id LIMIT ${limit}`;
        return (db.prepare(sql).all(...params) as ApprovalRow[]).map(toApproval);
      }),

    decide: (id, to, by, now, note) =>
      guard('cannot record an approval decision', () => {
        const q = st();
        const changed = q.decide.run(to, by, now, note ?? null, id, now).changes;
        return changed > 0 ? get(id) : undefined;
      }),

    expireDue: (now) =>
      guard('cannot expire approvals', () => {
        const q = st();
        return db
          .transaction(() => {
            const out: Approval[] = [];
            for (const id of q.dueIds.pluck().all(now) as string[]) {
              if (q.expire.run(now, id).changes > 0) {
                const a = get(id);
                if (a) out.push(a);
              }
            }
            return out;
          })
          .immediate();
      }),
  };
}
