import { type AttackSpec, launchAttack, type ToolOutcome } from './attacks.js';
import type { BanMonitor, ElementAdded } from './ban-monitor.js';
import type { Enforcer } from './enforcer.js';
import type { ClientSummary, LegitClient } from './legit-client.js';
import type { LogWatch } from './log-watch.js';
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
  watch.poll();
  const until = labNow();
  // Probe both services: the attacked ports decide "cut off"; the other shows the ban's scope
  // (fail2ban's multiport action closes only the jail's ports, an all-ports ban closes both).
  const probes = await Promise.all(PROBE_PORTS.map((p) => probeTcp(lab, 'attacker', lab.victim, p, 2)));

  const lines = watch.linesFrom(addr, since);
  const firstLine = lines[0] ?? null;
  const before = bannedAt === null ? lines : lines.filter((l) => l.at <= bannedAt!);
  const lastBefore = before[before.length - 1];
  return {
    attack: spec.name,
    target: spec.target,
    attacker: addr,
    firstLine: firstLine && { at: firstLine.at, file: firstLine.file, line: firstLine.line },
    bannedAt,
    banSet,
    ttcMs: bannedAt !== null && firstLine ? bannedAt - firstLine.at : null,
    reactMs: bannedAt !== null && lastBefore ? bannedAt - lastBefore.at : null,
    linesBeforeBan: before.length,
    linesTotal: lines.length,
    probes,
    cutOff: isCutOff(probes.filter((p) => spec.ports.includes(p.port))),
    tool,
    client: client.summary(since, until),
  };
}
