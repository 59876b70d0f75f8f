import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { migrateSqlite } from '../store/sqlite-migrate.js';
import { openSqliteDatabase } from '../store/sqlite-open.js';

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
