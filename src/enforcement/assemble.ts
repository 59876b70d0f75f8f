import type Database from 'better-sqlite3';
import type { LeukoConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import { mutableCopy } from '../core/mutable.js';
import type { Store } from '../core/store.js';
import { createAdminSessionsProvider } from '../policy/admin-sessions.js';
import { createAllowlist } from '../policy/allowlist.js';
import { type ApprovalQueue, createApprovalQueue } from '../policy/approvals.js';
import type { createPolicyEngine, PolicyState } from '../policy/engine.js';
import { createSwappablePolicyEngine, type SwappablePolicyEngine } from '../policy/swappable.js';
import { createHostAddresses } from '../policy/host-addresses.js';
import { healResponders } from '../healing/responders.js';
import { policySettings } from '../policy/settings.js';
import { buildResponders } from '../responders/build.js';
import { createApprovalsRepo } from '../store/approvals-repo.js';
import { openSqliteDatabase } from '../store/sqlite-open.js';
import { createSqliteApprovalFeed } from './approval-feed.js';
import { createEnforcer, type Enforcer, POLICY_STATE_KEY } from './enforcer.js';

/** The approval queue of a store directory (its own connection: the CLI uses it beside the daemon). */
export function openApprovals(
  storeDir: string,
  clock: Clock,
  ids: IdGenerator,
  expireAfterMs?: number,
): {
  queue: ApprovalQueue;
  db: Database.Database;
} {
  const { db, path } = openSqliteDatabase({ dir: storeDir });
  const queue = createApprovalQueue({
    repo: createApprovalsRepo(db, path),
    clock,
    ids,
    ...(expireAfterMs === undefined ? {} : { expireAfterMs }),
  });
  return { queue, db };
}

/**
 * Policy engine, approval queue, responders and the enforcer for `leuko run`, from the config.
 * The breaker's learned rate is restored from the store so a restart cannot reset it.
 */
export async function assembleEnforcement(deps: {
  config: LeukoConfig;
  store: Store;
  storeDir: string;
  clock: Clock;
  ids: IdGenerator;
  hostName: string;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}): Promise<{ enforcer: Enforcer; policy: SwappablePolicyEngine; close(): void }> {
  const settings = policySettings(mutableCopy(deps.config.policy));
  const saved = await deps.store.loadState(POLICY_STATE_KEY);
  let initialState: PolicyState | undefined;
  try {
    initialState = saved === undefined ? undefined : (JSON.parse(saved) as PolicyState);
  } catch {
    initialState = undefined;
  }
  const admins = createAdminSessionsProvider(settings.adminUsers ? { adminUsers: settings.adminUsers } : {});
  // /proc is read on demand; utmp (`who --ips`) is the second source, for sessions /proc
  // cannot attribute. Refreshed in the background: it spawns a process, never on the hot path.
  void admins.refreshWho();
  const whoTimer = setInterval(() => void admins.refreshWho(), settings.adminRefreshMs);
  whoTimer.unref();
  let forward:
    | ((e: Parameters<NonNullable<Parameters<typeof createPolicyEngine>[1]['onEvent']>>[0]) => void)
    | undefined;
  // Swappable: a fleet agent applies the policy its hive pushes without a restart.
  const policy = createSwappablePolicyEngine(settings, {
    clock: deps.clock,
    hostAddresses: createHostAddresses(),
    adminSessions: () => admins.current(),
    onEvent: (e) => forward?.(e),
    ...(initialState ? { initialState } : {}),
  });
  const { queue, db } = openApprovals(deps.storeDir, deps.clock, deps.ids, settings.approvalExpiryMs);
  const allowlist = createAllowlist(settings.allowlist);
  const responders = buildResponders(deps.config.responders, {
    protect: (addr) => allowlist.match(addr) !== undefined,
    hostName: deps.hostName,
    selfPid: process.pid,
  });
  responders.push(...healResponders(deps.config, deps.storeDir, process.pid));
  const enforcer = createEnforcer({
    store: deps.store,
    policy,
    approvals: queue,
    // The approvals and the decisions share this file: cheap counts and one join per pass.
    feed: createSqliteApprovalFeed(db),
    responders,
    clock: deps.clock,
    ids: deps.ids,
    hostName: deps.hostName,
    healthChecks: settings.healthChecks,
    log: deps.log,
  });
  forward = (e) => enforcer.onPolicyEvent(e);
  return {
    enforcer,
    policy,
    close: () => {
      clearInterval(whoTimer);
      if (db.open) db.close();
    },
  };
}
