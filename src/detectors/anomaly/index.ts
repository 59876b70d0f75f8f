import type { LearningConfig } from '../../config/learning.js';
import type { IdGenerator } from '../../core/ids.js';
import { type AnomalyDetector, type AnomalySettings, createAnomalyDetector } from './anomaly-detector.js';

export {
  ANOMALY_DETECTOR_NAME,
  type AnomalyDetector,
  type AnomalySettings,
  anomalyScenario,
  createAnomalyDetector,
  DRIFT_SCENARIO,
  type EntityState,
} from './anomaly-detector.js';
export { PROFILES, type ProfileName } from './features.js';

type DeepReadonly<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly<T[K]> : T[K] };

/** The detector's settings from the `learning:` config section (durations there are seconds). */
export function anomalySettings(learning: DeepReadonly<LearningConfig>): AnomalySettings {
  const a = learning.anomaly;
  return {
    windowMs: a.window * 1000,
    minEvents: a.min_events,
    threshold: a.threshold,
    minDeviation: a.min_deviation,
    warmup: a.warmup,
    learnForMs: a.learn_for * 1000,
    trees: a.trees,
    depth: a.depth,
    referenceSize: a.reference_size,
    maxEntities: a.max_entities,
    seed: a.seed,
    action: a.action,
    durationS: a.duration,
    drift: { perDay: learning.drift.per_day, influence: learning.drift.influence, warmup: learning.drift.warmup },
  };
}

/** Build the anomaly detector from config; undefined when `learning.anomaly.enabled` is false. */
export function anomalyFromConfig(
  learning: DeepReadonly<LearningConfig>,
  ids: IdGenerator,
): AnomalyDetector | undefined {
  return learning.anomaly.enabled ? createAnomalyDetector(anomalySettings(learning), ids) : undefined;
}
