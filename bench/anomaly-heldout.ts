/**
 * Precision and recall of the anomaly model over many seeded scenarios, fast: the same logs as
 * bench/anomaly.ts (bench/anomaly-scenarios.ts), parsed by the nginx parser and fed to the
 * anomaly detector alone, as the pipeline feeds it (every parsed event in order, one tick at
 * the last event time), without the scenario engine, incidents and decisions around it, which
 * never change what the detector sees. Prints one line per run as it ends, then the table.
 *
 *   npx tsx bench/anomaly-heldout.ts --from 27 --to 46 [--kinds a,b] [--jobs 2] [--lines 60000]
 *
 * `--jobs N` splits the seeds over N child processes (1: one at a time). Each seed runs in a
 * child of its own: module-level caches outlive a run, and one holding a slice of a log's text
 * keeps the whole text alive (the IPv6 cache in parsers/shared/address.ts: 15 MB a run, out of
 * heap after some 50 seeds in one process). `--check` also replays each run through the whole
 * pipeline (bench/anomaly.ts) and fails when the flagged entities differ; it runs in-process.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { learningSchema } from '../src/config/learning.js';
import { createManualClock } from '../src/core/clock.js';
import type { Detection } from '../src/core/detection.js';
import { createSequentialIds } from '../src/core/ids.js';
import { anomalySettings, createAnomalyDetector } from '../src/detectors/anomaly/index.js';
import { createParser } from '../src/parsers/index.js';
import { type AnomalyRun, formatByKind, runAnomalyScenario, summarizeRun } from './anomaly.js';
import { generateAnomalyScenario, INJECTED_KINDS, type InjectedKind } from './anomaly-scenarios.js';

/**
 * With `sweep`, the detector runs with an unreachable threshold and records, per entity, the
 * highest score of a window that passed every other gate (`observe`): `best` then says at
 * which thresholds the injected actor would be found and which others would be flagged.
 */
export function runFast(
  kind: InjectedKind,
  seed: number,
  lines = 60_000,
  sweep = false,
): AnomalyRun & { best?: { injected: number; others: number[] } } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-anomaly-fast-'));
  try {
    const file = path.join(dir, 'access.log');
    const sc = generateAnomalyScenario({ kind, seed, path: file, lines });
    const ids = createSequentialIds();
    const best = new Map<string, number>();
    const settings = anomalySettings(learningSchema.parse({}));
    const detector = createAnomalyDetector(
      sweep ? { ...settings, threshold: 2 } : settings,
      ids,
      sweep ? (_p, k, score) => best.set(k, Math.max(best.get(k) ?? 0, score)) : undefined,
    );
    const parse = createParser('nginx', { clock: createManualClock(0), logPath: file });
    const started = performance.now();
    const found: Detection[] = [];
    let last = 0;
    const sourceId = `replay:0:${file}`;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line === '') continue;
      const parsed = parse(line);
      if (parsed === null) continue;
      last = Math.max(last, parsed.time);
      found.push(...detector.process({ time: parsed.time, event: parsed.event, sourceId }));
    }
    found.push(...(detector.tick?.(last) ?? []));
    // The pipeline's rule detections are not run here: ruleHits stays empty.
    return {
      ...summarizeRun(kind, seed, sc, found, performance.now() - started),
      ...(sweep
        ? {
            best: {
              injected: best.get(sc.injected) ?? 0,
              others: [...best].filter(([k]) => k !== sc.injected).map(([, v]) => v),
            },
          }
        : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (r: AnomalyRun & { best?: { injected: number; others: number[] } }): string =>
  r.best
    ? `${r.kind.padEnd(24)} seed ${String(r.seed).padStart(4)}  injected ${r.best.injected.toFixed(3)}  top other ${Math.max(0, ...r.best.others).toFixed(3)}\n`
    : lineOf(r);

const lineOf = (r: AnomalyRun): string =>
  `${r.kind.padEnd(24)} seed ${String(r.seed).padStart(4)}  ${r.truePositive ? 'DETECTED' : 'MISSED  '}  fp ${r.falsePositives.length}\n` +
  r.fpExplanations.map((e) => `    FALSE POSITIVE ${e}\n`).join('') +
  (r.truePositive ? '' : '    (the injected actor was not flagged)\n');

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def: string): string => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? (process.argv[i + 1] ?? def) : def;
  };
  const from = Number(arg('--from', '27'));
  const to = Number(arg('--to', '46'));
  const lines = Number(arg('--lines', '60000'));
  const jobs = Number(arg('--jobs', '1'));
  const kinds = arg('--kinds', INJECTED_KINDS.join(',')).split(',') as InjectedKind[];
  const sweep = process.argv.includes('--sweep');
  const seeds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const runs: AnomalyRun[] = [];
  if (process.argv.includes('--child')) {
    // One child's share: runs as JSON lines on stdout.
    for (const seed of seeds)
      for (const kind of kinds) process.stdout.write(`${JSON.stringify(runFast(kind, seed, lines, sweep))}\n`);
  } else if (!process.argv.includes('--check')) {
    // Seeds dealt round-robin to `jobs` workers, each running one child process per seed.
    const runSeed = (seed: number): Promise<void> =>
      new Promise<void>((done, fail) => {
        let buf = '';
        const c = fork(
          process.argv[1] as string,
          [
            '--child',
            '--from',
            String(seed),
            '--to',
            String(seed),
            '--lines',
            String(lines),
            '--kinds',
            kinds.join(','),
            ...(sweep ? ['--sweep'] : []),
          ],
          { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: process.execArgv },
        );
        c.stdout?.on('data', (d: Buffer) => {
          buf += d.toString();
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const r = JSON.parse(buf.slice(0, nl)) as AnomalyRun;
            buf = buf.slice(nl + 1);
            runs.push(r);
            process.stdout.write(line(r));
          }
        });
        c.on('exit', (code) => (code === 0 ? done() : fail(new Error(`seed ${seed}: exit ${code}`))));
      });
    await Promise.all(
      Array.from({ length: jobs }, async (_, j) => {
        for (const seed of seeds.filter((_, i) => i % jobs === j)) await runSeed(seed);
      }),
    );
  } else {
    for (const seed of seeds)
      for (const kind of kinds) {
        const r = runFast(kind, seed, lines, sweep);
        runs.push(r);
        process.stdout.write(line(r));
        if (process.argv.includes('--check')) {
          const full = await runAnomalyScenario(kind, seed, lines);
          const same = JSON.stringify([...full.flagged].sort()) === JSON.stringify([...r.flagged].sort());
          process.stdout.write(
            `    full pipeline: ${same ? 'same entities flagged' : `DIFFERENT: ${full.flagged.join(',')}`}\n`,
          );
          if (!same) process.exitCode = 1;
        }
      }
  }
  if (!process.argv.includes('--child')) {
    runs.sort((a, b) => a.seed - b.seed || kinds.indexOf(a.kind) - kinds.indexOf(b.kind));
    process.stdout.write(`seeds ${from}-${to}\n${formatByKind(runs)}\n`);
    if (sweep) {
      const scored = runs as (AnomalyRun & { best?: { injected: number; others: number[] } })[];
      for (const th of [0.5, 0.52, 0.55, 0.57, 0.58, 0.59, 0.6, 0.62, 0.65]) {
        const tp = scored.filter((r) => (r.best?.injected ?? 0) >= th).length;
        const fp = scored.reduce((k, r) => k + (r.best?.others.filter((v) => v >= th).length ?? 0), 0);
        process.stdout.write(
          `threshold ${th}: recall ${(tp / scored.length).toFixed(3)} precision ${(tp / Math.max(1, tp + fp)).toFixed(3)} (tp ${tp} fp ${fp}; single windows, no confirmation)\n`,
        );
      }
      const lows = scored
        .map((r) => [r.best?.injected ?? 0, `${r.kind} ${r.seed}`] as const)
        .sort((a, b) => a[0] - b[0]);
      process.stdout.write(
        `lowest injected: ${lows
          .slice(0, 8)
          .map(([v, k]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}\n`,
      );
      const highs = scored.flatMap((r) => (r.best?.others ?? []).map((v) => [v, `${r.kind} ${r.seed}`] as const));
      highs.sort((a, b) => b[0] - a[0]);
      process.stdout.write(
        `highest others: ${highs
          .slice(0, 8)
          .map(([v, k]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}\n`,
      );
    }
  }
}
