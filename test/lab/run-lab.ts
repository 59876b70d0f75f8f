import { ATTACK_ORDER, ATTACKS } from './attacks.js';
import { startBanMonitor } from './ban-monitor.js';
import type { Enforcer } from './enforcer.js';
import { type ClientSummary, startLegitClient } from './legit-client.js';
import { createLogWatch } from './log-watch.js';
import { type AttackMeasurement, type MeasureOptions, measureAttack } from './measure.js';
import { listNamespaces } from './netns.js';
import { BASE_TOOLS, requireTools } from './preflight.js';
import { labNow, sleep } from './proc.js';
import { startServices } from './services.js';
import type { SshdLogMode } from './services/sshd.js';
import { cleanupStaleLabs, createLab } from './topology.js';

export interface RunLabOptions {
  readonly enforcer: Enforcer;
  /** Attack names from ATTACKS, run in this order; default all. */
  readonly attacks?: readonly string[];
  readonly sshdLogMode?: SshdLogMode;
  readonly measure?: MeasureOptions;
  readonly keepDir?: boolean;
  /** Progress messages. */
  readonly log?: (message: string) => void;
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
    const watch = createLogWatch(
      [services.paths.authLog, services.paths.nginxAccessLog, services.paths.nginxErrorLog].filter(
        (f, i, a) => a.indexOf(f) === i,
      ),
    );
    cleanup.push(() => watch.stop());
    await opts.enforcer.start(lab, services.paths);
    cleanup.push(() => opts.enforcer.stop());
    log(`${opts.enforcer.name} started`);
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
        `  ${spec.name}: ${m.bannedAt === null ? 'not banned' : `banned, ttc ${m.ttcMs?.toFixed(0)} ms`}, cut off: ${m.cutOff}, client failures: ${m.client.failed}`,
      );
    }
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
  const ttc = results.flatMap((r) => (r.ttcMs === null ? [] : [r.ttcMs]));
  const react = results.flatMap((r) => (r.reactMs === null ? [] : [r.reactMs]));
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
    leftoverNamespaces,
    durationMs: labNow() - t0,
  };
}
