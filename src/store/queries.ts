import type { DecisionStatus } from '../core/decision.js';
import type { AuditQuery, DecisionQuery, IncidentQuery } from '../core/store.js';

/**
 * Statuses under which a decision is in force (or about to be): a proposed ban waiting for
 * approval still counts, so a second detection does not propose it again. Rejected, rolled back
 * and expired ones are history.
 */
export const LIVE_DECISION_STATUSES: readonly DecisionStatus[] = ['proposed', 'approved', 'applied', 'verified'];

/** A query as portable SQL text (`?` placeholders) and its parameters; `undefined` = no rows. */
export interface BuiltQuery {
  readonly sql: string;
  readonly params: unknown[];
}

function inList(column: string, values: readonly string[], where: string[], params: unknown[]): void {
  where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
  params.push(...values);
}

function finish(select: string, where: string[], order: string, limit: number | undefined, params: unknown[]) {
  let sql = select;
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  sql += ` ORDER BY ${order}`;
  if (limit !== undefined && Number.isFinite(limit)) {
    sql += ' LIMIT ?';
    params.push(Math.max(0, Math.floor(limit)));
  }
  return { sql, params };
}

/** Newest first. `activeAt` keeps live statuses only (intersected with `status` if both are given). */
export function decisionsQuery(q: DecisionQuery = {}): BuiltQuery | undefined {
  const where: string[] = [];
  const params: unknown[] = [];
  let statuses = q.status;
  if (q.activeAt !== undefined) {
    statuses = (statuses ?? LIVE_DECISION_STATUSES).filter((s) => LIVE_DECISION_STATUSES.includes(s));
    where.push('expires_at > ?');
    params.push(q.activeAt);
  }
  if (statuses !== undefined) {
    if (statuses.length === 0) return undefined;
    inList('status', statuses, where, params);
  }
  if (q.scope !== undefined) {
    where.push('scope = ?');
    params.push(q.scope);
  }
  if (q.value !== undefined) {
    where.push('value = ?');
    params.push(q.value);
  }
  return finish('SELECT id, json FROM decisions', where, 'created_at DESC, id DESC', q.limit, params);
}

/** Most recently active first. */
export function incidentsQuery(q: IncidentQuery = {}): BuiltQuery | undefined {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status !== undefined) {
    if (q.status.length === 0) return undefined;
    inList('status', q.status, where, params);
  }
  if (q.entityValue !== undefined) {
    where.push('entity_value = ?');
    params.push(q.entityValue);
  }
  return finish('SELECT id, json FROM incidents', where, 'last_seen DESC, id DESC', q.limit, params);
}

/** Oldest first, so `afterSeq` pages forward through the log. */
export function auditQuery(q: AuditQuery = {}): BuiltQuery {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.kind !== undefined) {
    where.push('kind = ?');
    params.push(q.kind);
  }
  if (q.subject !== undefined) {
    where.push('subject = ?');
    params.push(q.subject);
  }
  if (q.afterSeq !== undefined) {
    where.push('seq > ?');
    params.push(q.afterSeq);
  }
  return finish(
    'SELECT seq, at, kind, action, subject, actor, data, prev_hash, hash FROM audit',
    where,
    'seq',
    q.limit,
    params,
  );
}
