import type { SqlDialect } from '../dialect.js';
import type { Migration } from './migration.js';

/**
 * The HTTP API's own tables (src/store/api-repos.ts, on SQLite and PostgreSQL).
 * - `api_credentials`: API tokens (role viewer/operator/admin) and CrowdSec bouncer keys
 *   (role `bouncer`). Only the sha256 of a secret is kept: secrets are 256 random bits, so a
 *   fast hash is enough and a stolen database reveals no usable credential.
 * - `bouncer_delivered`: per bouncer, the decisions it was last told are in force; the next
 *   `/v1/decisions/stream` pull sends the difference (new and deleted), even across restarts.
 * - `incident_feedback`: operators' verdicts on incidents (the learning loop reads them).
 */
export const api: Migration = {
  version: 30,
  name: 'api',
  up: (d: SqlDialect) => [
    `CREATE TABLE api_credentials (
      id ${d.text} PRIMARY KEY,
      name ${d.text} NOT NULL,
      role ${d.text} NOT NULL CHECK (role IN ('viewer', 'operator', 'admin', 'bouncer')),
      hash ${d.text} NOT NULL UNIQUE,
      created_at ${d.int64} NOT NULL,
      last_used_at ${d.int64},
      revoked_at ${d.int64}
    )`,
    `CREATE TABLE bouncer_delivered (
      bouncer_id ${d.text} NOT NULL,
      decision_id ${d.text} NOT NULL,
      json ${d.text} NOT NULL,
      PRIMARY KEY (bouncer_id, decision_id)
    )`,
    `CREATE TABLE incident_feedback (
      id ${d.text} PRIMARY KEY,
      incident_id ${d.text} NOT NULL,
      verdict ${d.text} NOT NULL CHECK (verdict IN ('false_positive', 'true_positive')),
      actor ${d.text} NOT NULL,
      note ${d.text},
      at ${d.int64} NOT NULL
    )`,
    'CREATE INDEX incident_feedback_incident ON incident_feedback (incident_id, at)',
  ],
};
