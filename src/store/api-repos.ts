import type { ApiRepos, Credential, CredentialRole, FeedbackRecord } from '../core/store.js';
import { APPROVAL_COLUMNS, type ApprovalRow, toApproval } from './approvals-repo.js';
import type { SqlRunner } from './sql-runner.js';

interface CredentialRow {
  id: string;
  name: string;
  role: CredentialRole;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const CREDENTIAL_COLUMNS = 'id, name, role, created_at, last_used_at, revoked_at';

const toCredential = (r: CredentialRow): Credential => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: Number(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

const kindWhere = (kind: 'tokens' | 'bouncers') => (kind === 'bouncers' ? "role = 'bouncer'" : "role <> 'bouncer'");

const LIVE = "('proposed', 'approved', 'applied', 'verified')";

/** `%text%` for LIKE over stored JSON (so escaped as JSON first), `\` escaping LIKE's wildcards. */
function likeOf(text: string): string {
  const inJson = JSON.stringify(text).slice(1, -1);
  return `%${inJson.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The API's repositories (see `ApiRepos` in src/core/store.ts) over either database: every
 * statement is in the SQL subset SQLite and PostgreSQL share, so the daemon (SQLite) and the
 * hive (PostgreSQL) keep the same tables with the same rules. The tables come from migrations
 * 002 (approvals) and 030 (api).
 *
 * @example
 * const repos = createApiRepos(sqliteRunner(db)); // or createApiRepos(pgStore.sql)
 * await repos.counts.openIncidents();
 */
export function createApiRepos(sql: SqlRunner): ApiRepos {
  const n = async (text: string, params: readonly unknown[] = []) =>
    Number((await sql.all<{ n: number }>(text, params))[0]?.n ?? 0);
  const approval = async (id: string) => {
    const row = (await sql.all<ApprovalRow>(`SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE id = ?`, [id]))[0];
    return row ? toApproval(row) : undefined;
  };

  return {
    credentials: {
      insert: (c, hash) =>
        sql.transaction(async (tx) => {
          if (c.role === 'bouncer') {
            const taken = await tx.all(
              "SELECT 1 FROM api_credentials WHERE role = 'bouncer' AND name = ? AND revoked_at IS NULL",
              [c.name],
            );
            if (taken.length > 0) return false;
          }
          await tx.run('INSERT INTO api_credentials (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)', [
            c.id,
            c.name,
            c.role,
            hash,
            c.createdAt,
          ]);
          return true;
        }),
      byHash: async (hash) => {
        const rows = await sql.all<CredentialRow>(
          `SELECT ${CREDENTIAL_COLUMNS} FROM api_credentials WHERE hash = ? AND revoked_at IS NULL`,
          [hash],
        );
        return rows[0] ? toCredential(rows[0]) : undefined;
      },
      touch: async (id, at) => {
        await sql.run('UPDATE api_credentials SET last_used_at = ? WHERE id = ?', [at, id]);
      },
      list: async (kind) =>
        (
          await sql.all<CredentialRow>(
            `SELECT ${CREDENTIAL_COLUMNS} FROM api_credentials WHERE ${kindWhere(kind)} ORDER BY created_at, id`,
          )
        ).map(toCredential),
      revoke: (idOrName, kind, at) =>
        sql.transaction(async (tx) => {
          const row = (
            await tx.all<CredentialRow>(
              `SELECT ${CREDENTIAL_COLUMNS} FROM api_credentials WHERE ${kindWhere(kind)} AND revoked_at IS NULL AND (id = ? OR name = ?) ORDER BY created_at, id LIMIT 1`,
              [idOrName, idOrName],
            )
          )[0];
          if (!row) return undefined;
          await tx.run('UPDATE api_credentials SET revoked_at = ? WHERE id = ?', [at, row.id]);
          return { ...toCredential(row), revokedAt: at };
        }),
    },

    feedback: {
      add: async (f) => {
        await sql.run(
          'INSERT INTO incident_feedback (id, incident_id, verdict, actor, note, at) VALUES (?, ?, ?, ?, ?, ?)',
          [f.id, f.incidentId, f.verdict, f.actor, f.note, f.at],
        );
      },
      list: async (incidentId) =>
        (
          await sql.all<Omit<FeedbackRecord, 'incidentId'> & { incident_id: string }>(
            'SELECT id, incident_id, verdict, actor, note, at FROM incident_feedback WHERE incident_id = ? ORDER BY at, id',
            [incidentId],
          )
        ).map((r) => ({
          id: r.id,
          incidentId: r.incident_id,
          verdict: r.verdict,
          actor: r.actor,
          note: r.note,
          at: Number(r.at),
        })),
    },

    approvals: {
      list: async (status, limit, now) => {
        if (status.length === 0) return [];
        const where = [`status IN (${status.map(() => '?').join(', ')})`];
        const params: unknown[] = [...status];
        // A pending approval past its expiry is as good as expired: never offered for an answer.
        if (status.length === 1 && status[0] === 'pending') {
          where.push('expires_at > ?');
          params.push(now);
        }
        const rows = await sql.all<ApprovalRow>(
          `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ${Math.max(1, Math.floor(limit))}`,
          params,
        );
        return rows.map(toApproval);
      },
      get: approval,
      decide: async (id, to, by, now, note) => {
        // The expiry lives in the UPDATE: two reviewers, or a reviewer and the expiry, cannot both win.
        const changed = await sql.run(
          "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND status = 'pending' AND expires_at > ?",
          [to, by, now, note ?? null, id, now],
        );
        return changed > 0 ? approval(id) : undefined;
      },
    },

    bouncers: {
      deliver: (bouncerId, startup, active) =>
        sql.transaction(async (tx) => {
          if (startup) await tx.run('DELETE FROM bouncer_delivered WHERE bouncer_id = ?', [bouncerId]);
          const delivered = new Map(
            (
              await tx.all<{ decision_id: string; json: string }>(
                'SELECT decision_id, json FROM bouncer_delivered WHERE bouncer_id = ? ORDER BY decision_id',
                [bouncerId],
              )
            ).map((r) => [r.decision_id, r.json]),
          );
          const fresh: string[] = [];
          const gone: string[] = [];
          for (const [id, json] of active) {
            if (delivered.has(id)) continue;
            fresh.push(json);
            await tx.run(
              'INSERT INTO bouncer_delivered (bouncer_id, decision_id, json) VALUES (?, ?, ?) ON CONFLICT (bouncer_id, decision_id) DO UPDATE SET json = excluded.json',
              [bouncerId, id, json],
            );
          }
          for (const [id, json] of delivered) {
            if (active.has(id)) continue;
            gone.push(json);
            await tx.run('DELETE FROM bouncer_delivered WHERE bouncer_id = ? AND decision_id = ?', [bouncerId, id]);
          }
          return { fresh, gone };
        }),
    },

    counts: {
      activeDecisions: (now) =>
        n(`SELECT COUNT(*) AS n FROM decisions WHERE expires_at > ? AND status IN ${LIVE}`, [now]),
      openIncidents: () => n("SELECT COUNT(*) AS n FROM incidents WHERE status IN ('open', 'contained')"),
      pendingApprovals: (now) =>
        n("SELECT COUNT(*) AS n FROM approvals WHERE status = 'pending' AND expires_at > ?", [now]),
      decisionsByActionStatus: async () =>
        (
          await sql.all<{ action: string; status: string; n: number }>(
            'SELECT action, status, COUNT(*) AS n FROM decisions GROUP BY action, status ORDER BY action, status',
          )
        ).map((r) => ({ action: r.action, status: r.status, n: Number(r.n) })),
    },

    auditHeadSeq: () => n('SELECT seq AS n FROM audit_head WHERE id = 1'),

    searchDetections: async (q) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.q) {
        // LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
        where.push("LOWER(json) LIKE LOWER(?) ESCAPE '\\'");
        params.push(likeOf(q.q));
      }
      if (q.scenario) {
        where.push('scenario = ?');
        params.push(q.scenario);
      }
      if (q.entity) {
        where.push('entity_value = ?');
        params.push(q.entity);
      }
      if (q.since !== undefined) {
        where.push('time >= ?');
        params.push(q.since);
      }
      params.push(q.limit);
      const rows = await sql.all<{ json: string }>(
        `SELECT json FROM detections${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id LIMIT ?`,
        params,
      );
      return rows.map((r) => r.json);
    },
  };
}
