import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateServiceScenario, type InjectionKind, scoreScenario } from '../../bench/drain-scenario.js';
import { loadRuntime } from '../../src/cli/context.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { systemClock } from '../../src/core/clock.js';
import { buildExtensions } from '../../src/pipeline/extensions.js';
import { replayFiles } from '../../src/pipeline/replay.js';
import { createEphemeralStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';

/**
 * Issue 6 acceptance 2 (template part): a replay of a realistic generated service log with one
 * injected novel behaviour after the learning period — a service starting to log a new error,
 * or an ordinary template's rate leaving its band — is detected, and the ordinary traffic
 * around it is not. Precision and recall over several seeds.
 */
const CONFIG = `templates:
  enabled: true
  novelty:
    learning_period: 2h
    window: 5m
`;

function setup(): { dir: string; config: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-novelty-'));
  const config = path.join(dir, 'leuko.yaml');
  writeFileSync(config, CONFIG);
  return { dir, config };
}

describe('novelty on generated service logs', () => {
  it('flags exactly the injected behaviour over seeded scenarios (precision and recall 1)', async () => {
    const { dir, config } = setup();
    const runtime = loadRuntime({ config });
    if (!runtime) throw new Error('config did not load');
    let tp = 0;
    let fp = 0;
    let detected = 0;
    let scenarios = 0;
    const misses: string[] = [];
    for (const kind of ['new-template', 'rate-spike'] as InjectionKind[]) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const s = generateServiceScenario({ seed, kind });
        const file = path.join(dir, `${kind}-${seed}.log`);
        writeFileSync(file, `${s.lines.join('\n')}\n`);
        const ids = createSequentialIds();
        const result = await replayFiles({
          paths: [file],
          format: 'auto',
          settings: runtime.settings,
          store: createEphemeralStore(),
          clock: systemClock,
          ids,
          extensions: buildExtensions({ config: runtime.config, baseDir: dir, clock: systemClock, ids }),
        });
        const score = scoreScenario(s, result.detections);
        scenarios++;
        tp += score.tp;
        fp += score.fp;
        if (score.detected) detected++;
        else misses.push(`${kind} seed ${seed}: ${s.signature} not detected`);
        misses.push(...score.falseAlerts.map((a) => `${kind} seed ${seed}: false alert ${a}`));
      }
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = detected / scenarios;
    expect(misses).toEqual([]);
    expect(precision).toBe(1);
    expect(recall).toBe(1);
  }, 120_000);

  it('through `leuko replay`: the new error template is an alert naming template, examples and expected rate', () => {
    const { dir, config } = setup();
    const s = generateServiceScenario({ seed: 42, kind: 'new-template' });
    const file = path.join(dir, 'app.log');
    writeFileSync(file, `${s.lines.join('\n')}\n`);
    const r = runCli(['-c', config, 'replay', '--json', file]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      alerts: { scenario: string; explanation: string; entity: { type: string } }[];
    };
    const novelty = out.alerts.filter(
      (a) => a.scenario.startsWith('leuko/novel') || a.scenario === 'leuko/template-rate',
    );
    expect(novelty).toHaveLength(1);
    const [a] = novelty;
    expect(a?.scenario).toBe('leuko/novel-template');
    expect(a?.entity.type).toBe('service');
    expect(a?.explanation).toContain(s.signature);
    expect(a?.explanation).toMatch(/expected rate 0 per 300 s/);
    expect(a?.explanation).toMatch(/first: "/);
  }, 60_000);
});
