import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseApiListen } from '../config/api.js';
import type { AddonContext, RunningAddon } from '../daemon/addons.js';
import { createAllowlist } from '../policy/allowlist.js';
import { policySettings } from '../policy/settings.js';
import { mutableCopy } from '../core/mutable.js';
import { createAuditTail } from './audit-tail.js';
import { createCredentialsRepo } from './credentials.js';
import type { ApiDeps } from './deps.js';
import { createMetrics } from './metrics.js';
import { type ApiBacking, openSqliteApiBacking } from './open-db.js';
import type { FleetView } from './fleet-view.js';
import { createHealthMonitor } from './health-monitor.js';
import { createFailureLimiter } from './rate-limit.js';
import type { RuntimeView } from './runtime-view.js';
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

/** Everything the server needs from a running daemon, the hive, or a test's store. */
export async function createApiDeps(
  ctx: Pick<AddonContext, 'config' | 'store' | 'clock' | 'ids' | 'hostName' | 'log'> & { readonly storeDir?: string },
  runtime: RuntimeView,
  /** The built dashboard to serve; false: none. */
  web: string | false | undefined = ctx.config.api.dashboard ? defaultWebDir() : false,
  opts: {
    /** Where the API's tables live; default: the daemon's SQLite store in `storeDir`. */
    readonly backing?: ApiBacking;
    readonly fleet?: FleetView;
  } = {},
): Promise<ApiDeps & { close(): Promise<void> }> {
  const webDir = web || undefined;
  const backing = opts.backing ?? openSqliteApiBacking(requireDir(ctx.storeDir), ctx.clock);
  const { repos } = backing;
  const policy = policySettings(mutableCopy(ctx.config.policy));
  const tail = createAuditTail({
    store: ctx.store,
    startAfter: await repos.auditHeadSeq(),
    onError: (err) => ctx.log('warn', 'api: audit tail failed', { error: String(err) }),
  });
  const metrics = createMetrics({ runtime, counts: repos.counts, clock: ctx.clock });
  tail.subscribe((records) => metrics.onAudit(records));
  return {
    config: ctx.config,
    store: ctx.store,
    repos,
    clock: ctx.clock,
    ids: ctx.ids,
    hostName: ctx.hostName,
    credentials: createCredentialsRepo(repos.credentials, ctx.clock, ctx.ids),
    limiter: createFailureLimiter({ clock: ctx.clock }),
    allowlist: createAllowlist(policy.allowlist),
    health: createHealthMonitor({ checks: policy.healthChecks, clock: ctx.clock }),
    runtime,
    tail,
    metrics,
    series: createSeries({ runtime, clock: ctx.clock }),
    publicMetrics: ctx.config.api.metrics_public,
    ...(ctx.storeDir === undefined ? {} : { storeDir: ctx.storeDir }),
    ...(webDir ? { webDir } : {}),
    ...(opts.fleet ? { fleet: opts.fleet } : {}),
    log: ctx.log,
    async close() {
      await backing.close();
    },
  };
}

function requireDir(dir: string | undefined): string {
  if (dir === undefined) throw new Error('the API on SQLite needs the store directory');
  return dir;
}

/** Start the API for `leuko run` (see src/api/addon.ts). */
export async function startApi(ctx: AddonContext): Promise<RunningAddon> {
  const runtime: RuntimeView = {
    startedAt: ctx.clock.now(),
    stats: () => ctx.daemon.stats,
    sourceStats: () => ctx.daemon.sourceStats(),
    enforcer: () => ctx.enforcer?.status(),
  };
  return serveApi(await createApiDeps(ctx, runtime), ctx, 'the daemon');
}

/**
 * Listen with the `api:` settings (address, TLS, loopback host check) and keep serving until
 * stopped. A port in use is reported and the caller (`leuko run`, `leuko hive`) runs on
 * without its API: the API is for people, the defence must not depend on it.
 */
export async function serveApi(
  deps: ApiDeps & { close(): Promise<void> },
  ctx: Pick<AddonContext, 'config' | 'configFile' | 'log'>,
  who: string,
): Promise<RunningAddon & { readonly port: number | undefined }> {
  const listen = parseApiListen(ctx.config.api.listen) ?? { host: '127.0.0.1', port: 8470 };
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
  let port: number | undefined;
  try {
    await app.listen({ host: listen.host, port: listen.port });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : listen.port;
    const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
    ctx.log('info', `api listening on ${tls ? 'https' : 'http'}://${host}:${port}/`, {
      dashboard: deps.webDir !== undefined,
    });
  } catch (err) {
    ctx.log('warn', `api: cannot listen on ${ctx.config.api.listen}; ${who} runs on without the API`, {
      error: String(err),
    });
  }
  return {
    port,
    async stop() {
      deps.series.stop();
      deps.health.stop();
      await deps.tail.stop();
      await app.close();
      await deps.close();
    },
  };
}
