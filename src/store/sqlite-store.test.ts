import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store.js';
import { createApiRepos } from './api-repos.js';
import { openSqliteStore, type SqliteStore } from './index.js';
import { sqliteRunner } from './sql-runner.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
import { type AuditTamper, describeStoreConformance } from './store.case.js';
import { auditInput } from './store-fixtures.case.js';

const root = mkdtempSync(join(tmpdir(), 'leuko-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const tempDir = () => join(root, `s${++n}`);

/** Edits the database file behind the store's back, as an attacker with file access would. */
function sqliteTamper(path: string): AuditTamper {
  const db = new Database(path);
  return {
    update: async (seq, patch) => {
      const cols = Object.keys(patch);
      db.prepare(`UPDATE audit SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE seq = ?`).run(
        ...cols.map((c) => patch[c]),
        seq,
      );
    },
    delete: async (seq) => {
      db.prepare('DELETE FROM audit WHERE seq = ?').run(seq);
    },
    swapSeq: async (a, b) => {
      db.transaction(() => {
        db.prepare('UPDATE audit SET seq = -1 WHERE seq = ?').run(a);
        db.prepare('UPDATE audit SET seq = ? WHERE seq = ?').run(a, b);
        db.prepare('UPDATE audit SET seq = ? WHERE seq = -1').run(b);
      })();
    },
    setHead: async (seq, hash) => {
      db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(seq, hash);
    },
    deleteHead: async () => {
      db.prepare('DELETE FROM audit_head').run();
    },
    close: async () => {
      db.close();
    },
  };
}

const pathOf = (store: Store) => (store as SqliteStore).path;

describeStoreConformance('sqlite file', async () => openSqliteStore({ dir: tempDir() }), {
  tamper: async (store) => sqliteTamper(pathOf(store)),
  openAnother: async (store) => openSqliteStore({ file: pathOf(store) }),
  // The API's own connection beside the store's, as the daemon runs it.
  api: async (store) => {
    const db = new Database(pathOf(store));
    const sql = sqliteRunner(db);
    return {
      repos: createApiRepos(sql),
      sql,
      close: () => {
        db.close();
      },
    };
  },
});

describeStoreConformance('sqlite :memory:', async () => openSqliteStore({ file: ':memory:' }));

describe('openSqliteStore', () => {
  it('creates the directory and leuko.db in WAL mode', async () => {
    const dir = join(tempDir(), 'nested', 'state');
    const store = openSqliteStore({ dir });
    await store.migrate();
    expect(store.path).toBe(join(dir, 'leuko.db'));
    await store.commit({ checkpoints: [{ sourceId: 's', state: '1' }] });
    const db = new Database(store.path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );
    db.close();
    await store.close();
  });

  it('keeps data across close and reopen', async () => {
    const dir = tempDir();
    const a = openSqliteStore({ dir });
    await a.migrate();
    await a.commit({ checkpoints: [{ sourceId: 's', state: '42' }], audit: [auditInput(1), auditInput(2)] });
    const head = await a.auditHead();
    await a.close();
    const b = openSqliteStore({ dir });
    await b.migrate();
    expect(await b.loadCheckpoint('s')).toBe('42');
    expect(await b.auditHead()).toEqual(head);
    expect(await b.verifyAudit()).toEqual({ ok: true, records: 2, head: head.hash });
    expect(head.seq).toBe(2);
    await b.close();
  });

  it('says to migrate when used before migrate()', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await expect(store.loadCheckpoint('s')).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringMatching(
        new RegExp(`schema version 0, this Leuko needs ${LATEST_SCHEMA_VERSION}: call migrate\\(\\) first`),
      ),
    });
    await store.close();
  });

  it('refuses a database written by a newer Leuko', async () => {
    const dir = tempDir();
    const store = openSqliteStore({ dir });
    await store.migrate();
    await store.close();
    const db = new Database(join(dir, 'leuko.db'));
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)").run();
    db.close();
    let error: unknown;
    try {
      openSqliteStore({ dir });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect((error as Error).message).toMatch(
      new RegExp(`schema version 99 but this Leuko only knows up to version ${LATEST_SCHEMA_VERSION}: upgrade`),
    );
  });

  it('explains why a store cannot be opened', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(join(root, 'not-a-dir'), 'x');
    expect(() => openSqliteStore({ dir: join(root, 'not-a-dir', 'store') })).toThrow(
      /cannot create the store directory .*not-a-dir\/store.*ENOTDIR.*hint: a parent of the path is a file/,
    );
    writeFileSync(join(root, 'garbage.db'), 'this is not a database, just some text long enough'.repeat(100));
    expect(() => openSqliteStore({ file: join(root, 'garbage.db') })).toThrow(
      /garbage\.db.*hint: the file is not a SQLite/,
    );
    expect(file).toContain(root);
  });

  it('exposes the audit head for anchoring', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    expect(await store.auditHead()).toEqual({ seq: 0, hash: '0'.repeat(64) });
    await store.commit({ audit: [auditInput(1)] });
    const [record] = await store.listAudit();
    expect(await store.auditHead()).toEqual({ seq: 1, hash: record?.hash });
    await store.close();
  });
});
