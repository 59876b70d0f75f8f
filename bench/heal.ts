/**
 * Healing bench: how long from a defacing write to the restored file, through the whole
 * decision path (watch → detection → incident → decision → policy → restore-file responder →
 * verify). A real `leuko run` in heal mode protects a web root; index.html is rewritten
 * `rounds` times and the time until the original content is back is measured each time.
 *
 *   npx tsx bench/heal.ts [rounds]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface HealBench {
  readonly rounds: number;
  readonly restored: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly maxMs: number;
}

function cliArgs(): string[] {
  const built = path.join(ROOT, 'dist/cli/main.js');
  return existsSync(built) ? [built] : ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

export async function runHealBench(rounds = 30, log: (m: string) => void = () => undefined): Promise<HealBench> {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-bench-heal-'));
  const www = path.join(dir, 'www');
  const config = path.join(dir, 'leuko.yaml');
  const original = `<html><body><h1>Shop</h1>${'<p>catalogue</p>'.repeat(200)}</body></html>\n`;
  spawnSync('mkdir', ['-p', www]);
  writeFileSync(path.join(www, 'index.html'), original);
  for (let i = 0; i < 50; i++) writeFileSync(path.join(www, `page${i}.html`), `<p>page ${i}</p>\n`);
  writeFileSync(
    config,
    [
      `store: { path: ${path.join(dir, 'store')} }`,
      // A restore is a budgeted autonomous action: give the bench's burst of them room.
      'policy: { mode: heal, budget: { max_bans_per_minute: 10000, max_decisions: 100000 }, breaker: { min_rate: 10000 } }',
      'protect:',
      `  paths: [${www}]`,
      '  posture: { enabled: false }',
    ].join('\n'),
  );
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [...cliArgs(), '--config', config, ...args], { encoding: 'utf8', cwd: ROOT });
  cli('baseline');
  let child: ChildProcess | undefined;
  const samples: number[] = [];
  try {
    child = spawn(process.execPath, [...cliArgs(), '--config', config, 'run'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const up = Date.now() + 120_000;
    while (!out.includes('leuko running in') && Date.now() < up) await new Promise((r) => setTimeout(r, 50));
    if (!out.includes('leuko running in')) throw new Error(`daemon did not start: ${out}`);
    const index = path.join(www, 'index.html');
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      writeFileSync(index, `<h1>defaced ${i}</h1>\n`);
      const deadline = t0 + 10_000;
      let ok = false;
      while (performance.now() < deadline) {
        let now = '';
        try {
          now = readFileSync(index, 'utf8');
        } catch {
          // mid-rename: try again
        }
        if (now === original) {
          ok = true;
          break;
        }
        await new Promise((r) => setImmediate(r));
      }
      if (ok) samples.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const r = {
    rounds,
    restored: samples.length,
    medianMs: quantile(sorted, 0.5),
    p90Ms: quantile(sorted, 0.9),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
  log(
    `heal: ${r.restored}/${r.rounds} defacements restored; write→restore median ${r.medianMs.toFixed(1)} ms, p90 ${r.p90Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms`,
  );
  return r;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.argv[2] ?? 30);
  runHealBench(rounds, (m) => console.log(m)).then(
    (r) => {
      process.exitCode = r.restored === r.rounds && r.medianMs < 200 ? 0 : 1;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
