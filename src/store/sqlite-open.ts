import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { LeukoError } from '../core/errors.js';
import { type SqlitePragmaOptions, sqlitePragmas } from './dialect.js';
import { assertKnownVersion, readSchemaVersion } from './sqlite-migrate.js';
import { storeFailed } from './store-error.js';

/** Where the store lives: a directory (holding `leuko.db`) or an explicit file (`:memory:` ok). */
export type SqliteLocation = { readonly dir: string } | { readonly file: string };

export type SqliteStoreOptions = SqliteLocation & SqlitePragmaOptions;

export const DB_FILE_NAME = 'leuko.db';

/**
 * Open (creating if needed) the database file with our pragmas, and refuse one written by a
 * newer Leuko. Every failure is a `LeukoError('STORE_FAILED')` naming the path and a fix.
 */
export function openSqliteDatabase(opts: SqliteStoreOptions): { db: Database.Database; path: string } {
  const path = 'dir' in opts ? join(opts.dir, DB_FILE_NAME) : opts.file;
  const memory = path === ':memory:' || path === '';
  if (!memory) {
    const dir = 'dir' in opts ? opts.dir : dirname(path);
    try {
      // 0750: the store holds addresses, user names and the audit trail; not for every local user.
      mkdirSync(dir, { recursive: true, mode: 0o750 });
    } catch (cause) {
      throw storeFailed(`cannot create the store directory ${dir}`, path, cause);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (cause) {
    throw storeFailed('cannot open the store', path, cause);
  }
  try {
    for (const pragma of sqlitePragmas(opts)) db.pragma(pragma);
    const mode = db.pragma('journal_mode', { simple: true });
    if (!memory && mode !== 'wal') {
      // Without WAL the CLI reading would block the daemon writing (and vice versa).
      throw new LeukoError(
        'STORE_FAILED',
        `store ${path} cannot use WAL mode (journal_mode is ${String(mode)}): ` +
          'put the store on a local file system (not NFS/SMB), or set store.path',
        { details: { path } },
      );
    }
    assertKnownVersion(readSchemaVersion(db), path);
  } catch (cause) {
    db.close();
    throw storeFailed('cannot open the store', path, cause);
  }
  return { db, path };
}
