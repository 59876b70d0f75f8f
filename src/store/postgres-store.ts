import pg from 'pg';
import type { AuditRecord, AuditVerifyResult } from '../core/audit.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import type { EntityType } from '../core/entity.js';
import { LeukoError } from '../core/errors.js';
import type { Incident } from '../core/incident.js';
import type { CommitBatch, Store } from '../core/store.js';
import { type AuditHead, type AuditRow, chainAudit } from './audit-chain.js';
import { type RawAuditRow, verifyChainAsync } from './audit-verify.js';
import { postgresDialect } from './dialect.js';
import { MIGRATIONS } from './migrations/index.js';
import { auditQuery, type BuiltQuery, decisionsQuery, incidentsQuery } from './queries.js';
import { type AuditDbRow, decisionParams, detectionParams, incidentParams, parseJson, toAuditRecord } from './rows.js';
import { SQL } from './statements.js';
import { postgresRunner, type SqlRunner, toDollarParams, withPgTransaction } from './sql-runner.js';
import { storeFailed } from './store-error.js';

export interface PostgresStoreOptions {
  /** A libpq connection string, e.g. `postgres://leuko@127.0.0.1:5432/leuko`. */
  readonly url: string;
  /**
   * Schema holding Leuko's tables (created when missing). One database can hold several
   * stores side by side: the hive's, a test's.
   */
  readonly schema?: string;
  /** Pool size; the hive writes from one pipeline and reads from the API. */
  readonly maxConnections?: number;
}

/** The PostgreSQL store: the same `Store` as SQLite, for the hive. */
export interface PostgresStore extends Store {
  readonly schema: string;
  /** Where the audit chain ends (see SqliteStore.auditHead). */
  auditHead(): Promise<AuditHead>;
  /** Run raw SQL in the store's schema: tests that tamper, operators' tooling. */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** The same pool as a `SqlRunner`, for the API's repositories (src/store/api-repos.ts). */
  readonly sql: SqlRunner;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const VERIFY_PAGE = 5000;
/** Any constant: all Leuko stores serialize their migrations on it (per database). */
const MIGRATION_LOCK = 0x4c45554b;

export { toDollarParams };

/** BIGINT columns as JS numbers (epoch ms and seq fit in 2^53); pg returns them as strings. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * Open a PostgreSQL store. Like SQLite: call `migrate()` once (idempotent; concurrent callers
 * wait on an advisory lock), then commit batches, each in ONE transaction.
 *
 * The audit chain must not fork when several writers append (the hive's pipeline, an operator's
 * API call): every commit locks the `audit_head` row (`FOR UPDATE`) before reading it, so
 * appends serialize exactly like SQLite's immediate transactions.
 *
 * @example
 * const store = openPostgresStore({ url: 'postgres://postgres@127.0.0.1/leuko', schema: 'hive' });
 * await store.migrate();
 */
export function openPostgresStore(opts: PostgresStoreOptions, deps: { clock?: Clock } = {}): PostgresStore {
  const clock = deps.clock ?? systemClock;
  const schema = opts.schema ?? 'leuko';
  if (!SCHEMA_NAME.test(schema)) {
    throw new LeukoError('CONFIG_INVALID', `store schema "${schema}" must match ${SCHEMA_NAME.source}`);
  }
  const where = `${redact(opts.url)} (schema ${schema})`;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.maxConnections ?? 4,
    options: `-c search_path=${schema}`,
    types,
  });
  // An idle client's error (server restart) must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  const sql = Object.fromEntries(Object.entries(SQL).map(([k, v]) => [k, toDollarParams(v)])) as {
    [K in keyof typeof SQL]: string;
  };

  let closed = false;
  async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      if (closed && what !== 'cannot close the store') throw new Error('the store is closed');
      return await fn();
    } catch (cause) {
      if (cause instanceof LeukoError) throw cause;
      throw storeFailed(what, where, cause);
    }
  }

  const inTransaction = <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => withPgTransaction(pool, fn);

  async function writeBatch(c: pg.PoolClient, batch: CommitBatch): Promise<void> {
    const now = clock.now();
    const run = (text: string, params: unknown[]) => c.query(text, params.map(storable));
    for (const cp of batch.checkpoints ?? []) await run(sql.upsertCheckpoint, [cp.sourceId, cp.state, now]);
    for (const e of batch.state ?? []) await run(sql.upsertState, [e.key, e.value, now]);
    for (const d of batch.detections ?? []) await run(sql.upsertDetection, detectionParams(d));
    for (const i of batch.incidents ?? []) await run(sql.upsertIncident, incidentParams(i));
    for (const d of batch.decisions ?? []) await run(sql.upsertDecision, decisionParams(d));
    const audit = batch.audit ?? [];
    if (audit.length === 0) return;
    const head = (await c.query<AuditHead>(`${SQL.selectHead} FOR UPDATE`)).rows[0];
    if (!head)
      throw new LeukoError('STORE_FAILED', `the audit head of ${where} is missing: run \`leuko audit verify\``);
    const rows: AuditRow[] = [];
    const next = chainAudit(head, audit, (r) => rows.push(r));
    // One multi-row INSERT per batch: a burst's audit records cost one round trip, not hundreds.
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const params: unknown[] = [];
      const values = chunk.map((r, j) => {
        params.push(r.seq, r.at, r.kind, r.action, r.subject, r.actor, r.data, r.prevHash, r.hash);
        const b = j * 9;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
      });
      await c.query(
        `INSERT INTO audit (seq, at, kind, action, subject, actor, data, prev_hash, hash) VALUES ${values.join(', ')}`,
        params,
      );
    }
    await c.query(sql.updateHead, [next.seq, next.hash]);
  }

  async function select(q: BuiltQuery): Promise<pg.QueryResult> {
    return pool.query(toDollarParams(q.sql), q.params);
  }

  return {
    schema,

    migrate: () =>
      guard('cannot migrate the store', async () => {
        await inTransaction(async (c) => {
          await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
          await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
          await c.query(`SET LOCAL search_path = ${schema}`);
          await c.query(
            `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
          );
          const applied = new Set(
            (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
          );
          const known = MIGRATIONS.at(-1)?.version ?? 0;
          const newest = Math.max(0, ...applied);
          if (newest > known) {
            throw new LeukoError(
              'STORE_FAILED',
              `store ${where} has schema version ${newest} but this Leuko only knows up to version ${known}: upgrade Leuko`,
            );
          }
          for (const m of MIGRATIONS) {
            if (applied.has(m.version)) continue;
            for (const stmt of m.up(postgresDialect)) await c.query(stmt);
            await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
              m.version,
              m.name,
              clock.now(),
            ]);
          }
        });
      }),

    close: () =>
      guard('cannot close the store', async () => {
        if (!closed) {
          closed = true;
          await pool.end();
        }
      }),

    commit: (batch) =>
      guard('cannot commit to the store; nothing of the batch was written', () =>
        inTransaction((c) => writeBatch(c, batch)),
      ),

    loadCheckpoint: (sourceId) =>
      guard('cannot read a checkpoint', async () => {
        const r = await pool.query<{ state: string }>(sql.selectCheckpoint, [sourceId]);
        return r.rows[0]?.state;
      }),

    loadState: (key) =>
      guard('cannot read engine state', async () => {
        const r = await pool.query<{ value: string }>(sql.selectState, [key]);
        return r.rows[0]?.value;
      }),

    listDecisions: (q) =>
      guard('cannot list decisions', async () => {
        const built = decisionsQuery(q);
        if (!built) return [];
        const r = await select(built);
        return r.rows.map((row: { id: string; json: string }) => parseJson<Decision>('decisions', row.id, row.json));
      }),

    getDecision: (id) =>
      guard('cannot read a decision', async () => {
        const r = await pool.query<{ json: string }>(sql.selectDecision, [id]);
        const json = r.rows[0]?.json;
        return json === undefined ? undefined : parseJson<Decision>('decisions', id, json);
      }),

    countOffences: (scope: EntityType, value: string) =>
      guard('cannot count offences', async () => {
        const r = await pool.query<{ count: number }>(sql.countOffences, [scope, value]);
        return Number(r.rows[0]?.count ?? 0);
      }),

    listIncidents: (q) =>
      guard('cannot list incidents', async () => {
        const built = incidentsQuery(q);
        if (!built) return [];
        const r = await select(built);
        return r.rows.map((row: { id: string; json: string }) => parseJson<Incident>('incidents', row.id, row.json));
      }),

    getIncident: (id) =>
      guard('cannot read an incident', async () => {
        const r = await pool.query<{ json: string }>(sql.selectIncident, [id]);
        const json = r.rows[0]?.json;
        return json === undefined ? undefined : parseJson<Incident>('incidents', id, json);
      }),

    getDetections: (ids) =>
      guard('cannot read detections', async () => {
        if (ids.length === 0) return [];
        // One round trip with an array parameter; order follows `ids`, like SQLite's per-id reads.
        const r = await pool.query<{ id: string; json: string }>('SELECT id, json FROM detections WHERE id = ANY($1)', [
          [...ids],
        ]);
        const byId = new Map(r.rows.map((row) => [row.id, row.json]));
        const out: Detection[] = [];
        for (const id of ids) {
          const json = byId.get(id);
          if (json !== undefined) out.push(parseJson<Detection>('detections', id, json));
        }
        return out;
      }),

    listAudit: (q) =>
      guard('cannot list the audit log', async (): Promise<AuditRecord[]> => {
        const r = await select(auditQuery(q));
        return (r.rows as AuditDbRow[]).map(toAuditRecord);
      }),

    verifyAudit: () =>
      guard('cannot verify the audit log', async (): Promise<AuditVerifyResult> => {
        // One REPEATABLE READ snapshot: the head and every page come from the same moment while
        // writers keep appending; pages keep memory flat for any log length.
        const client = await pool.connect();
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          const head = (await client.query<AuditHead>(SQL.selectHead)).rows[0];
          const pages = async function* (): AsyncGenerator<RawAuditRow> {
            let after = Number.NEGATIVE_INFINITY;
            for (;;) {
              const r = await client.query({
                text: 'SELECT seq, at, kind, action, subject, actor, data, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2',
                values: [after === Number.NEGATIVE_INFINITY ? -1 : after, VERIFY_PAGE],
                rowMode: 'array',
              });
              for (const row of r.rows as unknown[][]) yield row;
              if (r.rows.length < VERIFY_PAGE) return;
              after = Number((r.rows.at(-1) as unknown[])[0]);
            }
          };
          const result = await verifyChainAsync(pages(), head);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      }),

    auditHead: () =>
      guard('cannot read the audit head', async () => {
        const head = (await pool.query<AuditHead>(SQL.selectHead)).rows[0];
        if (!head) throw new LeukoError('STORE_FAILED', `the audit head of ${where} is missing`);
        return { seq: head.seq, hash: head.hash };
      }),

    query: (text, params) => pool.query(text, params),
    sql: postgresRunner(pool),
  };
}

/**
 * PostgreSQL text cannot hold NUL, and would reject the whole batch (stalling the pipeline on
 * it). Only index copies of log-derived values can carry one (the json columns escape it), so
 * replacing it there changes no stored object.
 */
function storable(v: unknown): unknown {
  return typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v;
}

/** Never print a password from a connection string. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
