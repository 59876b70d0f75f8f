import type Database from 'better-sqlite3';
import type { AuditRecord, AuditVerifyResult } from '../core/audit.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import type { EntityType } from '../core/entity.js';
import { LeukoError } from '../core/errors.js';
import type { Incident } from '../core/incident.js';
import type { CommitBatch, Store } from '../core/store.js';
import { type AuditHead, chainAudit } from './audit-chain.js';
import { verifyChain } from './audit-verify.js';
import { LATEST_SCHEMA_VERSION } from './migrations/index.js';
import { auditQuery, type BuiltQuery, decisionsQuery, incidentsQuery } from './queries.js';
import { type AuditDbRow, decisionParams, detectionParams, incidentParams, parseJson, toAuditRecord } from './rows.js';
import { migrateSqlite, readSchemaVersion } from './sqlite-migrate.js';
import { openSqliteDatabase, type SqliteStoreOptions } from './sqlite-open.js';
import { prepareStatements, type Statements } from './statements.js';
import { storeFailed } from './store-error.js';

/** The SQLite store: a `Store` plus what only an embedded store can answer. */
export interface SqliteStore extends Store {
  /** The database file (or `:memory:`). */
  readonly path: string;
  /**
   * Where the audit chain ends. Export or anchor it elsewhere (the fleet, a log shipper, a
   * printout): a later `verifyAudit()` plus a comparison with the anchored head catches even a
   * consistent rewrite of the whole log by someone with write access to the file.
   */
  auditHead(): Promise<AuditHead>;
}

const MAX_DYNAMIC_STATEMENTS = 256;

/**
 * Open the embedded store. Call `migrate()` once before use (the daemon does at start-up);
 * reading or writing an unmigrated database fails with a message saying so.
 *
 * @example
 * const store = openSqliteStore({ dir: defaultStoreDir() });
 * await store.migrate();
 * await store.commit({ checkpoints: [{ sourceId: 'file:0', state: '{"offset":42}' }], decisions: [d] });
 * @throws LeukoError('STORE_FAILED') naming the path, the cause and a fix.
 */
export function openSqliteStore(opts: SqliteStoreOptions, deps: { clock?: Clock } = {}): SqliteStore {
  const clock = deps.clock ?? systemClock;
  const { db, path } = openSqliteDatabase(opts);
  let prepared: Statements | undefined;
  let commitTx: ((batch: CommitBatch) => void) | undefined;
  const dynamic = new Map<string, Database.Statement>();

  function statements(): Statements {
    if (prepared) return prepared;
    const version = readSchemaVersion(db);
    if (version < LATEST_SCHEMA_VERSION) {
      throw new LeukoError(
        'STORE_FAILED',
        `store ${path} is at schema version ${version}, this Leuko needs ${LATEST_SCHEMA_VERSION}: call migrate() first`,
        { details: { path, version } },
      );
    }
    prepared = prepareStatements(db);
    return prepared;
  }

  function query(q: BuiltQuery): Database.Statement {
    let stmt = dynamic.get(q.sql);
    if (!stmt) {
      if (dynamic.size >= MAX_DYNAMIC_STATEMENTS) dynamic.clear();
      stmt = db.prepare(q.sql);
      dynamic.set(q.sql, stmt);
    }
    return stmt;
  }

  /** Run `fn`, turning any failure into STORE_FAILED with the operation and path. */
  async function guard<T>(what: string, fn: () => T): Promise<T> {
    try {
      return fn();
    } catch (cause) {
      throw storeFailed(what, path, cause);
    }
  }

  function writeBatch(s: Statements, batch: CommitBatch): void {
    const now = clock.now();
    for (const c of batch.checkpoints ?? []) s.upsertCheckpoint.run(c.sourceId, c.state, now);
    for (const e of batch.state ?? []) s.upsertState.run(e.key, e.value, now);
    for (const d of batch.detections ?? []) s.upsertDetection.run(detectionParams(d));
    // Incidents before decisions: a decision may point at an incident of the same batch.
    for (const i of batch.incidents ?? []) s.upsertIncident.run(incidentParams(i));
    for (const d of batch.decisions ?? []) s.upsertDecision.run(decisionParams(d));
    const audit = batch.audit ?? [];
    if (audit.length === 0) return;
    // The head is read inside this write transaction (never cached in memory): another process
    // (the CLI approving a decision) may have appended since, and the chain must not fork.
    const head = s.selectHead.get() as AuditHead | undefined;
    if (!head) {
      throw new LeukoError('STORE_FAILED', `the audit head of ${path} is missing: run \`leuko audit verify\``);
    }
    const insert = s.insertAudit;
    const next = chainAudit(head, audit, (r) =>
      insert.run(r.seq, r.at, r.kind, r.action, r.subject, r.actor, r.data, r.prevHash, r.hash),
    );
    s.updateHead.run(next.seq, next.hash);
  }

  return {
    path,

    migrate: () =>
      guard('cannot migrate the store', () => {
        migrateSqlite(db, path, clock);
      }),

    close: () =>
      guard('cannot close the store', () => {
        if (db.open) db.close();
      }),

    commit: (batch) =>
      guard('cannot commit to the store; nothing of the batch was written', () => {
        const s = statements();
        // IMMEDIATE: take the write lock before reading the audit head, so a concurrent writer
        // waits (busy_timeout) instead of failing later on a stale read snapshot.
        commitTx ??= db.transaction((b: CommitBatch) => writeBatch(s, b)).immediate;
        commitTx(batch);
      }),

    loadCheckpoint: (sourceId) =>
      guard('cannot read a checkpoint', () => {
        const row = statements().selectCheckpoint.get(sourceId) as { state: string } | undefined;
        return row?.state;
      }),

    loadState: (key) =>
      guard('cannot read engine state', () => {
        const row = statements().selectState.get(key) as { value: string } | undefined;
        return row?.value;
      }),

    listDecisions: (q) =>
      guard('cannot list decisions', () => {
        statements();
        const built = decisionsQuery(q);
        if (!built) return [];
        const rows = query(built).raw(true).all(built.params) as [string, string][];
        return rows.map(([id, json]) => parseJson<Decision>('decisions', id, json));
      }),

    getDecision: (id) =>
      guard('cannot read a decision', () => {
        const json = statements().selectDecision.pluck().get(id);
        return json === undefined ? undefined : parseJson<Decision>('decisions', id, json);
      }),

    countOffences: (scope: EntityType, value: string) =>
      guard('cannot count offences', () => Number(statements().countOffences.pluck().get(scope, value))),

    listIncidents: (q) =>
      guard('cannot list incidents', () => {
        statements();
        const built = incidentsQuery(q);
        if (!built) return [];
        const rows = query(built).raw(true).all(built.params) as [string, string][];
        return rows.map(([id, json]) => parseJson<Incident>('incidents', id, json));
      }),

    getIncident: (id) =>
      guard('cannot read an incident', () => {
        const json = statements().selectIncident.pluck().get(id);
        return json === undefined ? undefined : parseJson<Incident>('incidents', id, json);
      }),

    getDetections: (ids) =>
      guard('cannot read detections', () => {
        // One primary-key lookup per id (microseconds each) instead of an IN list, which would
        // hit the bound-parameter limit for long lists and is not portable as one statement.
        const stmt = statements().selectDetection.pluck();
        const out: Detection[] = [];
        for (const id of ids) {
          const json = stmt.get(id);
          if (json !== undefined) out.push(parseJson<Detection>('detections', id, json));
        }
        return out;
      }),

    listAudit: (q) =>
      guard('cannot list the audit log', (): AuditRecord[] => {
        statements();
        const built = auditQuery(q);
        return (query(built).all(built.params) as AuditDbRow[]).map(toAuditRecord);
      }),

    // Synchronous underneath (about 3 s per million records on one core): the CLI should verify
    // through its own handle rather than ask the daemon's.
    verifyAudit: () =>
      guard('cannot verify the audit log', (): AuditVerifyResult => {
        const s = statements();
        // One read transaction: the head and the records come from the same snapshot even while
        // the daemon keeps appending. Streaming keeps memory flat for any log length.
        return db
          .transaction(() => {
            const head = s.selectHead.get() as AuditHead | undefined;
            return verifyChain(s.selectAuditChain.raw(true).iterate() as Iterable<unknown[]>, head);
          })
          .deferred();
      }),

    auditHead: () =>
      guard('cannot read the audit head', () => {
        const head = statements().selectHead.get() as AuditHead | undefined;
        if (!head) throw new LeukoError('STORE_FAILED', `the audit head of ${path} is missing`);
        return { seq: head.seq, hash: head.hash };
      }),
  };
}
