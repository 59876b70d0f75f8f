import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { createSequentialIds } from '../../core/ids.js';
import {
  ANOMALY_DETECTOR_NAME,
  anomalySettings,
  createAnomalyDetector,
  PROFILES,
  type ProfileName,
} from '../../detectors/anomaly/index.js';
import { openLearningRepo } from '../../learning/learning-repo.js';
import { detectorStateKey } from '../../pipeline/processor.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { openStoreAt } from '../runtime-store.js';
import { fail, iso, printJson, printTable } from '../output.js';

/**
 * `leuko baselines list|show ENTITY|reset ENTITY`: the anomaly model's per-entity baselines as
 * the daemon last committed them (store state `detector:anomaly`). `reset` removes the entity
 * from the stored model and queues the reset for a running daemon, which applies it within
 * seconds; both are audited.
 */
export function registerBaselines(program: Command): void {
  const cmd = program.command('baselines').description('per-entity behaviour baselines of the anomaly model');

  cmd
    .command('list', { isDefault: true })
    .description('models and entities with a baseline')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'entities per profile', '50')
    .action(async (opts: { json?: boolean; limit: string }, c: Command) =>
      withModel(c, async ({ detector }) => {
        const rows = Object.keys(PROFILES).flatMap((p) =>
          [...detector.entities(p as ProfileName)]
            .filter(([, e]) => e.baseline)
            .slice(-Number(opts.limit || 50))
            .map(([key, e]) => ({
              profile: p,
              entity: key,
              windows: e.baseline?.windows ?? 0,
              since: e.baseline?.since ?? 0,
            })),
        );
        if (opts.json) return printJson({ models: detector.summary(), entities: rows });
        printTable(
          ['profile', 'learned windows', 'scored', 'anomalies', 'entities', 'ready'],
          detector
            .summary()
            .map((s) => [s.profile, s.learned, s.scored, s.alerts, s.entities, s.ready ? 'yes' : 'learning']),
        );
        printTable(
          ['profile', 'entity', 'windows', 'since'],
          rows.map((r) => [r.profile, r.entity, r.windows, iso(r.since)]),
        );
      }),
    );

  cmd
    .command('show')
    .description("one entity's baseline per feature, with its daily drift")
    .argument('<entity>', 'address, user name or service')
    .option('--json', 'print JSON')
    .action(async (entity: string, opts: { json?: boolean }, c: Command) =>
      withModel(c, async ({ detector }) => {
        const found = Object.values(PROFILES).flatMap((spec) => {
          const e = new Map(detector.entities(spec.name)).get(entity);
          return e?.baseline ? [{ spec, baseline: e.baseline, judged: e.judged ?? 0, vouched: e.vouched ?? [] }] : [];
        });
        if (found.length === 0) return fail(`no baseline for ${entity}`, 1);
        if (opts.json)
          return printJson(
            found.map((f) => ({ profile: f.spec.name, ...f.baseline, judged: f.judged, vouched: f.vouched })),
          );
        for (const { spec, baseline, judged, vouched } of found) {
          process.stdout.write(
            `${spec.name} ${spec.entity}:${entity}: ${baseline.windows} windows since ${iso(baseline.since)}, ` +
              `${judged} judged ordinary by the population` +
              (vouched.length > 0
                ? `; vouched for ${vouched.map(([k, t]) => `${k} (${iso(t)})`).join(', ')} as doing its usual work`
                : '') +
              '\n',
          );
          printTable(
            ['feature', 'baseline', 'scale', 'today moved', 'pushed toward'],
            spec.features.map((f, i) => {
              const b = baseline.features[i];
              const shown = (v: number) => (f.kind === 'count' ? Math.expm1(v).toFixed(1) : v.toFixed(3));
              return b
                ? [f.name, shown(b.b), b.s.toFixed(3), (b.b - b.anchor).toFixed(3), shown(b.shadow)]
                : [f.name, '-', '-', '-', '-'];
            }),
          );
        }
      }),
    );

  cmd
    .command('reset')
    .description("forget one entity's baselines and history (the model relearns it)")
    .argument('<entity>', 'address, user name or service')
    .action(async (entity: string, _opts: unknown, c: Command) =>
      withModel(c, async ({ detector, store, storeDir, text }) => {
        const removed = text === undefined ? 0 : detector.resetEntity(entity);
        const repo = openLearningRepo(storeDir);
        try {
          repo.requestReset(entity, systemClock.now());
        } finally {
          repo.close();
        }
        await store.commit({
          ...(removed > 0
            ? { state: [{ key: detectorStateKey(ANOMALY_DETECTOR_NAME), value: detector.snapshot?.() ?? '' }] }
            : {}),
          audit: [
            {
              kind: 'operator',
              action: 'baseline.reset',
              subject: entity,
              actor: 'cli',
              at: systemClock.now(),
              data: { entity, removedFromStoredModel: removed },
            },
          ],
        });
        process.stdout.write(
          `reset ${entity}: ${removed} stored record(s) removed; a running daemon applies it within seconds\n`,
        );
      }),
    );
}

async function withModel(
  c: Command,
  fn: (m: {
    detector: ReturnType<typeof createAnomalyDetector>;
    store: Awaited<ReturnType<typeof openStoreAt>>;
    storeDir: string;
    text: string | undefined;
  }) => Promise<void>,
): Promise<void> {
  const runtime = loadRuntime(c.optsWithGlobals() as RuntimeOptions);
  if (!runtime) return;
  const store = await openStoreAt(runtime.storeDir);
  try {
    const detector = createAnomalyDetector(anomalySettings(runtime.config.learning), createSequentialIds());
    const text = await store.loadState(detectorStateKey(ANOMALY_DETECTOR_NAME));
    if (text !== undefined) detector.restore?.(text);
    await fn({ detector, store, storeDir: runtime.storeDir, text });
  } finally {
    await store.close();
  }
}
