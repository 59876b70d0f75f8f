/**
 * The SQL that differs between SQLite and PostgreSQL, in one place. Migrations and statements
 * are otherwise written in the common subset (TEXT, `?` placeholders, `INSERT ... ON CONFLICT
 * (...) DO UPDATE SET x = excluded.x`, CHECK constraints), so a PostgreSQL store reuses them by
 * passing its own dialect and rewriting `?` to `$n`.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Audit sequence key: SQLite's rowid alias (fast, ordered); `BIGINT PRIMARY KEY` on PostgreSQL. */
  readonly seqPrimaryKey: string;
  /** Integer wide enough for epoch milliseconds. */
  readonly int64: string;
  /**
   * Text column. Audit `data` MUST stay plain text on every dialect (never PostgreSQL `jsonb`,
   * which reorders keys and drops duplicates): the hash is computed over the exact stored bytes.
   */
  readonly text: string;
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  // Exactly `INTEGER PRIMARY KEY` (not BIGINT): only that spelling aliases the rowid.
  seqPrimaryKey: 'INTEGER PRIMARY KEY',
  // BIGINT has INTEGER affinity in SQLite and is 64-bit in PostgreSQL.
  int64: 'BIGINT',
  text: 'TEXT',
};

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  seqPrimaryKey: 'BIGINT PRIMARY KEY',
  int64: 'BIGINT',
  text: 'TEXT',
};

export interface SqlitePragmaOptions {
  /** `FULL` also survives power loss for the last commit; see `sqlitePragmas`. */
  readonly fullSync?: boolean;
  readonly busyTimeoutMs?: number;
}

/**
 * Connection settings for SQLite (PostgreSQL has no equivalent to run).
 *
 * Durability choice: WAL with `synchronous=NORMAL`. A commit appends the transaction to the WAL
 * file with write(2) before returning; the OS keeps those pages even if the process is killed
 * (kill -9, OOM killer, crash), so a killed daemon never loses a committed batch and never sees
 * half of one. What NORMAL gives up is fsync at every commit: on power loss or a kernel panic
 * the LAST few transactions may roll back, but WAL still keeps each one all-or-nothing, so the
 * checkpoint and the decisions it produced roll back together and the lines are read again,
 * giving the same decisions (no loss, no doubles). `fullSync` (synchronous=FULL) fsyncs every
 * commit for operators who want the last batch to survive power loss too, at a large cost in
 * commits per second.
 *
 * busy_timeout lets the CLI and the daemon share the file: a writer waits for the other's
 * write lock instead of failing at once. foreign_keys is on so that any future foreign key is
 * enforced (SQLite leaves it off by default, per connection).
 */
export function sqlitePragmas(opts: SqlitePragmaOptions = {}): string[] {
  return [
    'journal_mode = WAL',
    `synchronous = ${opts.fullSync ? 'FULL' : 'NORMAL'}`,
    `busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`,
    'foreign_keys = ON',
  ];
}
