/**
 * Fleet propagation, measured on real parts: a private nats-server (JetStream) in a bus
 * namespace, agents A and C as real `leuko run` processes each in its own namespace with the
 * nftables responder, and 48 simulated agents (full receiving path: KV watch, signature, trust
 * rules, store commit) so that 50 agents share the bus. Each round brute-forces A with a new
 * address and times A's decision (its audit record) → the element in C's nftables set.
 *
 *   npm run bench:fleet [-- --rounds 15 --agents 50]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { canUseNetnsSync } from '../src/platform/nft/netns.js';
import { FleetLab } from '../test/fleet/fleet-lab.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface FleetBenchResult {
  readonly agents: number;
  readonly rounds: number;
  /** A's decision → ban in force on C, ms. */
  readonly toEnforcedMs: { median: number; p95: number; max: number };
  /** Decision signed on A → accepted and committed by a simulated agent, ms (all of them). */
  readonly simulatedMs: { median: number; p95: number; count: number };
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.min(s.length - 1, Math.floor(q * s.length))] as number);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFleetBench(
  opts: { rounds?: number; agents?: number; log?: (m: string) => void } = {},
): Promise<FleetBenchResult | undefined> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${pc.dim('[bench:fleet]')} ${m}\n`));
  const ok = canUseNetnsSync();
  if (!ok.ok) {
    log(`skipped: ${ok.reason}`);
    return undefined;
  }
  const rounds = opts.rounds ?? 15;
  const total = opts.agents ?? 50;
  const lab = new FleetLab();
  let sim: ChildProcess | undefined;
  try {
    await lab.start(['a', 'c']);
    for (const id of ['a', 'c']) lab.enroll(id, lab.agents.get(id)?.publicKey as string, 'ip');
    for (const id of ['a', 'c']) lab.startAgent(id);
    const connected = (id: string) => lab.logsOf(lab.agents.get(id)?.process).includes(`fleet agent ${id} connected`);
    for (let t = 0; t < 600 && !(connected('a') && connected('c')); t++) await sleep(100);
    if (!(connected('a') && connected('c'))) throw new Error('agents did not join the bus');

    const simulated = total - 2;
    sim = spawn(
      'ip',
      [
        'netns',
        'exec',
        lab.bus.name,
        process.execPath,
        '--import',
        'tsx',
        path.join(ROOT, 'bench/fleet-sim.ts'),
        JSON.stringify({
          nats: 'nats://127.0.0.1:4222',
          n: simulated,
          trust: [{ agent: 'a', publicKey: lab.agents.get('a')?.publicKey }],
        }),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const simLatencies: number[] = [];
    let simReady = false;
    let buffered = '';
    sim.stdout?.on('data', (b: Buffer) => {
      buffered += b.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = JSON.parse(line) as { ready?: number; latencyMs?: number };
        if (m.ready !== undefined) simReady = true;
        if (m.latencyMs !== undefined) simLatencies.push(m.latencyMs);
      }
    });
    for (let t = 0; t < 600 && !simReady; t++) await sleep(100);
    if (!simReady) throw new Error('simulated agents did not start');
    log(`${simulated} simulated agents and 2 real agents on the bus; ${rounds} rounds`);

    const toEnforced: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const ip = `198.51.100.${150 + i}`;
      lab.attack('a', ip);
      let decidedAt: number | undefined;
      let enforcedAt: number | undefined;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (decidedAt === undefined || enforcedAt === undefined)) {
        if (decidedAt === undefined) {
          const rows = lab.agentRows<{ at: number }>(
            'a',
            "SELECT at FROM audit WHERE action = 'decision.proposed' AND json_extract(data, '$.value') = ?",
            ip,
          );
          decidedAt = rows[0]?.at;
        }
        if (enforcedAt === undefined && lab.banned('c', ip)) enforcedAt = Date.now();
        await sleep(5);
      }
      if (decidedAt === undefined || enforcedAt === undefined) {
        log(
          pc.yellow(
            `round ${i + 1}: ${ip} not ${decidedAt === undefined ? 'decided on A' : 'enforced on C'} within 20 s`,
          ),
        );
        continue;
      }
      toEnforced.push(enforcedAt - decidedAt);
      await sleep(300);
    }
    await sleep(500);
    const result: FleetBenchResult = {
      agents: total,
      rounds: toEnforced.length,
      toEnforcedMs: {
        median: quantile(toEnforced, 0.5),
        p95: quantile(toEnforced, 0.95),
        max: Math.max(...toEnforced),
      },
      simulatedMs: {
        median: quantile(simLatencies, 0.5),
        p95: quantile(simLatencies, 0.95),
        count: simLatencies.length,
      },
    };
    const verdict = result.toEnforcedMs.median < 1000 ? pc.green('< 1 s target met') : pc.red('over the 1 s target');
    console.log(
      `\nfleet (${total} agents: 2 real leuko run + ${simulated} simulated, ${result.rounds} rounds): ` +
        `A's decision → ban in force on C: median ${result.toEnforcedMs.median} ms, p95 ${result.toEnforcedMs.p95} ms, ` +
        `max ${result.toEnforcedMs.max} ms (${verdict}); signed on A → accepted by a simulated agent: median ` +
        `${result.simulatedMs.median} ms, p95 ${result.simulatedMs.p95} ms over ${result.simulatedMs.count} acceptances`,
    );
    return result;
  } finally {
    if (sim && sim.exitCode === null) sim.kill('SIGKILL');
    await lab.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { rounds: { type: 'string' }, agents: { type: 'string' } },
    strict: true,
  });
  runFleetBench({
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values.agents ? { agents: Number(values.agents) } : {}),
  }).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
