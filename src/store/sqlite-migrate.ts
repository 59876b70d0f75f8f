import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { LeukoError } from '../core/errors.js';
import { sqliteDialect } from './dialect.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version ${sqliteDialect.int64} PRIMARY KEY,
  name ${sqliteDialect.text} NOT NULL,
  applied_at ${sqliteDialect.int64} NOT NULL
)`;

/** Highest applied schema version; 0 for a new, empty database. */
export function readSchemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Refuse a database written by a newer Leuko: its schema may mean things this code gets wrong. */
export function assertKnownVersion(version: number, path: string, known: number = LATEST_SCHEMA_VERSION): void {
  if (version > known) {
    throw new LeukoError(
      'STORE_FAILED',
      `store ${path} has schema version ${version} but this Leuko only knows up to version ${known}: ` +
        'upgrade Leuko, or set store.path to another database (downgrading a store is not supported)',
      { details: { path, version, known } },
    );
  }
}

/**
 * Apply pending migrations in ONE immediate transaction (all or none), recording each in
 * schema_migrations. Idempotent, and safe when two processes start at once: the write lock is
 * taken before the version is read, so the second one finds nothing left to do.
 * Returns the versions applied.
 */
export function migrateSqlite(
  db: Database.Database,
  path: string,
  clock: Clock,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  const known = migrations.at(-1)?.version ?? 0;
  const run = db.transaction(() => {
    db.exec(CREATE_MIGRATIONS_TABLE);
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]).map(Number),
    );
    assertKnownVersion(Math.max(0, ...applied), path, known);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      for (const sql of m.up(sqliteDialect)) db.exec(sql);
      record.run(m.version, m.name, clock.now());
      done.push(m.version);
    }
    return done;
  });
  return run.immediate();
}
