import { type AttackSpec, launchAttack, type ToolOutcome } from './attacks.js';
import type { BanMonitor, ElementAdded } from './ban-monitor.js';
import type { Enforcer } from './enforcer.js';
import type { ClientSummary, LegitClient } from './legit-client.js';
import type { LogWatch, WatchedLine } from './log-watch.js';
import { victimSetsHolding } from './nft-sets.js';
import { isCutOff, type ProbeResult, probeTcp } from './probe.js';
import { labNow, sleep } from './proc.js';
import type { Lab } from './topology.js';

const PROBE_PORTS = [22, 80] as const;

export interface MeasureContext {
  readonly lab: Lab;
  readonly enforcer: Enforcer;
  readonly watch: LogWatch;
  readonly monitor: BanMonitor;
  readonly client: LegitClient;
}

export interface MeasureOptions {
  /** After the ban is in force, let the tool keep trying this long (it should see failures). */
  readonly dwellMs?: number;
  /** After the tool ends unbanned, wait this long for a late ban (fail2ban batches). */
  readonly graceMs?: number;
  /** Interval of the isBanned confirmation poll. */
  readonly pollMs?: number;
}

export interface AttackMeasurement {
  readonly attack: string;
  readonly target: string;
  readonly attacker: string;
  /** First line from the attacker's address in any watched log (null: the tool left no trace). */
  readonly firstLine: { readonly at: number; readonly file: string; readonly line: string } | null;
  /** When the ban was in force: the kernel's element-add notification, else the confirming poll. */
  readonly bannedAt: number | null;
  /** Which nft set took the address, as `family table set`. */
  readonly banSet: string | null;
  /** firstLine -> ban in force: time to contain. */
  readonly ttcMs: number | null;
  /** Last attacker line before the ban -> ban in force: the enforcer's reaction latency. */
  readonly reactMs: number | null;
  readonly linesBeforeBan: number;
  readonly linesTotal: number;
  /**
   * The line that tipped the enforcer over (its own evidence when it names it, else the
   * attacker's last line before it reported the detection), and when it reported it.
   */
  readonly trigger: {
    readonly rule: string;
    readonly line: string | null;
    /** Whether the enforcer named the line (true) or the lab inferred it (false). */
    readonly named: boolean;
    readonly lineAt: number | null;
    readonly detectedAt: number;
  } | null;
  /** Trigger line -> ban in force: the enforcer's own latency, whatever the attacker's pace. */
  readonly triggerMs: number | null;
  /** Trigger line -> detection reported (read, parse, detect). */
  readonly detectMs: number | null;
  /** Detection reported -> ban in force (decide, commit, firewall). */
  readonly enforceMs: number | null;
  /** TCP connects from the attacker after the attack, one per port. */
  readonly probes: readonly ProbeResult[];
  readonly cutOff: boolean;
  readonly tool: ToolOutcome;
  /** The legitimate client during this attack. */
  readonly client: ClientSummary;
}

/**
 * Run one attack from a fresh attacker address and measure the enforcer from the outside:
 * the first attacker line appearing in a log, the ban appearing in the victim's nft sets, the
 * attacker's connections failing afterwards, and the legitimate client meanwhile. Every wait
 * is bounded by the tool's time limit plus the grace period.
 */
export async function measureAttack(
  ctx: MeasureContext,
  spec: AttackSpec,
  attackerHost: number,
  opts: MeasureOptions = {},
): Promise<AttackMeasurement> {
  const { lab, enforcer, watch, monitor, client } = ctx;
  const dwellMs = opts.dwellMs ?? 3000;
  const graceMs = opts.graceMs ?? 5000;
  const pollMs = opts.pollMs ?? 100;
  const addr = await lab.setAttacker(attackerHost);
  const since = labNow();
  const running = launchAttack(lab, spec, since);

  let bannedAt: number | null = null;
  let banSet: string | null = null;
  let exitedAt: number | null = null;
  let lastPoll = 0;
  let checked: ElementAdded | undefined;
  const hardEnd = since + spec.timeLimitMs + graceMs + 5000;
  while (labNow() < hardEnd) {
    const now = labNow();
    if (exitedAt === null && running.exited()) exitedAt = now;
    if (bannedAt === null) {
      const ev = monitor.firstAdd(addr, since);
      // A listing costs a process start: run one when the kernel reports a new element for
      // this address, else at most every pollMs (the fallback if the monitor missed it).
      if ((ev !== undefined && ev !== checked) || now - lastPoll >= pollMs) {
        checked = ev;
        lastPoll = now;
        // Trust the kernel's timestamp only once a listing confirms the set really holds it.
        if (await enforcer.isBanned(addr)) {
          bannedAt = ev ? ev.at : labNow();
          banSet = ev ? `${ev.family} ${ev.table} ${ev.set}` : null;
        }
      }
    }
    if (bannedAt !== null && !running.exited() && labNow() - bannedAt >= dwellMs) running.stop();
    if (running.exited() && (bannedAt !== null || (exitedAt !== null && labNow() - exitedAt >= graceMs))) break;
    await sleep(10);
  }
  running.stop();
  const tool = await running.done;
  if (bannedAt !== null && banSet === null) {
    const held = (await victimSetsHolding(lab, addr))[0];
    if (held) banSet = `${held.family} ${held.table} ${held.set}`;
  }
  await watch.flush();
  const until = labNow();
  // Probe both services: the attacked ports decide "cut off"; the other shows the ban's scope
  // (fail2ban's multiport action closes only the jail's ports, an all-ports ban closes both).
  const probes = await Promise.all(PROBE_PORTS.map((p) => probeTcp(lab, 'attacker', lab.victim, p, 2)));

  const lines = watch.linesFrom(addr, since);
  const firstLine = lines[0] ?? null;
  const before = bannedAt === null ? lines : lines.filter((l) => l.at <= bannedAt!);
  const lastBefore = before[before.length - 1];
  const why = bannedAt === null ? undefined : await enforcer.trigger?.(addr, since);
  const trigger = why ? { ...why, ...findTriggerLine(before, why.detectedAt, why.line) } : null;
  const triggerMs = trigger?.lineAt != null && bannedAt !== null ? bannedAt - trigger.lineAt : null;
  return {
    attack: spec.name,
    target: spec.target,
    attacker: addr,
    firstLine: firstLine && { at: firstLine.at, file: firstLine.file, line: firstLine.line },
    bannedAt,
    banSet,
    ttcMs: bannedAt !== null && firstLine ? bannedAt - firstLine.at : null,
    reactMs: bannedAt !== null && lastBefore ? bannedAt - lastBefore.at : null,
    trigger: trigger && {
      rule: trigger.rule,
      line: trigger.found?.line ?? null,
      named: trigger.named,
      lineAt: trigger.lineAt,
      detectedAt: trigger.detectedAt,
    },
    triggerMs,
    detectMs: trigger?.lineAt != null ? trigger.detectedAt - trigger.lineAt : null,
    enforceMs: trigger && bannedAt !== null ? bannedAt - trigger.detectedAt : null,
    linesBeforeBan: before.length,
    linesTotal: lines.length,
    probes,
    cutOff: isCutOff(probes.filter((p) => spec.ports.includes(p.port))),
    tool,
    client: client.summary(since, until),
  };
}

/**
 * The watched line behind a detection: the enforcer's evidence line when it names one (the
 * latest copy seen before it reported; evidence may be cut short with a trailing "…"), else
 * the attacker's last line seen before the report.
 */
export function findTriggerLine(
  lines: readonly WatchedLine[],
  detectedAt: number,
  evidence: string | undefined,
): { found: WatchedLine | undefined; lineAt: number | null; named: boolean } {
  let found: WatchedLine | undefined;
  if (evidence !== undefined) {
    const prefix = evidence.endsWith('…') ? evidence.slice(0, -1) : evidence;
    const same = lines.filter((l) => l.line === evidence || l.line.startsWith(prefix));
    // Both processes see the line through inotify; the lab may read it a moment after the
    // enforcer did, so take the last copy before the report, else the first after it.
    found = same.filter((l) => l.at <= detectedAt).pop() ?? same[0];
    if (found) return { found, lineAt: found.at, named: true };
  }
  found = lines.filter((l) => l.at <= detectedAt).pop();
  return { found, lineAt: found?.at ?? null, named: false };
}
