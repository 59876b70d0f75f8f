import { LeukoError } from '../core/errors.js';

/** Hints for the SQLite result codes an operator can do something about. */
const HINTS: readonly (readonly [prefix: string, hint: string])[] = [
  ['SQLITE_BUSY', 'another process held the write lock longer than busy_timeout; is a second daemon running?'],
  ['SQLITE_LOCKED', 'the database is locked by another statement in this process'],
  ['SQLITE_READONLY', 'the database file or its directory is read-only: run as root or set store.path'],
  ['SQLITE_CANTOPEN', 'cannot open the file: check the directory exists and is writable, or set store.path'],
  ['SQLITE_PERM', 'permission denied: run as root or set store.path'],
  ['SQLITE_FULL', 'the disk is full'],
  ['SQLITE_IOERR', 'an I/O error occurred: check the disk and the file system'],
  ['SQLITE_NOTADB', 'the file is not a SQLite database: set store.path to a Leuko store'],
  ['SQLITE_CORRUPT', 'the database file is corrupt: restore it from a backup'],
  ['SQLITE_CONSTRAINT', 'a value broke a schema constraint (a bug in the caller): nothing of this batch was written'],
];

const ERRNO_HINTS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied: run as root or set store.path to a writable directory',
  EPERM: 'operation not permitted: run as root or set store.path to a writable directory',
  EROFS: 'read-only file system: set store.path to a writable directory',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a parent of the path is a file, not a directory: set store.path',
};

/** The code of a SqliteError (`SQLITE_BUSY`...) or Node errno (`EACCES`...), if any. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function hintFor(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (code in ERRNO_HINTS) return ERRNO_HINTS[code];
  return HINTS.find(([prefix]) => code.startsWith(prefix))?.[1];
}

/**
 * Wrap a failure as `LeukoError('STORE_FAILED')` whose message says what failed, where, why
 * and what to do: `cannot open store /var/lib/leuko/leuko.db: EACCES: permission denied ...
 * (hint: run as root or set store.path)`.
 */
export function storeFailed(what: string, path: string, cause?: unknown): LeukoError {
  if (cause instanceof LeukoError) return cause;
  const code = errorCode(cause);
  const reason = cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);
  const hint = hintFor(code);
  const message = `${what} (${path})${reason ? `: ${reason}` : ''}${hint ? ` (hint: ${hint})` : ''}`;
  const details: Record<string, unknown> = { path };
  if (code) details['causeCode'] = code;
  return new LeukoError('STORE_FAILED', message, { cause, details });
}
