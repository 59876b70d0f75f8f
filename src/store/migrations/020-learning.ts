import type { SqlDialect } from '../dialect.js';
import type { Migration } from './migration.js';

/**
 * What Leuko learns from people and keeps for them (src/learning):
 * - `suppressions`: proposed by a false-positive verdict, active once accepted, revocable;
 * - `immune_memory`: indicators of true positives (address, user agent, payload fragment, file
 *   hash), matched on new events until they expire;
 * - `baseline_resets`: per-entity reset requests the running anomaly model picks up;
 * - `recent_events`: a bounded ring of raw lines (by count and event-time age), so a proposed
 *   suppression can be replayed against what actually happened before it becomes active;
 * - `learning_meta`: one revision counter, bumped by every change above except recent events,
 *   so the daemon re-reads the small tables only when something changed.
 */
export const learning: Migration = {
  version: 20,
  name: 'learning',
  up: (d: SqlDialect) => [
    `CREATE TABLE suppressions (
      id ${d.text} PRIMARY KEY,
      status ${d.text} NOT NULL CHECK (status IN ('proposed', 'active', 'revoked')),
      scenario ${d.text} NOT NULL,
      created_at ${d.int64} NOT NULL,
      json ${d.text} NOT NULL
    )`,
    'CREATE INDEX suppressions_status ON suppressions (status)',
    `CREATE TABLE immune_memory (
      id ${d.text} PRIMARY KEY,
      kind ${d.text} NOT NULL CHECK (kind IN ('ip', 'user_agent', 'payload', 'file_hash')),
      value ${d.text} NOT NULL,
      created_at ${d.int64} NOT NULL,
      expires_at ${d.int64} NOT NULL,
      json ${d.text} NOT NULL
    )`,
    'CREATE UNIQUE INDEX immune_memory_indicator ON immune_memory (kind, value)',
    'CREATE INDEX immune_memory_expires ON immune_memory (expires_at)',
    `CREATE TABLE baseline_resets (
      id ${d.seqPrimaryKey},
      entity ${d.text} NOT NULL,
      requested_at ${d.int64} NOT NULL
    )`,
    `CREATE TABLE recent_events (
      seq ${d.seqPrimaryKey},
      time ${d.int64} NOT NULL,
      source_id ${d.text} NOT NULL,
      line ${d.text} NOT NULL
    )`,
    'CREATE INDEX recent_events_time ON recent_events (time)',
    `CREATE TABLE learning_meta (
      key ${d.text} PRIMARY KEY,
      value ${d.int64} NOT NULL
    )`,
    "INSERT INTO learning_meta (key, value) VALUES ('rev', 0)",
  ],
};
