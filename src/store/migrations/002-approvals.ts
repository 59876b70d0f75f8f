import type { SqlDialect } from '../dialect.js';
import type { Migration } from './migration.js';

/**
 * The approval queue (src/policy/approvals.ts). One approval per decision (UNIQUE), so a batch
 * replayed after a crash cannot queue the same decision twice. `json` holds the decision as it
 * was queued; the other columns are the approval's own state, changed only by conditional
 * UPDATEs (pending -> approved/rejected/expired) shared by the daemon and the CLI.
 */
export const approvals: Migration = {
  version: 2,
  name: 'approvals',
  up: (d: SqlDialect) => [
    `CREATE TABLE approvals (
      id ${d.text} PRIMARY KEY,
      decision_id ${d.text} NOT NULL UNIQUE,
      status ${d.text} NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
      reason ${d.text} NOT NULL,
      created_at ${d.int64} NOT NULL,
      expires_at ${d.int64} NOT NULL,
      decided_by ${d.text},
      decided_at ${d.int64},
      note ${d.text},
      json ${d.text} NOT NULL
    )`,
    // "What is pending" and the expiry sweep.
    'CREATE INDEX approvals_status ON approvals (status, expires_at)',
    'CREATE INDEX approvals_created ON approvals (created_at)',
  ],
};
