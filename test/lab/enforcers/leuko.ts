import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BanTrigger, Enforcer } from '../enforcer.js';
import { type ProfileEvent, readProfile } from '../leuko-timeline.js';
import { victimSetsHolding } from '../nft-sets.js';
import { killGroup, type RunResult, sleep, waitUntil } from '../proc.js';
import { type Stamper, startStamper } from '../stamper.js';
import type { LabPaths } from '../services.js';
import type { Lab } from '../topology.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Leuko's own nft table (responder default: `inet leuko` with sets ban4, ban6, range4, range6). */
export const LEUKO_TABLE = { family: 'inet', table: 'leuko' } as const;

/** The sets Leuko's drop rules match: a ban is in force only if one of these holds the address. */
export const LEUKO_BAN_SETS = ['ban4', 'ban6', 'range4', 'range6'] as const;

/** How Leuko is started: node + tsx on src/cli/main.ts, so a run never uses a stale build. */
export const LEUKO_CLI: readonly string[] = [process.execPath, '--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];

export interface LeukoConfigInput {
  readonly paths: LabPaths;
  readonly storeDir: string;
  /** The lab's legitimate client and the victim's own address: always allowlisted. */
  readonly client: string;
  readonly victim: string;
  /** `scenarios.overrides` entries, e.g. `{ 'leuko/ssh-bf': { decision: { duration: '20s' } } }`. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

export interface LeukoEnforcerOptions {
  /** The config Leuko runs with; default `defaultLeukoConfig`. */
  readonly config?: (input: LeukoConfigInput) => string;
  /** Scenario overrides passed to the default config (short TTLs for the TTL-end check). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** How to start the CLI (default LEUKO_CLI). */
  readonly command?: readonly string[];
  /**
   * Profile where Leuko's time goes (inotify wake-ups, store commits, nft processes) with
   * leuko-profile-preload; the events land in `profileFile`. Off by default.
   */
  readonly profile?: boolean;
}

const PROFILE_PRELOAD = path.join(import.meta.dirname, 'leuko-profile-preload.ts');

/**
 * Issue 3's minimal protecting config on the lab's logs. The allowlist holds the legitimate
 * client and the victim itself besides loopback: the client must never be banned whatever
 * lines name it, and a host that bans its own address breaks its own services.
 */
export function defaultLeukoConfig(i: LeukoConfigInput): string {
  const lines = [
    'sources:',
    `  - { type: file, id: auth, path: ${JSON.stringify(i.paths.authLog)}, format: sshd }`,
    `  - { type: file, id: nginx-access, path: ${JSON.stringify(i.paths.nginxAccessLog)}, format: nginx }`,
    `policy: { mode: contain, allowlist: [127.0.0.0/8, "::1", ${i.client}/32, ${i.victim}/32] }`,
    'responders:',
    '  - { type: nftables }',
    `store: { path: ${JSON.stringify(i.storeDir)} }`,
  ];
  if (i.overrides && Object.keys(i.overrides).length > 0) {
    // JSON is YAML: the overrides go in as one flow mapping, quoted keys and all.
    lines.push(`scenarios: { overrides: ${JSON.stringify(i.overrides)} }`);
  }
  return `${lines.join('\n')}\n`;
}

/** A detection or decision `leuko run --json` wrote to stdout, stamped when the lab read it. */
export interface LeukoReport {
  readonly at: number;
  readonly type: 'detection' | 'decision';
  readonly scenario: string;
  /** The entity (detection) or the banned value (decision). */
  readonly value: string;
  /** Detections: the last evidence line, the one that made the scenario fire. */
  readonly lastEvidence?: string;
  readonly raw: Record<string, unknown>;
}

function toReport(line: string, at: number): LeukoReport | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const type = o['type'];
  const scenario = typeof o['scenario'] === 'string' ? o['scenario'] : '';
  if (type === 'detection') {
    const entity = o['entity'] as { value?: unknown } | undefined;
    const ev = Array.isArray(o['evidence']) ? (o['evidence'] as { message?: unknown }[]) : [];
    const last = ev[ev.length - 1]?.message;
    return {
      at,
      type,
      scenario,
      value: String(entity?.value ?? ''),
      ...(typeof last === 'string' ? { lastEvidence: last } : {}),
      raw: o,
    };
  }
  if (type === 'decision') return { at, type, scenario, value: String(o['value'] ?? ''), raw: o };
  return undefined;
}

/** When Leuko wrote the detection of `scenario` for `addr` (profile `out` event), read by the lab at `readAt`. */
function ownStamp(events: readonly ProfileEvent[], addr: string, scenario: string, readAt: number): number | undefined {
  let best: number | undefined;
  for (const e of events) {
    if (e.ev !== 'out' || e.t > readAt + 1 || e.t < readAt - 5000) continue;
    if (!e.head.startsWith('{"type":"detection"') || !e.head.includes(`"${addr}"`)) continue;
    if (!e.head.includes(`"scenario":"${scenario}"`)) continue;
    best = e.t;
  }
  return best;
}

export interface LeukoEnforcer extends Enforcer {
  /** The profile's event file when `profile` is on, else ''. */
  readonly profileFile: string;
  /** The profile's events (kept after stop, when the lab dir is about to go). */
  profileEvents(): readonly ProfileEvent[];
  /** Detections and decisions as `leuko run --json` reported them, in order. */
  readonly reports: readonly LeukoReport[];
  readonly logFile: string;
  readonly configFile: string;
  /** Run a `leuko --config <this lab's config> ...` CLI command (in the victim namespace). */
  cli(args: readonly string[], timeoutMs?: number): Promise<RunResult>;
}

/**
 * Leuko as the lab's enforcer: `leuko run` inside the victim namespace (so its nftables
 * responder changes only the victim's ruleset, with no `netns:` in the config), tailing the
 * lab's auth and nginx access logs. The measurement side (log watch, nft monitor, probes) is
 * shared with fail2ban, so both are measured on the same footing.
 */
export function createLeukoEnforcer(opts: LeukoEnforcerOptions = {}): LeukoEnforcer {
  let lab: Lab | undefined;
  let stopChild: (() => Promise<void>) | undefined;
  const cmd = opts.command ?? LEUKO_CLI;
  const reports: LeukoReport[] = [];
  let kept: ProfileEvent[] | undefined;
  let stamper: Stamper | undefined;
  const self: LeukoEnforcer & { logFile: string; configFile: string; profileFile: string } = {
    name: 'leuko',
    tools: ['nft'],
    logFile: '',
    configFile: '',
    profileFile: '',
    reports,
    async start(l, paths) {
      lab = l;
      const dir = path.join(l.dir, 'leuko');
      mkdirSync(dir, { recursive: true });
      self.configFile = path.join(dir, 'leuko.yaml');
      const input: LeukoConfigInput = {
        paths,
        storeDir: path.join(dir, 'store'),
        client: l.client,
        victim: l.victim,
        ...(opts.overrides ? { overrides: opts.overrides } : {}),
      };
      writeFileSync(self.configFile, (opts.config ?? defaultLeukoConfig)(input));
      self.logFile = path.join(dir, 'leuko.log');
      writeFileSync(self.logFile, '');
      // --json: detections and decisions as JSON lines on stdout. stdout goes to a file that
      // a stamper worker tails, so each report is stamped when Leuko wrote it, not when the
      // lab's busy main thread gets to a pipe. The daemon's own log is on stderr.
      const reportFile = path.join(dir, 'reports.jsonl');
      writeFileSync(reportFile, '');
      let argv = [...cmd, '--config', self.configFile, 'run', '--json'];
      let env: NodeJS.ProcessEnv | undefined;
      if (opts.profile) {
        self.profileFile = path.join(dir, 'profile.jsonl');
        writeFileSync(self.profileFile, '');
        // After tsx (the preload is TypeScript), before the CLI script.
        const script = argv.findIndex((a) => /main\.[jt]s$/.test(a));
        if (script < 1) throw new Error(`profile: cannot find the CLI script in ${argv.join(' ')}`);
        argv = [...argv.slice(0, script), '--import', PROFILE_PRELOAD, ...argv.slice(script)];
        env = { ...process.env, LEUKO_LAB_PROFILE: self.profileFile };
      }
      stamper = await startStamper({ files: [reportFile], pollMs: 20 });
      stamper.onLines((lines) => {
        for (const { line, at } of lines) {
          const r = toReport(line, at);
          if (r) reports.push(r);
          if (reports.length > 10_000) reports.shift();
        }
      });
      const child = l.spawn('victim', ['sh', '-c', 'exec "$@" >>"$0"', reportFile, ...argv], {
        cwd: ROOT,
        ...(env ? { env } : {}),
      });
      let out = '';
      const keep = (d: string) => {
        out = (out + d).slice(-256 * 1024);
        writeFileSync(self.logFile, out);
      };
      child.stderr?.setEncoding('utf8').on('data', keep);
      let exited = '';
      child.once('exit', (code, signal) => {
        exited = `leuko run exited with ${code ?? signal}: ${out.trim().split('\n').slice(-5).join('\n')}`;
      });
      const closed = new Promise<void>((r) => child.once('close', () => r()));
      stopChild = async () => {
        killGroup(child, 'SIGTERM');
        // A clean shutdown flushes Leuko's store; bounded, then the lab kills what is left.
        await Promise.race([closed, sleep(5000)]);
        killGroup(child, 'SIGKILL');
      };
      // Ready when its table exists (the responder's start) and the daemon says it is running
      // (the sources are open, tailing from the end of each file).
      try {
        await waitUntil(
          'leuko ready (its nft table in the victim and "leuko running" in its log)',
          async () => {
            if (exited) throw new Error(exited);
            if (!out.includes('leuko running')) return undefined;
            const r = await l.exec('victim', ['nft', 'list', 'table', LEUKO_TABLE.family, LEUKO_TABLE.table], {
              timeoutMs: 5000,
            });
            return r.code === 0 || undefined;
          },
          60_000,
          100,
        );
      } catch (e) {
        await self.stop();
        throw e;
      }
    },
    async stop() {
      const stop = stopChild;
      stopChild = undefined;
      await stop?.();
      await stamper?.stop();
      stamper = undefined;
      if (self.profileFile) kept = readProfile(self.profileFile);
    },
    profileEvents() {
      return kept ?? (self.profileFile ? readProfile(self.profileFile) : []);
    },
    async isBanned(addr) {
      if (!lab) return false;
      const held = await victimSetsHolding(lab, addr, LEUKO_TABLE);
      return held.some((s) => (LEUKO_BAN_SETS as readonly string[]).includes(s.set));
    },
    async trigger(addr, since) {
      await stamper?.flush();
      // The decision that banned it, then the detection it came from (same scenario, reported
      // just before it: the processor reports the detection, then decides).
      const di = reports.findIndex((r) => r.type === 'decision' && r.value === addr && r.at >= since);
      const decision = reports[di];
      if (!decision) return undefined;
      for (let i = di - 1; i >= 0; i--) {
        const r = reports[i]!;
        if (r.at < since) break;
        if (r.type === 'detection' && r.value === addr && r.scenario === decision.scenario) {
          // Profiling: Leuko's own stamp of the write beats the stamper's read of the file,
          // which a saturated CPU can delay by tens of ms.
          const own = self.profileFile ? ownStamp(readProfile(self.profileFile), addr, r.scenario, r.at) : undefined;
          const t: BanTrigger = { detectedAt: own ?? r.at, rule: r.scenario };
          return r.lastEvidence === undefined ? t : { ...t, line: r.lastEvidence };
        }
      }
      return { detectedAt: decision.at, rule: decision.scenario };
    },
    cli(args, timeoutMs = 30_000) {
      if (!lab) throw new Error('leuko enforcer not started');
      return lab.exec('victim', [...cmd, '--config', self.configFile, ...args], { timeoutMs, cwd: ROOT });
    },
  };
  return self;
}
