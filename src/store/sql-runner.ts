import type Database from 'better-sqlite3';
import type pg from 'pg';

/**
 * The smallest async SQL surface both databases give: statements in the common subset with `?`
 * placeholders (see dialect.ts), rows as plain objects. Repositories written against it (the
 * API's, src/store/api-repos.ts) run unchanged on SQLite and PostgreSQL.
 */
export interface SqlRunner {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** `fn` in one transaction that serializes with other writers (SQLite IMMEDIATE, PG row locks). */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/**
 * better-sqlite3 is synchronous, so an async transaction could interleave with another caller's
 * statements on the same connection: transactions are queued one after another, and statements
 * outside a transaction wait for the open one.
 */
export function sqliteRunner(db: Database.Database): SqlRunner {
  let tail: Promise<unknown> = Promise.resolve();
  const direct: SqlRunner = {
    all: async <T>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as T[],
    run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
    transaction: (fn) => fn(direct),
  };
  const queued = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    all: (sql, params) => queued(() => direct.all(sql, params)),
    run: (sql, params) => queued(() => direct.run(sql, params)),
    transaction: (fn) =>
      queued(async () => {
        db.prepare('BEGIN IMMEDIATE').run();
        try {
          const out = await fn(direct);
          db.prepare('COMMIT').run();
          return out;
        } catch (err) {
          if (db.inTransaction) db.prepare('ROLLBACK').run();
          throw err;
        }
      }),
  };
}

/** `?` placeholders to `$1..$n`; the shared statements never hold `?` inside a literal. */
export function toDollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A pg pool (search_path set to the store's schema) as a runner; a transaction holds one client. */
export function postgresRunner(pool: pg.Pool): SqlRunner {
  const on = (c: pg.Pool | pg.PoolClient): SqlRunner => ({
    all: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await c.query(toDollarParams(sql), [...params])).rows as T[],
    run: async (sql, params = []) => (await c.query(toDollarParams(sql), [...params])).rowCount ?? 0,
    transaction: (fn) => withPgTransaction(pool, (client) => fn(on(client))),
  });
  return on(pool);
}

/** Run `fn` on one pool client inside BEGIN/COMMIT, rolled back when it throws. */
export async function withPgTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
