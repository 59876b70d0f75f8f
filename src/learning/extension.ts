import type { Detector } from '../core/detector.js';
import { anomalyFromConfig } from '../detectors/anomaly/index.js';
import type { ExtensionFactory } from '../pipeline/extensions.js';
import { createImmuneMemoryDetector } from './immune-memory.js';
import { type LearningRepo, openLearningRepo } from './learning-repo.js';
import { createRecentRecorder } from './recent-recorder.js';
import { createSuppressionFilter } from './suppression-filter.js';

/** How often (wall clock) a running pipeline looks for new suppressions, memories and resets. */
const POLL_MS = 2000;

/**
 * Issue 6 in the pipeline: the anomaly model (always, unless disabled), and, when the pipeline
 * writes a durable store, what people taught it: accepted suppressions (a filter before
 * incidents and decisions), immune memory (a detector that bans a remembered attacker on its
 * first line), per-entity baseline resets, and the recent-events ring feedback replays use.
 * The learning tables are re-read only when their revision changes, checked every POLL_MS.
 */
export const LEARNING_EXTENSION: ExtensionFactory = {
  name: 'learning',
  create(ctx) {
    const learning = ctx.config.learning;
    const anomaly = anomalyFromConfig(learning, ctx.ids);
    const detectors: Detector[] = anomaly ? [anomaly] : [];
    if (ctx.storeDir === undefined) return { detectors };

    let repo: LearningRepo | undefined;
    const open = (): LearningRepo => {
      repo ??= openLearningRepo(ctx.storeDir as string);
      return repo;
    };
    const filter = createSuppressionFilter();
    const memory = createImmuneMemoryDetector({ ids: ctx.ids, banDurationS: learning.memory.ban_duration });
    let rev = -1;
    let lastPoll = Number.NEGATIVE_INFINITY;
    let lastReset = 0;
    let started = false;
    const sync = (): void => {
      const now = ctx.clock.now();
      if (now - lastPoll < POLL_MS) return;
      lastPoll = now;
      const r = open();
      const current = r.rev();
      if (current === rev) return;
      rev = current;
      filter.load(r.listSuppressions('active'));
      if (learning.memory.enabled) memory.load(r.listMemories(now));
      for (const reset of r.resets(lastReset)) {
        // Resets requested before this pipeline started are already in the stored snapshot
        // (`leuko baselines reset` edits it too); later ones reach the running model here.
        if (started) anomaly?.resetEntity(reset.entity);
        lastReset = reset.id;
      }
      started = true;
    };
    sync();

    const recorder =
      learning.recent_events.max > 0
        ? createRecentRecorder({
            repo: open,
            max: learning.recent_events.max,
            maxAgeMs: learning.recent_events.max_age * 1000,
          })
        : undefined;
    const syncing: Detector = {
      name: 'learning-sync',
      process() {
        sync();
        return [];
      },
    };
    return {
      detectors: [syncing, ...(learning.memory.enabled ? [memory] : []), ...detectors, ...(recorder ? [recorder] : [])],
      filters: [filter],
      close() {
        repo?.close();
        repo = undefined;
      },
    };
  },
};
