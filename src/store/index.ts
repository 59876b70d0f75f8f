/**
 * The embedded store: SQLite behind the `Store` interface of src/core/store.ts.
 * The conformance suite every store must pass lives in `./store.case.ts` (test-only; excluded
 * from the build, so import it from there, not from here).
 */
export type { AuditHead } from './audit-chain.js';
export { GENESIS_HASH } from './audit-chain.js';
export { canonicalJson } from './canonical-json.js';
export { canWriteOrCreate, defaultStoreDir, SYSTEM_STORE_DIR } from './default-dir.js';
export { LIVE_DECISION_STATUSES } from './queries.js';
export { FOREVER_MS } from './rows.js';
export { DB_FILE_NAME, type SqliteLocation, type SqliteStoreOptions } from './sqlite-open.js';
export { createEphemeralStore } from './ephemeral-store.js';
export { openSqliteStore, type SqliteStore } from './sqlite-store.js';
