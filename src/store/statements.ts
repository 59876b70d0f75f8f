import type Database from 'better-sqlite3';
import { RAW_AUDIT_COLUMNS } from './audit-verify.js';

/**
 * The fixed statements, in the SQL subset SQLite and PostgreSQL share (a PostgreSQL store
 * rewrites `?` to `$n`). Upserts replace every column, so a re-committed object (a batch read
 * again after a crash, a decision whose status moved) ends up exactly as last written.
 */
export const SQL = {
  upsertCheckpoint:
    'INSERT INTO checkpoints (source_id, state, updated_at) VALUES (?, ?, ?) ' +
    'ON CONFLICT (source_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
  upsertState:
    'INSERT INTO engine_state (key, value, updated_at) VALUES (?, ?, ?) ' +
    'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  upsertDetection:
    'INSERT INTO detections (id, scenario, time, entity_type, entity_value, json) VALUES (?, ?, ?, ?, ?, ?) ' +
    'ON CONFLICT (id) DO UPDATE SET scenario = excluded.scenario, time = excluded.time, ' +
    'entity_type = excluded.entity_type, entity_value = excluded.entity_value, json = excluded.json',
  upsertIncident:
    'INSERT INTO incidents (id, entity_type, entity_value, status, first_seen, last_seen, json) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?) ' +
    'ON CONFLICT (id) DO UPDATE SET entity_type = excluded.entity_type, entity_value = excluded.entity_value, ' +
    'status = excluded.status, first_seen = excluded.first_seen, last_seen = excluded.last_seen, json = excluded.json',
  upsertDecision:
    'INSERT INTO decisions (id, scope, value, action, status, created_at, expires_at, origin, scenario, ' +
    'incident_id, offence, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
    'ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, value = excluded.value, action = excluded.action, ' +
    'status = excluded.status, created_at = excluded.created_at, expires_at = excluded.expires_at, ' +
    'origin = excluded.origin, scenario = excluded.scenario, incident_id = excluded.incident_id, ' +
    'offence = excluded.offence, json = excluded.json',
  // No upsert: an audit seq is written once. A clash means two writers forked the chain.
  insertAudit: `INSERT INTO audit (${RAW_AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  selectHead: 'SELECT seq, hash FROM audit_head WHERE id = 1',
  updateHead: 'UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1',
  selectCheckpoint: 'SELECT state FROM checkpoints WHERE source_id = ?',
  selectState: 'SELECT value FROM engine_state WHERE key = ?',
  selectDecision: 'SELECT json FROM decisions WHERE id = ?',
  countOffences: 'SELECT COUNT(*) FROM decisions WHERE scope = ? AND value = ?',
  selectIncident: 'SELECT json FROM incidents WHERE id = ?',
  selectDetection: 'SELECT json FROM detections WHERE id = ?',
  selectAuditChain: `SELECT ${RAW_AUDIT_COLUMNS} FROM audit ORDER BY seq`,
} as const;

export type Statements = { readonly [K in keyof typeof SQL]: Database.Statement };

/** Prepare every fixed statement once; better-sqlite3 reuses a prepared statement for free. */
export function prepareStatements(db: Database.Database): Statements {
  const out: Record<string, Database.Statement> = {};
  for (const [name, sql] of Object.entries(SQL)) out[name] = db.prepare(sql);
  return out as unknown as Statements;
}
