import type { Detection } from './detection.js';
import type { Observation } from './event.js';

/**
 * A stage that adds fields to an event before detection, e.g. web-attack classification
 * (`attack.class`), threat-intel matches (`threat.indicator.*`) or a log template id. Enrichers
 * run in order, each seeing what the ones before it added, so scenarios can filter on their
 * fields. They may mutate `obs.event` (it is the pipeline's own copy) and never do I/O.
 *
 * @example
 * const tagger: EventEnricher = {
 *   name: 'web-attacks',
 *   enrich(obs) { if (looksLikeSqli(obs.event['url.original'])) obs.event['attack.class'] = 'sqli'; },
 * };
 */
export interface EventEnricher {
  /** Stable name, used in stats and error counters. */
  readonly name: string;
  /** Also run on lines no parser recognized, as a minimal event (see pipeline/unparsed.ts). */
  readonly acceptsUnparsed?: boolean;
  enrich(obs: Observation): void;
}

/**
 * A detector beside the scenario engine (Sigma rules, intel matches, anomaly models, novelty).
 * It sees every event after enrichment and returns its detections; the pipeline groups them
 * into incidents and decisions exactly like scenario detections.
 *
 * State that must survive a restart goes through `snapshot`/`restore`: the pipeline commits
 * the snapshot with the source checkpoints it matches, so a crash re-reads exactly the lines
 * after it on top of the matching state.
 */
export interface Detector {
  /** Stable name; the snapshot is stored under `detector:<name>`. */
  readonly name: string;
  /** Also see unparsed lines as minimal events (`event.dataset: unparsed`); default false. */
  readonly acceptsUnparsed?: boolean;
  process(obs: Observation): readonly Detection[];
  /** Advance event time with no event (close windows); optional. */
  tick?(time: number): readonly Detection[];
  snapshot?(): string;
  restore?(text: string): void;
}

/**
 * A check every detection passes before it becomes an incident or a decision, e.g. the
 * suppressions people accepted after a false-positive verdict (src/learning). Returns the id of
 * what suppressed it, or undefined to let it through. Pure and cheap: it runs per detection.
 */
export interface DetectionFilter {
  readonly name: string;
  suppressedBy(detection: Detection): string | undefined;
}
