import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store.js';
import { createApiRepos } from './api-repos.js';
import { openPostgresStore, type PostgresStore, toDollarParams } from './postgres-store.js';
import { type AuditTamper, describeStoreConformance } from './store.case.js';
import { auditInput } from './store-fixtures.case.js';

/**
 * The store conformance suite against the PostgreSQL server of this machine (the hive's store).
 * LEUKO_TEST_PG_URL overrides the server; each store gets its own schema, dropped afterwards.
 */
const URL = process.env.LEUKO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

function freshSchema(): string {
  const s = `leuko_t_${randomBytes(6).toString('hex')}`;
  schemas.push(s);
  return s;
}

afterAll(async () => {
  const c = new pg.Client({ connectionString: URL });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await c.end();
});

/** Edits the tables behind the store's back, as an attacker with database access would. */
function pgTamper(store: PostgresStore): AuditTamper {
  const q = (sql: string, params: unknown[] = []) => store.query(sql, params).then(() => undefined);
  return {
    update: (seq, patch) => {
      const cols = Object.keys(patch);
      return q(
        `UPDATE audit SET ${cols.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE seq = $${cols.length + 1}`,
        [...cols.map((c) => patch[c]), seq],
      );
    },
    delete: (seq) => q('DELETE FROM audit WHERE seq = $1', [seq]),
    swapSeq: async (a, b) => {
      await q('UPDATE audit SET seq = -1 WHERE seq = $1', [a]);
      await q('UPDATE audit SET seq = $1 WHERE seq = $2', [a, b]);
      await q('UPDATE audit SET seq = $1 WHERE seq = -1', [b]);
    },
    setHead: (seq, hash) => q('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, hash]),
    deleteHead: () => q('DELETE FROM audit_head'),
    close: async () => undefined,
  };
}

describeStoreConformance('postgres', async () => openPostgresStore({ url: URL, schema: freshSchema() }), {
  tamper: async (store) => pgTamper(store as PostgresStore),
  openAnother: async (store) => openPostgresStore({ url: URL, schema: (store as PostgresStore).schema }),
  api: async (store) => {
    const { sql } = store as PostgresStore;
    return { repos: createApiRepos(sql), sql, close: () => undefined };
  },
});

describe('openPostgresStore', () => {
  it('rewrites ? placeholders to $n', () => {
    expect(toDollarParams('SELECT a FROM t WHERE x = ? AND y IN (?, ?)')).toBe(
      'SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)',
    );
  });

  it('rejects a schema name that is not a plain identifier', () => {
    expect(() => openPostgresStore({ url: URL, schema: 'x; DROP TABLE y' })).toThrow(/must match/);
  });

  it('keeps one unforked chain when two handles append concurrently', async () => {
    const schema = freshSchema();
    const a = openPostgresStore({ url: URL, schema });
    await a.migrate();
    const b = openPostgresStore({ url: URL, schema });
    await b.migrate();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const s: Store = i % 2 === 0 ? a : b;
      writes.push(s.commit({ audit: [auditInput(i), auditInput(i + 100)] }));
    }
    await Promise.all(writes);
    const result = await a.verifyAudit();
    expect(result).toMatchObject({ ok: true, records: 40 });
    await a.close();
    await b.close();
  });
});
