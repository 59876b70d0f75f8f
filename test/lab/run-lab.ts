import { appendFileSync } from 'node:fs';
import { ATTACK_ORDER, ATTACKS } from './attacks.js';
import { type BanMonitor, startBanMonitor } from './ban-monitor.js';
import type { Enforcer } from './enforcer.js';
import { type ClientSummary, startLegitClient } from './legit-client.js';
import { createLogWatch } from './log-watch.js';
import { type AttackMeasurement, type MeasureOptions, measureAttack } from './measure.js';
import { listNamespaces } from './netns.js';
import { BASE_TOOLS, requireTools } from './preflight.js';
import { labNow, sleep } from './proc.js';
import { type LabServices, startServices } from './services.js';
import type { SshdLogMode } from './services/sshd.js';
import { cleanupStaleLabs, createLab, type Lab } from './topology.js';

export interface RunLabOptions {
  readonly enforcer: Enforcer;
  /** Attack names from ATTACKS, run in this order; default all. */
  readonly attacks?: readonly string[];
  readonly sshdLogMode?: SshdLogMode;
  readonly measure?: MeasureOptions;
  readonly keepDir?: boolean;
  /** Progress messages. */
  readonly log?: (message: string) => void;
  /**
   * Runs after the last attack, while the legitimate client is still running (its record
   * covers this too), before teardown: e.g. wait for ban TTLs to end and probe again.
   */
  readonly afterAttacks?: (ctx: AfterAttacksContext) => Promise<void>;
  /**
   * Background load before the attacks: one failed ssh login and one failing HTTP request
   * from each of this many distinct addresses (10.77.m.x outside the lab's /24; log lines
   * only, no traffic), appended to the logs as rsyslog and nginx would write them. Nothing
   * fires for them, but every scenario holds a bucket per address, as on a busy host.
   */
  readonly noise?: number;
}

export interface AfterAttacksContext {
  readonly lab: Lab;
  readonly services: LabServices;
  readonly enforcer: Enforcer;
  readonly attacks: readonly AttackMeasurement[];
  readonly monitor: BanMonitor;
  readonly log: (message: string) => void;
}

export interface LabReport {
  readonly enforcer: string;
  readonly labId: string;
  /** The lab's temp dir (gone after the run unless `keepDir`). */
  readonly labDir: string;
  /** The throwaway account the client logged in as (deleted after the run). */
  readonly testUser: string | null;
  readonly subnet: string;
  readonly victim: string;
  readonly client: string;
  readonly attacks: readonly AttackMeasurement[];
  /** The legitimate client over the whole run. */
  readonly clientOverall: ClientSummary;
  /** Whether any nft set in the victim held the client's address at the end. */
  readonly clientEverBanned: boolean;
  readonly medianTtcMs: number | null;
  readonly medianReactMs: number | null;
  /** Median trigger line -> ban in force, and its two halves (see AttackMeasurement). */
  readonly medianTriggerMs: number | null;
  readonly medianDetectMs: number | null;
  readonly medianEnforceMs: number | null;
  /** Lab namespaces still present after destroy (should be none). */
  readonly leftoverNamespaces: readonly string[];
  readonly durationMs: number;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The whole lab run: namespaces, services, the enforcer, the legitimate client, then each
 * attack from a fresh attacker address (.10, .11, ...), measured from the outside. Teardown
 * always runs; the report says whether any namespace survived it.
 */
export async function runLab(opts: RunLabOptions): Promise<LabReport> {
  const log = opts.log ?? (() => {});
  const t0 = labNow();
  const names = opts.attacks ?? ATTACK_ORDER;
  const specs = names.map((n) => {
    const spec = ATTACKS[n];
    if (!spec) throw new Error(`unknown attack ${n}; known: ${Object.keys(ATTACKS).join(', ')}`);
    return spec;
  });
  requireTools([...BASE_TOOLS, ...specs.map((s) => s.tool), ...(opts.enforcer.tools ?? [])]);
  const stale = await cleanupStaleLabs();
  if (stale.length) log(`removed stale lab namespaces: ${stale.join(', ')}`);

  const lab = await createLab({ name: opts.enforcer.name, ...(opts.keepDir ? { keepDir: true } : {}) });
  const cleanup: Array<() => Promise<void> | void> = [];
  const results: AttackMeasurement[] = [];
  let clientOverall: ClientSummary = { ok: 0, failed: 0, failures: [] };
  let clientEverBanned = false;
  let testUser: string | null = null;
  try {
    log(`lab ${lab.id}: victim ${lab.victim}, client ${lab.client} (${lab.subnet})`);
    const services = await startServices(lab, opts.sshdLogMode ? { sshdLogMode: opts.sshdLogMode } : {});
    testUser = services.user.name;
    log(`services up; logs in ${services.paths.logDir}`);
    const monitor = await startBanMonitor(lab);
    cleanup.push(() => monitor.stop());
    const watch = await createLogWatch(
      [services.paths.authLog, services.paths.nginxAccessLog, services.paths.nginxErrorLog].filter(
        (f, i, a) => a.indexOf(f) === i,
      ),
    );
    cleanup.push(() => watch.stop());
    await opts.enforcer.start(lab, services.paths);
    cleanup.push(() => opts.enforcer.stop());
    log(`${opts.enforcer.name} started`);
    if (opts.noise) {
      appendNoise(services.paths, lab.subnet, opts.noise);
      log(`appended background lines from ${opts.noise} addresses`);
      await sleep(2000);
    }
    const client = startLegitClient(lab, services);
    cleanup.push(() => client.stop());
    await sleep(1500); // the client establishes a baseline before the first attack

    for (const [i, spec] of specs.entries()) {
      log(`attack ${spec.name} ...`);
      const m = await measureAttack(
        { lab, enforcer: opts.enforcer, watch, monitor, client },
        spec,
        10 + i,
        opts.measure,
      );
      results.push(m);
      log(
        `  ${spec.name}: ${m.bannedAt === null ? 'not banned' : `banned by ${m.trigger?.rule ?? '?'}, ttc ${m.ttcMs?.toFixed(0)} ms, trigger line -> ban ${m.triggerMs?.toFixed(1) ?? '-'} ms`}, cut off: ${m.cutOff}, client failures: ${m.client.failed}`,
      );
    }
    if (opts.afterAttacks)
      await opts.afterAttacks({ lab, services, enforcer: opts.enforcer, attacks: results, monitor, log });
    await client.stop();
    clientOverall = client.summary();
    for (const addr of [lab.client]) if (await opts.enforcer.isBanned(addr)) clientEverBanned = true;
    clientEverBanned ||= monitor.firstAdd(lab.client, 0) !== undefined;
  } finally {
    for (const fn of cleanup.reverse()) {
      try {
        await fn();
      } catch {
        // keep tearing down
      }
    }
    await lab.destroy();
  }
  const present = new Set(await listNamespaces());
  const leftoverNamespaces = Object.values(lab.ns).filter((n) => present.has(n));
  // A negative interval means a line was stamped after the ban it caused (a starved stamper
  // on a loaded machine): unknown, not "faster than instant", so it stays out of the medians.
  const ttc = results.flatMap((r) => (r.ttcMs === null || r.ttcMs < 0 ? [] : [r.ttcMs]));
  const react = results.flatMap((r) => (r.reactMs === null ? [] : [r.reactMs]));
  const all = (k: 'triggerMs' | 'detectMs' | 'enforceMs') =>
    results.flatMap((r) => (r[k] === null || (k === 'triggerMs' && r[k] < 0) ? [] : [r[k]]));
  return {
    enforcer: opts.enforcer.name,
    labId: lab.id,
    labDir: lab.dir,
    testUser,
    subnet: lab.subnet,
    victim: lab.victim,
    client: lab.client,
    attacks: results,
    clientOverall,
    clientEverBanned,
    medianTtcMs: median(ttc),
    medianReactMs: median(react),
    medianTriggerMs: median(all('triggerMs')),
    medianDetectMs: median(all('detectMs')),
    medianEnforceMs: median(all('enforceMs')),
    leftoverNamespaces,
    durationMs: labNow() - t0,
  };
}

/** See RunLabOptions.noise. */
export function appendNoise(paths: { authLog: string; nginxAccessLog: string }, subnet: string, n: number): void {
  const own = Number(subnet.split('.')[2]);
  const auth: string[] = [];
  const web: string[] = [];
  const now = new Date();
  const iso = `${now.toISOString().slice(0, 19)}.000000+00:00`;
  const clf = now.toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
  for (let i = 0, m = 0; auth.length < n && m < 256; m++) {
    if (m === own) continue;
    for (let h = 1; h < 255 && auth.length < n; h++, i++) {
      const a = `10.77.${m}.${h}`;
      auth.push(`${iso} victim sshd[1]: Failed password for root from ${a} port ${1024 + (i % 60000)} ssh2`);
      web.push(`${a} - - [${clf}] "GET /missing-${i} HTTP/1.1" 404 153 "-" "Mozilla/5.0"`);
    }
  }
  appendFileSync(paths.authLog, `${auth.join('\n')}\n`);
  appendFileSync(paths.nginxAccessLog, `${web.join('\n')}\n`);
}
