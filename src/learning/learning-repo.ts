import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../store/sqlite-open.js';
import { parseJson } from '../store/rows.js';
import { storeFailed } from '../store/store-error.js';
import type { Memory, RecentLine, Suppression } from './types.js';

/**
 * The learning tables (migration 020) on their own better-sqlite3 handle, opened by the CLI and
 * by the pipeline's learning extension beside the main store (WAL: readers never block the
 * daemon). The schema must be migrated first (the store's `migrate()` does it).
 */
export interface LearningRepo {
  readonly path: string;
  /** Revision of suppressions, memories and resets: changes whenever one of them does. */
  rev(): number;
  saveSuppression(s: Suppression): void;
  getSuppression(id: string): Suppression | undefined;
  listSuppressions(status?: Suppression['status']): Suppression[];
  /** Insert or refresh (same kind and value: the later expiry wins). */
  remember(m: Memory): Memory;
  listMemories(activeAt: number): Memory[];
  requestReset(entity: string, at: number): void;
  /** Reset requests after `afterId`, oldest first. */
  resets(afterId: number): { id: number; entity: string }[];
  appendRecent(lines: readonly RecentLine[], keep: { max: number; minTime: number }): void;
  /** The newest `limit` lines at or after `since` (event time), oldest first. */
  recent(opts: { since?: number; limit: number }): RecentLine[];
  close(): void;
}

export function openLearningRepo(dir: string): LearningRepo {
  const { db, path } = openSqliteDatabase({ dir });
  return createLearningRepo(db, path);
}

export function createLearningRepo(db: Database.Database, path = db.name): LearningRepo {
  const guard = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (cause) {
      throw storeFailed(what, path, cause);
    }
  };
  let st: ReturnType<typeof prepare> | undefined;
  function prepare() {
    return {
      rev: db.prepare("SELECT value FROM learning_meta WHERE key = 'rev'").pluck(),
      bump: db.prepare("UPDATE learning_meta SET value = value + 1 WHERE key = 'rev'"),
      upsertSup: db.prepare(
        'INSERT INTO suppressions (id, status, scenario, created_at, json) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET status = excluded.status, json = excluded.json',
      ),
      getSup: db.prepare('SELECT json FROM suppressions WHERE id = ?').pluck(),
      upsertMem: db.prepare(
        'INSERT INTO immune_memory (id, kind, value, created_at, expires_at, json) VALUES (?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (kind, value) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at), json = excluded.json',
      ),
      memByIndicator: db.prepare('SELECT json, expires_at FROM immune_memory WHERE kind = ? AND value = ?'),
      liveMem: db.prepare('SELECT json, expires_at FROM immune_memory WHERE expires_at > ? ORDER BY created_at'),
      reset: db.prepare('INSERT INTO baseline_resets (entity, requested_at) VALUES (?, ?)'),
      resets: db.prepare('SELECT id, entity FROM baseline_resets WHERE id > ? ORDER BY id'),
      insertRecent: db.prepare('INSERT INTO recent_events (time, source_id, line) VALUES (?, ?, ?)'),
      maxSeq: db.prepare('SELECT MAX(seq) FROM recent_events').pluck(),
      trimCount: db.prepare('DELETE FROM recent_events WHERE seq <= ?'),
      trimAge: db.prepare('DELETE FROM recent_events WHERE time < ?'),
    };
  }
  const s = () => (st ??= prepare());
  const withExpiry = (json: string, expires: number): Memory => ({
    ...parseJson<Memory>('immune_memory', 'row', json),
    expiresAt: Number(expires),
  });
  let appends = 0;

  return {
    path,
    rev: () => guard('cannot read the learning revision', () => Number(s().rev.get() ?? 0)),
    saveSuppression: (sup) =>
      guard('cannot save a suppression', () =>
        db.transaction(() => {
          s().upsertSup.run(sup.id, sup.status, sup.scenario, sup.createdAt, JSON.stringify(sup));
          s().bump.run();
        })(),
      ),
    getSuppression: (id) =>
      guard('cannot read a suppression', () => {
        const json = s().getSup.get(id) as string | undefined;
        return json === undefined ? undefined : parseJson<Suppression>('suppressions', id, json);
      }),
    listSuppressions: (status) =>
      guard('cannot list suppressions', () => {
        const rows = (
          status === undefined
            ? db.prepare('SELECT id, json FROM suppressions ORDER BY created_at').all()
            : db.prepare('SELECT id, json FROM suppressions WHERE status = ? ORDER BY created_at').all(status)
        ) as { id: string; json: string }[];
        return rows.map((r) => parseJson<Suppression>('suppressions', r.id, r.json));
      }),
    remember: (m) =>
      guard('cannot save an immune memory', () =>
        db.transaction(() => {
          s().upsertMem.run(m.id, m.kind, m.value, m.createdAt, m.expiresAt, JSON.stringify(m));
          s().bump.run();
          const row = s().memByIndicator.get(m.kind, m.value) as { json: string; expires_at: number };
          return withExpiry(row.json, row.expires_at);
        })(),
      ),
    listMemories: (at) =>
      guard('cannot list immune memory', () =>
        (s().liveMem.all(at) as { json: string; expires_at: number }[]).map((r) => withExpiry(r.json, r.expires_at)),
      ),
    requestReset: (entity, at) =>
      guard('cannot request a baseline reset', () =>
        db.transaction(() => {
          s().reset.run(entity, at);
          s().bump.run();
        })(),
      ),
    resets: (afterId) =>
      guard('cannot read baseline resets', () => s().resets.all(afterId) as { id: number; entity: string }[]),
    appendRecent: (lines, keep) =>
      guard('cannot keep recent events', () =>
        db.transaction(() => {
          const q = s();
          for (const l of lines) q.insertRecent.run(l.time, l.sourceId, l.line);
          // Trim now and then (each trim is an index range delete), not on every append.
          if (++appends % 16 === 1) {
            const max = Number(q.maxSeq.get() ?? 0);
            if (max > keep.max) q.trimCount.run(max - keep.max);
            q.trimAge.run(keep.minTime);
          }
        })(),
      ),
    recent: ({ since, limit }) =>
      guard('cannot read recent events', () => {
        const rows = db
          .prepare(
            'SELECT time, source_id AS sourceId, line FROM recent_events WHERE time >= ? ORDER BY seq DESC LIMIT ?',
          )
          .all(since ?? 0, Math.max(1, Math.floor(limit))) as RecentLine[];
        return rows.reverse();
      }),
    close: () => {
      if (db.open) db.close();
    },
  };
}
