import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LeukoError } from '../core/errors.js';

/** The lock file beside `leuko.db` in a store directory. */
export const LOCK_FILE_NAME = 'daemon.lock';

export interface InstanceLock {
  readonly path: string;
  release(): void;
}

/**
 * Make this process the one daemon of a store directory. Two `leuko run` on one store would
 * tail the same logs and count every line twice: twice the detections, decisions made twice,
 * checkpoints overwriting each other. The lock is SQLite's exclusive lock on a small database
 * of its own, held for the life of the connection (`locking_mode = EXCLUSIVE`): a POSIX lock,
 * so the kernel drops it when the process ends, kill -9 included, and no stale pid file can
 * block a restart. Reading commands (`leuko decisions`, the API's reads) do not take it.
 *
 * @throws LeukoError('STORE_FAILED') naming the daemon that holds it, when another one does.
 */
export function acquireInstanceLock(dir: string): InstanceLock {
  const path = join(dir, LOCK_FILE_NAME);
  let db: Database.Database;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    db = new Database(path, { timeout: 0 });
  } catch (cause) {
    throw new LeukoError('STORE_FAILED', `cannot open the daemon lock ${path}: ${(cause as Error).message}`, {
      cause,
      details: { path },
    });
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
    // The transaction ends; in exclusive locking mode the lock stays until the connection closes.
    db.exec('COMMIT');
  } catch (cause) {
    db.close();
    const busy = (cause as { code?: string }).code?.startsWith('SQLITE_BUSY') === true;
    throw new LeukoError(
      'STORE_FAILED',
      busy
        ? `another leuko daemon is running on the store ${dir} (it holds ${path}); stop it first, or give this one its own store (--store DIR or store.path in the config)`
        : `cannot take the daemon lock ${path}: ${(cause as Error).message}`,
      { cause, details: { path, busy } },
    );
  }
  return {
    path,
    release() {
      if (db.open) db.close();
    },
  };
}
