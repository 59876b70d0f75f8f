/**
 * The anomaly model over seeded scenarios (bench/anomaly-scenarios.ts): each log goes through
 * the real pipeline (`replayFiles`, nginx parser, scenario engine, anomaly detector); anomaly
 * detections are scored against the one injected actor.
 *
 *   npx tsx bench/anomaly.ts [--seeds 5] [--lines 60000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { learningSchema } from '../src/config/learning.js';
import { createManualClock } from '../src/core/clock.js';
import { createSequentialIds } from '../src/core/ids.js';
import { anomalyFromConfig } from '../src/detectors/anomaly/index.js';
import { replayFiles } from '../src/pipeline/replay.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../src/pipeline/settings.js';
import { createEphemeralStore } from '../src/store/index.js';
import { generateAnomalyScenario, INJECTED_KINDS, type InjectedKind } from './anomaly-scenarios.js';

export interface AnomalyRun {
  readonly kind: InjectedKind;
  readonly seed: number;
  readonly lines: number;
  /** Distinct entities with an anomaly detection. */
  readonly flagged: readonly string[];
  readonly truePositive: boolean;
  readonly falsePositives: readonly string[];
  /** Scenario (rule) detections on the injected actor: should be none. */
  readonly ruleHits: readonly string[];
  readonly drifts: number;
  readonly explanation: string | undefined;
  readonly fpExplanations: readonly string[];
  readonly ms: number;
}

export async function runAnomalyScenario(
  kind: InjectedKind,
  seed: number,
  lines = 60_000,
  learning: unknown = {},
): Promise<AnomalyRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-anomaly-'));
  try {
    const file = path.join(dir, 'access.log');
    const sc = generateAnomalyScenario({ kind, seed, path: file, lines });
    const ids = createSequentialIds();
    const detector = anomalyFromConfig(learningSchema.parse(learning), ids);
    const started = performance.now();
    const result = await replayFiles({
      paths: [file],
      format: 'nginx',
      settings: DEFAULT_PIPELINE_SETTINGS,
      store: createEphemeralStore(),
      clock: createManualClock(0),
      ids,
      extensions: { detectors: detector ? [detector] : [] },
    });
    const ms = performance.now() - started;
    const anomalies = result.detections.filter((d) => d.scenario.startsWith('leuko/anomaly-'));
    const flagged = [...new Set(anomalies.map((d) => d.entity.value))];
    return {
      kind,
      seed,
      lines: sc.lines,
      flagged,
      truePositive: flagged.includes(sc.injected),
      falsePositives: flagged.filter((v) => v !== sc.injected),
      ruleHits: result.detections
        .filter((d) => !d.scenario.startsWith('leuko/anomaly-') && d.scenario !== 'leuko/baseline-drift')
        .filter((d) => d.entity.value === sc.injected)
        .map((d) => d.scenario),
      drifts: result.detections.filter((d) => d.scenario === 'leuko/baseline-drift').length,
      explanation: anomalies.find((d) => d.entity.value === sc.injected)?.explanation,
      fpExplanations: anomalies.filter((d) => d.entity.value !== sc.injected).map((d) => d.explanation),
      ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Precision and recall over runs: recall per injected actor, precision per flagged entity. */
export function scoreRuns(runs: readonly AnomalyRun[]): {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
} {
  const tp = runs.filter((r) => r.truePositive).length;
  const fn = runs.length - tp;
  const fp = runs.reduce((n, r) => n + r.falsePositives.length, 0);
  return {
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: runs.length === 0 ? 1 : tp / runs.length,
  };
}

export async function benchAnomaly(seeds: readonly number[], lines = 60_000): Promise<AnomalyRun[]> {
  const runs: AnomalyRun[] = [];
  for (const kind of INJECTED_KINDS) for (const seed of seeds) runs.push(await runAnomalyScenario(kind, seed, lines));
  return runs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def: number): number => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : def;
  };
  const seeds = Array.from({ length: arg('--seeds', 3) }, (_, i) => i + 1);
  const runs = await benchAnomaly(seeds, arg('--lines', 60_000));
  for (const r of runs) {
    process.stdout.write(
      `${r.kind.padEnd(19)} seed ${r.seed}  lines ${r.lines}  ${r.truePositive ? 'DETECTED' : 'missed  '}  fp ${r.falsePositives.length}  rules ${r.ruleHits.length}  drift ${r.drifts}  ${Math.round(r.ms)} ms\n`,
    );
    if (r.explanation) process.stdout.write(`    ${r.explanation}\n`);
  }
  const s = scoreRuns(runs);
  process.stdout.write(
    `precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})\n`,
  );
}
