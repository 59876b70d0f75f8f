import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import type { ApiRepos } from '../core/store.js';
import { createApiRepos } from '../store/api-repos.js';
import { sqliteRunner } from '../store/sql-runner.js';
import { migrateSqlite } from '../store/sqlite-migrate.js';
import { openSqliteDatabase } from '../store/sqlite-open.js';

/** The API's repositories and how to let go of what backs them. */
export interface ApiBacking {
  readonly repos: ApiRepos;
  close(): void | Promise<void>;
}

/**
 * A connection of its own to the store's database, migrated, for the API's tables and
 * grouped counts. Beside the daemon's connection (WAL lets readers and one writer share it).
 */
export function openApiDatabase(storeDir: string, clock: Clock): Database.Database {
  const { db, path } = openSqliteDatabase({ dir: storeDir });
  try {
    migrateSqlite(db, path, clock);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** The API's repositories on the daemon's SQLite store, over a connection of their own. */
export function openSqliteApiBacking(storeDir: string, clock: Clock): ApiBacking {
  const db = openApiDatabase(storeDir, clock);
  return {
    repos: createApiRepos(sqliteRunner(db)),
    close() {
      if (db.open) db.close();
    },
  };
}
