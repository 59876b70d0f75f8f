/**
 * Drain template mining and template novelty, measured:
 * - grouping accuracy on the 16 Loghub 2k systems (published settings) beside the published
 *   Drain value, and Drain's throughput in lines/s;
 * - precision and recall of the novelty detector on seeded service logs with one injected
 *   behaviour (a new error template, or a template's rate leaving its band), replayed through
 *   the whole pipeline, with the pipeline's lines/s with templates on.
 *
 *   npx tsx bench/drain.ts [--seeds 10]
 *
 * `npm run bench` runs it too (bench/run.ts) and counts its acceptance checks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfigText } from '../src/config/index.js';
import { systemClock } from '../src/core/clock.js';
import { createSequentialIds } from '../src/core/ids.js';
import { groupingAccuracy } from '../src/detectors/templates/grouping-accuracy.js';
import { TemplateMiner } from '../src/detectors/templates/miner.js';
import { toPipelineSettings } from '../src/cli/context.js';
import { buildExtensions } from '../src/pipeline/extensions.js';
import { replayFiles } from '../src/pipeline/replay.js';
import { createEphemeralStore } from '../src/store/index.js';
import { loadLoghub, loghubAvailable } from './drain-corpus.js';
import { generateServiceScenario, type InjectionKind, scoreScenario } from './drain-scenario.js';
import type { Acceptance } from './lib/report.js';

const NOVELTY_CONFIG = `templates:
  enabled: true
  novelty:
    learning_period: 2h
    window: 5m
`;

function loghubTable(): { checks: Acceptance[]; linesPerSec: number; linesPerCpuSec: number } {
  const rows: string[] = [];
  let lines = 0;
  let ms = 0;
  let cpuMs = 0;
  let failed: string[] = [];
  let sumOurs = 0;
  let sumPub = 0;
  const data = loadLoghub();
  for (const d of data) {
    // Timing: best of 3 fresh runs (the first warms the JIT).
    let best = Number.POSITIVE_INFINITY;
    let bestCpu = Number.POSITIVE_INFINITY;
    let ids: string[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const miner = new TemplateMiner(d.settings);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      ids = d.lines.map((l) => String(miner.add(l).id));
      best = Math.min(best, performance.now() - t0);
      const c = process.cpuUsage(c0);
      bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
    }
    lines += d.lines.length;
    ms += best;
    cpuMs += bestCpu;
    const acc = groupingAccuracy(d.truth, ids);
    sumOurs += acc;
    sumPub += d.published;
    const ok = acc >= d.published - 0.01;
    if (!ok) failed = [...failed, d.name];
    rows.push(
      `${d.name.padEnd(12)} ${acc.toFixed(4).padStart(8)} ${d.published.toFixed(4).padStart(10)} ${(acc - d.published >= 0 ? '+' : '') + (acc - d.published).toFixed(4).padStart(7)}  ${Math.round(
        d.lines.length / (best / 1000),
      )
        .toLocaleString('en-US')
        .padStart(9)}  ${ok ? 'ok' : 'BELOW'}`,
    );
  }
  console.log('\nDrain on Loghub 2k (published settings): grouping accuracy');
  console.log(
    `${'system'.padEnd(12)} ${'ours'.padStart(8)} ${'published'.padStart(10)} ${'diff'.padStart(8)}  ${'lines/s'.padStart(9)}`,
  );
  for (const r of rows) console.log(r);
  const n = data.length;
  const linesPerSec = lines / (ms / 1000);
  console.log(
    `${'average'.padEnd(12)} ${(sumOurs / n).toFixed(4).padStart(8)} ${(sumPub / n).toFixed(4).padStart(10)}          ${Math.round(linesPerSec).toLocaleString('en-US').padStart(9)}`,
  );
  return {
    linesPerSec,
    linesPerCpuSec: lines / (cpuMs / 1000),
    checks: [
      {
        name: `Drain grouping accuracy >= published - 0.01 on all ${n} Loghub 2k systems`,
        pass: failed.length === 0 && n === 16,
        detail:
          failed.length === 0
            ? `average ${(sumOurs / n).toFixed(4)} vs ${(sumPub / n).toFixed(4)}`
            : `below: ${failed.join(', ')}`,
      },
    ],
  };
}

async function noveltyTable(seeds: number): Promise<Acceptance[]> {
  const parsed = parseConfigText(NOVELTY_CONFIG, 'bench-novelty.yaml');
  if (!parsed.ok) throw new Error('bench novelty config does not load');
  const config = parsed.config;
  const settings = toPipelineSettings(config, process.cwd());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-bench-novelty-'));
  let tp = 0;
  let fp = 0;
  let detected = 0;
  let scenarios = 0;
  let lines = 0;
  let ms = 0;
  let cpuMs = 0;
  const notes: string[] = [];
  try {
    for (const kind of ['new-template', 'rate-spike'] as InjectionKind[]) {
      for (let seed = 1; seed <= seeds; seed++) {
        const s = generateServiceScenario({ seed: `bench-${seed}`, kind });
        const file = path.join(dir, `${kind}-${seed}.log`);
        writeFileSync(file, `${s.lines.join('\n')}\n`);
        const ids = createSequentialIds();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const result = await replayFiles({
          paths: [file],
          format: 'auto',
          settings,
          store: createEphemeralStore(),
          clock: systemClock,
          ids,
          extensions: buildExtensions({ config, baseDir: dir, clock: systemClock, ids }),
        });
        ms += performance.now() - t0;
        const c = process.cpuUsage(c0);
        cpuMs += (c.user + c.system) / 1000;
        lines += result.stats.lines;
        const score = scoreScenario(s, result.detections);
        scenarios++;
        tp += score.tp;
        fp += score.fp;
        if (score.detected) detected++;
        else notes.push(`missed: ${kind} seed ${seed} (${s.signature})`);
        for (const a of score.falseAlerts) notes.push(`false alert: ${kind} seed ${seed}: ${a.slice(0, 160)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = detected / Math.max(1, scenarios);
  console.log(
    `\nTemplate novelty on ${scenarios} seeded service logs (${seeds} new-template + ${seeds} rate-spike, 8 h each, learning 2 h):`,
  );
  console.log(
    `precision ${precision.toFixed(3)} (${tp} true / ${fp} false detections), recall ${recall.toFixed(3)} (${detected}/${scenarios} injected behaviours found)`,
  );
  console.log(
    `whole pipeline with templates on (parse, Drain, novelty, scenarios): ${Math.round(lines / (ms / 1000)).toLocaleString('en-US')} lines/s wall clock, ` +
      `${Math.round(lines / (cpuMs / 1000)).toLocaleString('en-US')} lines per CPU-second, over ${lines.toLocaleString('en-US')} lines`,
  );
  for (const n of notes) console.log(`  ${n}`);
  return [
    {
      name: 'template novelty: injected behaviour found, no alert on ordinary traffic',
      pass: precision === 1 && recall === 1,
      detail: `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} over ${scenarios} scenarios`,
    },
  ];
}

/** Print both tables; the acceptance checks they support. */
export async function drainBench(opts: { seeds?: number } = {}): Promise<Acceptance[]> {
  const checks: Acceptance[] = [];
  if (loghubAvailable()) {
    const t = loghubTable();
    console.log(
      `Drain alone (content extraction, masking, tree): ${Math.round(t.linesPerSec).toLocaleString('en-US')} lines/s wall clock, ` +
        `${Math.round(t.linesPerCpuSec).toLocaleString('en-US')} lines per CPU-second (wall clock drops on a busy machine)`,
    );
    checks.push(...t.checks);
  } else console.log('\nLoghub corpora not found in ../shared/corpora: Drain accuracy skipped');
  checks.push(...(await noveltyTable(opts.seeds ?? 5)));
  return checks;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--seeds');
  const seeds = i > 0 ? Number(process.argv[i + 1]) : 5;
  drainBench({ seeds }).then(
    (checks) => {
      for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`);
      process.exitCode = checks.every((c) => c.pass) ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
