import type { SqlDialect } from '../dialect.js';
import { GENESIS_HASH } from '../audit-chain.js';
import type { Migration } from './migration.js';

/**
 * The first schema. Entity/decision objects are stored whole as JSON text in `json`; the other
 * columns are copies kept only so queries can filter and index them.
 *
 * No foreign keys on purpose: a decision may come from the CLI or the fleet with no incident,
 * and incidents may be pruned while their decisions stay on record. A foreign key failure
 * would reject the whole batch, checkpoint included, and stall the pipeline on that batch
 * forever. The CHECK constraints only restate the closed unions of src/core.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: (d: SqlDialect) => [
    `CREATE TABLE checkpoints (
      source_id ${d.text} PRIMARY KEY,
      state ${d.text} NOT NULL,
      updated_at ${d.int64} NOT NULL
    )`,
    `CREATE TABLE engine_state (
      key ${d.text} PRIMARY KEY,
      value ${d.text} NOT NULL,
      updated_at ${d.int64} NOT NULL
    )`,
    `CREATE TABLE detections (
      id ${d.text} PRIMARY KEY,
      scenario ${d.text} NOT NULL,
      time ${d.int64} NOT NULL,
      entity_type ${d.text} NOT NULL,
      entity_value ${d.text} NOT NULL,
      json ${d.text} NOT NULL
    )`,
    // Detections are reached by id (from incidents) and pruned by age. No entity index: it would
    // cost a fifth of the insert time in a burst, and "what about this address" goes via incidents.
    'CREATE INDEX detections_time ON detections (time)',
    `CREATE TABLE incidents (
      id ${d.text} PRIMARY KEY,
      entity_type ${d.text} NOT NULL,
      entity_value ${d.text} NOT NULL,
      status ${d.text} NOT NULL CHECK (status IN ('open', 'contained', 'healed', 'closed', 'dismissed')),
      first_seen ${d.int64} NOT NULL,
      last_seen ${d.int64} NOT NULL,
      json ${d.text} NOT NULL
    )`,
    'CREATE INDEX incidents_entity ON incidents (entity_value, last_seen)',
    'CREATE INDEX incidents_status ON incidents (status, last_seen)',
    `CREATE TABLE decisions (
      id ${d.text} PRIMARY KEY,
      scope ${d.text} NOT NULL CHECK (scope IN ('ip', 'range', 'user', 'file', 'process', 'service', 'host')),
      value ${d.text} NOT NULL,
      action ${d.text} NOT NULL,
      status ${d.text} NOT NULL CHECK (status IN ('proposed', 'approved', 'applied', 'verified', 'rejected', 'rolled_back', 'expired')),
      created_at ${d.int64} NOT NULL,
      expires_at ${d.int64} NOT NULL,
      origin ${d.text} NOT NULL CHECK (origin IN ('scenario', 'cli', 'api', 'fleet', 'intel', 'healing')),
      scenario ${d.text},
      incident_id ${d.text},
      offence ${d.int64} NOT NULL,
      json ${d.text} NOT NULL
    )`,
    // "Is this address banned now?" and offence counting: equality on (scope, value), range on expires_at.
    'CREATE INDEX decisions_active ON decisions (scope, value, expires_at)',
    // Expiry sweeps and "everything live at t" (reconcile after restart).
    'CREATE INDEX decisions_expires ON decisions (expires_at)',
    'CREATE INDEX decisions_created ON decisions (created_at)',
    `CREATE TABLE audit (
      seq ${d.seqPrimaryKey},
      at ${d.int64} NOT NULL,
      kind ${d.text} NOT NULL,
      action ${d.text} NOT NULL,
      subject ${d.text} NOT NULL,
      actor ${d.text} NOT NULL,
      data ${d.text} NOT NULL,
      prev_hash ${d.text} NOT NULL,
      hash ${d.text} NOT NULL
    )`,
    // "What happened to this decision/incident". No index on kind: it has a handful of values,
    // and every index costs appends (the log takes 100k records per second in a burst).
    'CREATE INDEX audit_subject ON audit (subject, seq)',
    // One row: where the chain ends. Updated in the same transaction as every append, so that
    // deleting the newest records (which leaves a valid shorter chain) is still detected.
    `CREATE TABLE audit_head (
      id ${d.int64} PRIMARY KEY CHECK (id = 1),
      seq ${d.int64} NOT NULL,
      hash ${d.text} NOT NULL
    )`,
    `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}')`,
  ],
};
