import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseApiListen } from '../config/api.js';
import type { AddonContext, RunningAddon } from '../daemon/addons.js';
import { openApprovals } from '../enforcement/assemble.js';
import { createAllowlist } from '../policy/allowlist.js';
import { policySettings } from '../policy/settings.js';
import { mutableCopy } from '../core/mutable.js';
import { auditHeadSeq, createAuditTail } from './audit-tail.js';
import { createCredentialsRepo } from './credentials.js';
import type { ApiDeps } from './deps.js';
import { createMetrics } from './metrics.js';
import { openApiDatabase } from './open-db.js';
import { createHealthMonitor } from './health-monitor.js';
import { createFailureLimiter } from './rate-limit.js';
import { createStoreCounts, type RuntimeView } from './runtime-view.js';
import { createSeries } from './series.js';
import { buildApiServer } from './server.js';

/** The built dashboard: dist/web beside dist/ (from src/ or dist/, whichever runs). */
export function defaultWebDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [resolve(here, '../../dist/web'), resolve(here, '../web')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Everything the server needs from a running daemon (or a test's store). */
export function createApiDeps(
  ctx: Pick<AddonContext, 'config' | 'store' | 'storeDir' | 'clock' | 'ids' | 'hostName' | 'log'>,
  runtime: RuntimeView,
  /** The built dashboard to serve; false: none. */
  web: string | false | undefined = ctx.config.api.dashboard ? defaultWebDir() : false,
): ApiDeps & { close(): void } {
  const webDir = web || undefined;
  const db = openApiDatabase(ctx.storeDir, ctx.clock);
  const { queue, db: approvalsDb } = openApprovals(ctx.storeDir, ctx.clock, ctx.ids);
  const counts = createStoreCounts(db);
  const policy = policySettings(mutableCopy(ctx.config.policy));
  const tail = createAuditTail({
    store: ctx.store,
    startAfter: auditHeadSeq(db),
    onError: (err) => ctx.log('warn', 'api: audit tail failed', { error: String(err) }),
  });
  const metrics = createMetrics({ runtime, counts, clock: ctx.clock });
  tail.subscribe((records) => metrics.onAudit(records));
  return {
    config: ctx.config,
    store: ctx.store,
    db,
    clock: ctx.clock,
    ids: ctx.ids,
    hostName: ctx.hostName,
    credentials: createCredentialsRepo(db, ctx.clock, ctx.ids),
    limiter: createFailureLimiter({ clock: ctx.clock }),
    approvals: queue,
    allowlist: createAllowlist(policy.allowlist),
    health: createHealthMonitor({ checks: policy.healthChecks, clock: ctx.clock }),
    runtime,
    counts,
    tail,
    metrics,
    series: createSeries({ runtime, clock: ctx.clock }),
    publicMetrics: ctx.config.api.metrics_public,
    storeDir: ctx.storeDir,
    ...(webDir ? { webDir } : {}),
    log: ctx.log,
    close() {
      if (approvalsDb.open) approvalsDb.close();
      if (db.open) db.close();
    },
  };
}

/** Start the API for `leuko run` (see src/api/addon.ts). */
export async function startApi(ctx: AddonContext): Promise<RunningAddon> {
  const listen = parseApiListen(ctx.config.api.listen) ?? { host: '127.0.0.1', port: 8470 };
  const startedAt = ctx.clock.now();
  const runtime: RuntimeView = {
    startedAt,
    stats: () => ctx.daemon.stats,
    sourceStats: () => ctx.daemon.sourceStats(),
    enforcer: () => ctx.enforcer?.status(),
  };
  const deps = createApiDeps(ctx, runtime);
  const base = ctx.configFile ? dirname(resolve(ctx.configFile)) : process.cwd();
  const tls = ctx.config.api.tls;
  const loopback = listen.host === '127.0.0.1' || listen.host === '::1' || listen.host.startsWith('127.');
  const app = await buildApiServer(deps, {
    ...(tls
      ? { https: { cert: readFileSync(resolve(base, tls.cert)), key: readFileSync(resolve(base, tls.key)) } }
      : {}),
    ...(loopback ? { allowedHosts: ['127.0.0.1', 'localhost', '::1', listen.host] } : {}),
  });
  deps.tail.start();
  deps.series.start();
  deps.health.start();
  try {
    await app.listen({ host: listen.host, port: listen.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : listen.port;
    const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
    ctx.log('info', `api listening on ${tls ? 'https' : 'http'}://${host}:${port}/`, {
      dashboard: deps.webDir !== undefined,
    });
  } catch (err) {
    ctx.log('warn', `api: cannot listen on ${ctx.config.api.listen}; the daemon runs on without the API`, {
      error: String(err),
    });
  }
  return {
    async stop() {
      deps.series.stop();
      deps.health.stop();
      await deps.tail.stop();
      await app.close();
      deps.close();
    },
  };
}
