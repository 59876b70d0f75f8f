import type { AuditKind, AuditRecord } from '../core/audit.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import { LeukoError } from '../core/errors.js';
import type { Incident } from '../core/incident.js';

// Column values for each table, in the order of the INSERT statements in statements.ts.
// Objects are stored whole in `json`; the other columns are index copies.

/**
 * `expires_at` for a decision that never expires. Infinity does not survive JSON (it becomes
 * null) nor a PostgreSQL BIGINT, so a decision committed with `expiresAt: Infinity` is stored
 * (and read back) with this instead.
 */
export const FOREVER_MS = Number.MAX_SAFE_INTEGER;

export function detectionParams(d: Detection): unknown[] {
  return [d.id, d.scenario, d.time, d.entity.type, d.entity.value, JSON.stringify(d)];
}

export function incidentParams(i: Incident): unknown[] {
  return [i.id, i.entity.type, i.entity.value, i.status, i.firstSeen, i.lastSeen, JSON.stringify(i)];
}

/** A NaN time is a caller bug: it reaches the NOT NULL constraint and fails the batch loudly. */
export function decisionParams(input: Decision): unknown[] {
  const d = input.expiresAt === Number.POSITIVE_INFINITY ? { ...input, expiresAt: FOREVER_MS } : input;
  return [
    d.id,
    d.scope,
    d.value,
    d.action,
    d.status,
    d.createdAt,
    d.expiresAt,
    d.origin,
    d.scenario ?? null,
    d.incidentId ?? null,
    d.offence,
    JSON.stringify(d),
  ];
}

/** Parse a stored `json` column; a corrupt row is a store failure naming the row, not a crash. */
export function parseJson<T>(table: string, id: unknown, text: unknown): T {
  try {
    return JSON.parse(String(text)) as T;
  } catch (cause) {
    throw new LeukoError('STORE_FAILED', `corrupt ${table} row ${String(id)}: its json column is not valid JSON`, {
      cause,
      details: { table, id },
    });
  }
}

/** A row read with `SELECT seq, at, kind, action, subject, actor, data, prev_hash, hash`. */
export interface AuditDbRow {
  seq: number;
  at: number;
  kind: string;
  action: string;
  subject: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export function toAuditRecord(r: AuditDbRow): AuditRecord {
  return {
    seq: r.seq,
    at: r.at,
    kind: r.kind as AuditKind,
    action: r.action,
    subject: r.subject,
    actor: r.actor,
    data: parseJson<unknown>('audit', r.seq, r.data),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
