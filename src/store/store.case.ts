import { afterEach, describe } from 'vitest';
import type { Store } from '../core/store.js';
import { storeApiCases } from './store-api.case.js';
import { storeAuditCases } from './store-audit.case.js';
import { storeDataCases } from './store-data.case.js';
import type { StoreConformanceOptions } from './store-fixtures.case.js';

export type { AuditTamper, StoreConformanceOptions } from './store-fixtures.case.js';

/**
 * The behaviour every `Store` implementation must have (SQLite now, PostgreSQL later):
 * migrations, atomic commits, upserts, queries, the audit chain, and, when `options.tamper` can
 * reach behind the store, detection of every kind of audit tampering at the right record.
 *
 * `open` must return a new, empty store each call; the suite migrates and closes it.
 *
 * @example
 * describeStoreConformance('sqlite (file)', async () => openSqliteStore({ dir: await tempDir() }), {
 *   tamper: async (store) => sqliteTamper((store as SqliteStore).path),
 * });
 */
export function describeStoreConformance(
  name: string,
  open: () => Promise<Store>,
  options: StoreConformanceOptions = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    const fresh = async (): Promise<Store> => {
      const store = await open();
      opened.push(store);
      await store.migrate();
      return store;
    };
    describe('data', () => storeDataCases(fresh));
    describe('audit', () => storeAuditCases(fresh, options));
    describe('api repositories', () => storeApiCases(fresh, options));
  });
}
