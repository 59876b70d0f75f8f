import { describe, expect, it } from 'vitest';
import { INJECTED_KINDS } from '../../bench/anomaly-scenarios.js';
import { type AnomalyRun, runAnomalyScenario, scoreRuns } from '../../bench/anomaly.js';

/**
 * Acceptance 2 of issue 6: a realistic generated web log (a shop's ordinary day and a half:
 * browsing sessions, crawlers, monitors, app API clients, editors) with ONE injected novel
 * behaviour per scenario, replayed through the real pipeline with the default `learning:`
 * config. The injected actor must get an anomaly detection naming its driving features; the
 * ordinary traffic around it must not, and no scenario rule catches the injected actor.
 *
 * Floors: precision >= 0.85 (at most about one ordinary client flagged per eight runs: the
 * model is tuned for precision, ordinary traffic must not alert) and recall >= 0.75 (three of the
 * four behaviours on every seed). Measured: seeds 1-3 (where the defaults were chosen), 12 runs,
 * recall 1.0 and precision 0.92; seeds 4-5 here (held out), 8 runs, recall 0.75 and precision
 * 1.0: the low-rate credential stuffer (about 20 requests per 10-minute window) sits at the
 * `min_events` gate, so on these seeds most of its windows are not scored. Lowering the gate to
 * 15 was tried and is worse (more noisy ordinary windows, fewer detections).
 */
const SEEDS = [4, 5];

describe('anomaly model over seeded scenarios (acceptance 2)', () => {
  const runs: AnomalyRun[] = [];

  for (const kind of INJECTED_KINDS) {
    for (const seed of SEEDS) {
      it(`${kind} seed ${seed}`, { timeout: 120_000 }, async () => {
        const r = await runAnomalyScenario(kind, seed);
        runs.push(r);
        expect(r.ruleHits, 'a scenario rule caught the injected actor: the scenario is not novel').toEqual([]);
        if (r.truePositive) {
          // The explanation names features with their share of the score and the population median.
          expect(r.explanation).toMatch(
            /anomaly score 0\.\d\d, threshold 0\.60\): \w+ [\d.,]+ vs median [\d.,]+ \(typical/,
          );
          expect(r.explanation).toMatch(/: \+0\.\d\d/);
        }
      });
    }
  }

  it('precision and recall over all runs', () => {
    const s = scoreRuns(runs);
    const table = runs.map(
      (r) =>
        `${r.kind.padEnd(19)} seed ${r.seed}: ${r.truePositive ? 'detected' : 'MISSED'}, ${r.falsePositives.length} false positive(s)`,
    );
    process.stdout.write(
      `${table.join('\n')}\nprecision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)} (tp ${s.tp} fp ${s.fp} fn ${s.fn})\n`,
    );
    expect(runs).toHaveLength(INJECTED_KINDS.length * SEEDS.length);
    expect(s.recall).toBeGreaterThanOrEqual(0.75);
    expect(s.precision).toBeGreaterThanOrEqual(0.85);
  });
});
