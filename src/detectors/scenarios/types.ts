import type { Detection, RemediationHint, Severity } from '../../core/detection.js';
import type { EntityType } from '../../core/entity.js';
import type { Observation } from '../../core/event.js';
import type { CompiledFilter } from './filter/compile-filter.js';
import type { ExplainTemplate } from './explain.js';

export type ScenarioKind = 'leaky' | 'trigger' | 'window' | 'cadence' | 'sequence' | 'distributed';

/** A scenario problem found while loading, with where it is and how to fix it. */
export interface RuleIssue {
  readonly file: string;
  /** 1-based line, 0 when unknown. */
  readonly line: number;
  /** Dotted path of the key, e.g. `filter.url.original|contains`. */
  readonly key: string;
  readonly message: string;
  readonly hint?: string;
  readonly severity?: 'error' | 'warning';
}

/** Kind-specific parameters, all times in milliseconds. */
export type KindParams =
  | { readonly kind: 'leaky'; readonly capacity: number; readonly leakMs: number }
  | { readonly kind: 'trigger' }
  | {
      readonly kind: 'window';
      readonly windowMs: number;
      readonly threshold: number;
      readonly mode: 'sliding' | 'fixed';
      /** `threshold`: fire as soon as it is reached; `close`: fire when a fixed window ends. */
      readonly report: 'threshold' | 'close';
      /** Count distinct values of this field instead of events. */
      readonly countDistinct?: string;
    }
  | {
      readonly kind: 'cadence';
      readonly minEvents: number;
      readonly minMedianIntervalMs: number;
      readonly idleMs: number;
    }
  | {
      readonly kind: 'sequence';
      readonly windowMs: number;
      readonly threshold: number;
      /** false: the `followed_by` event may come before the filter events (see kinds/sequence.ts). */
      readonly ordered: boolean;
    }
  | {
      readonly kind: 'distributed';
      readonly sourceField: string;
      readonly windowMs: number;
      readonly threshold: number;
    };

/** A loaded, compiled scenario, ready for the engine. */
export interface Scenario {
  /** Stable id, e.g. `leuko/ssh-bf`. */
  readonly name: string;
  readonly description: string;
  readonly params: KindParams;
  readonly filter: CompiledFilter;
  readonly cancelOn?: CompiledFilter;
  /** `sequence` scenarios: the event that completes the sequence and fires. */
  readonly followedBy?: CompiledFilter;
  readonly groupBy: readonly string[];
  /** Used for a missing group field instead of ignoring the event. */
  readonly groupDefault?: string;
  /** CrowdSec `distinct`: first present field's value; an event whose value is already in the bucket is not poured. */
  readonly distinct?: readonly string[];
  readonly blackholeMs: number;
  readonly entity: { readonly type: EntityType; readonly field?: string };
  readonly techniques: readonly string[];
  readonly severity: Severity;
  readonly confidence: number;
  readonly remediation?: RemediationHint;
  /** Labels with a fixed value. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels whose value has placeholders, rendered per detection like the explanation. */
  readonly labelTemplates?: Readonly<Record<string, ExplainTemplate>>;
  readonly explain: ExplainTemplate;
  readonly maxBuckets: number;
  /** Where it was defined, for messages. */
  readonly source: { readonly file: string; readonly line: number };
}

export interface ScenarioStats {
  poured: number;
  detections: number;
  buckets: number;
  evictions: number;
  cancels: number;
  blackholed: number;
}

export interface ScenarioEngineStats {
  events: number;
  detections: number;
  buckets: number;
  /** Buckets dropped because a scenario reached `max_buckets` (least recently used first). */
  evictions: number;
  /** Idle buckets deleted by event-time garbage collection. */
  collected: number;
  perScenario: Record<string, ScenarioStats>;
}

export interface ScenarioEngine {
  process(obs: Observation): Detection[];
  /** Advance event time without an event (flush expired windows). */
  tick(time: number): Detection[];
  snapshot(): string;
  restore(text: string): void;
  stats(): ScenarioEngineStats;
  readonly scenarios: readonly Scenario[];
}
