import { type ApiBacking, openSqliteApiBacking } from '../api/open-db.js';
import { systemClock } from '../core/clock.js';
import type { Store } from '../core/store.js';
import { createApiRepos } from '../store/api-repos.js';
import { openSqliteStore } from '../store/index.js';
import { openPostgresStore } from '../store/postgres-store.js';
import { loadRuntime, type Runtime, type RuntimeOptions } from './context.js';
import { fail } from './output.js';

/*
 * Opening a runtime's store, apart from context.ts: every command loads the config, but only
 * the store commands need the PostgreSQL client and the API's repositories (a replay would
 * otherwise load and compile them on each start).
 */

/** Open (and migrate) the store a config names; used by the daemon. */
export async function openStoreAt(dir: string): Promise<Store> {
  const store = openSqliteStore({ dir });
  await store.migrate();
  return store;
}

/** The store of the runtime config, for read commands; prints the problem and returns undefined on failure. */
export async function openRuntimeStore(opts: RuntimeOptions): Promise<Store | undefined> {
  const runtime = loadRuntime(opts);
  if (!runtime) return undefined;
  try {
    return await openRuntimeStoreOf(runtime);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), 2);
    return undefined;
  }
}

/** The runtime's store: the PostgreSQL one it names (a hive's), else SQLite in its directory. */
export async function openRuntimeStoreOf(runtime: Pick<Runtime, 'storeDir' | 'storeUrl'>): Promise<Store> {
  if (!runtime.storeUrl) return openStoreAt(runtime.storeDir);
  const store = openPostgresStore(runtime.storeUrl);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** The API's tables (tokens, bouncer keys) of the runtime's store, on SQLite or PostgreSQL. */
export function openRuntimeApiBacking(runtime: Pick<Runtime, 'storeDir' | 'storeUrl'>): ApiBacking & {
  ready(): Promise<void>;
} {
  if (!runtime.storeUrl) {
    const backing = openSqliteApiBacking(runtime.storeDir, systemClock);
    return { ...backing, ready: async () => undefined };
  }
  const store = openPostgresStore(runtime.storeUrl);
  return { repos: createApiRepos(store.sql), ready: () => store.migrate(), close: () => store.close() };
}
