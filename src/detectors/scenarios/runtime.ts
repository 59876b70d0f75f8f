import type { EcsEvent } from '../../core/event.js';
import type { Bucket } from './bucket.js';
import type { EventFields } from './event-fields.js';
import { bindExplain, type ExplainTemplate } from './explain.js';
import type { CompiledFilter, Predicate } from './filter/compile-filter.js';
import { matchedEntry } from './filter/matched-entry.js';
import { createCadenceHandler } from './kinds/cadence.js';
import { createDistributedHandler } from './kinds/distributed.js';
import type { KindHandler } from './kinds/handler.js';
import { createLeakyHandler } from './kinds/leaky.js';
import { createSequenceHandler } from './kinds/sequence.js';
import { TimeHeap } from './kinds/time-heap.js';
import type { KeyTable } from './key-table.js';
import { createTriggerHandler } from './kinds/trigger.js';
import { createWindowHandler } from './kinds/window.js';
import type { Scenario, ScenarioStats } from './types.js';

/** One scenario's live state in an engine, with everything the hot path needs precomputed. */
export interface Runtime {
  readonly sc: Scenario;
  readonly handler: KindHandler;
  /** Group keys to slots, shared by all the engine's runtimes (see key-table.ts). */
  readonly keys: KeyTable;
  /**
   * Live buckets by key slot (each holds its slot in `keys`); `size` of them. Slot order means
   * nothing; `Bucket.touched` orders buckets by recency (LRU eviction).
   */
  bySlot: (Bucket | undefined)[];
  size: number;
  /** Last recency stamp handed out. */
  clock: number;
  /** The explanation template with the scenario-only placeholders written out. */
  readonly explain: ExplainTemplate;
  /** Templated labels, bound the same way. */
  readonly labelTemplates: readonly (readonly [string, ExplainTemplate])[];
  readonly hasLabels: boolean;
  /** Label of the filter's list entry an event matched on a field (`{matched:<field>}`). */
  readonly matched: (field: string, event: EcsEvent) => string | undefined;
  /** Blackhole end by key slot, NO_HOLE when none (each held in `keys`); `holeCount` of them. */
  holes: Float64Array;
  holeCount: number;
  /**
   * Buckets by the event time they drain at (`KindHandler.drainsAt`), and blackholes (slots) by
   * their end: a sweep visits only what is due instead of every bucket. Entries of buckets that
   * are gone are skipped when popped; a bucket poured since is pushed back with its new time.
   */
  readonly expiry: TimeHeap<Bucket>;
  readonly holeExpiry: TimeHeap<number>;
  /** Buckets out of use, cleared, for reuse (see `release`). */
  readonly spare: Bucket[];
  readonly stats: ScenarioStats;
  readonly tracked: readonly string[];
  readonly trackedSlots: readonly number[];
  /** Slots (in EventFields) of the event value the kind needs: distinct, counted or source field(s). */
  readonly valueSlots: readonly number[] | undefined;
  readonly closeMode: boolean;
  nextClose: number;
  /**
   * Slot of the filter, and of the second filter (-1: none), in the per-event memo of filter
   * results: `cancel_on`, or for a sequence its `followed_by` (see `completes`).
   */
  readonly filterSlot: number;
  readonly cancelSlot: number;
  /** The second filter is a sequence's `followed_by`: it fires an armed bucket instead of cancelling. */
  readonly completes: boolean;
  /** Slots of the group fields, and of the one field when there is exactly one (no join), else -1. */
  readonly groupSlots: readonly number[];
  readonly groupSlot: number;
  readonly entitySlot: number;
}

function handlerFor(sc: Scenario): KindHandler {
  const p = sc.params;
  switch (p.kind) {
    case 'leaky':
      return createLeakyHandler(p.capacity, p.leakMs, sc.distinct !== undefined);
    case 'trigger':
      return createTriggerHandler();
    case 'window':
      return createWindowHandler(
        p.windowMs,
        p.threshold,
        p.mode,
        p.report,
        p.countDistinct ? 'count' : sc.distinct ? 'distinct' : 'none',
      );
    case 'cadence':
      return createCadenceHandler(p.minEvents, p.minMedianIntervalMs, p.idleMs, sc.distinct !== undefined);
    case 'sequence':
      return createSequenceHandler(p.windowMs, p.threshold, !p.ordered);
    case 'distributed':
      return createDistributedHandler(p.windowMs, p.threshold);
  }
}

function valueFieldsFor(sc: Scenario): readonly string[] | undefined {
  const p = sc.params;
  if (p.kind === 'distributed') return [p.sourceField];
  if (p.kind === 'window' && p.countDistinct) return [p.countDistinct];
  return sc.distinct;
}

/** Per dispatched dataset: the runtimes to step, and each filter slot's test for that dataset. */
export interface Plan {
  readonly runtimes: readonly Runtime[];
  readonly tests: readonly Predicate[];
  /**
   * The distinct filter and cancel slots of those runtimes: a line none of them matches (cron,
   * sessions, sudo... most of a log) skips the runtimes altogether.
   */
  readonly gates: readonly number[];
  /**
   * Second dispatch level, on `event.action`: per action named by some runtime's filters, the
   * runtimes whose filter or second filter could match a line carrying it (see `byAction`).
   * Undefined when no runtime of the plan pins an action.
   */
  readonly byAction: ReadonlyMap<string, Plan> | undefined;
  /** The runtimes left for a line with no action, or one no filter of the plan names. */
  readonly unnamed: Plan | undefined;
}

/**
 * Runtimes for the scenarios, and the distinct filters: scenarios sharing a filter (same
 * canonical key) share its slot, so the engine tests it once per event.
 */
export function createRuntimes(
  scenarios: readonly Scenario[],
  fields: EventFields,
  keys: KeyTable,
): { runtimes: Runtime[]; slotFilters: CompiledFilter[] } {
  const slotByKey = new Map<string, number>();
  const slotFilters: CompiledFilter[] = [];
  const slotOf = (f: CompiledFilter): number => {
    let slot = slotByKey.get(f.key);
    if (slot === undefined) {
      slot = slotFilters.length;
      slotByKey.set(f.key, slot);
      slotFilters.push(f);
    }
    return slot;
  };
  const runtimes: Runtime[] = scenarios.map((sc) => {
    const labelTemplates = Object.entries(sc.labelTemplates ?? {}).map(
      ([name, t]) => [name, bindExplain(t, sc.params, sc.blackholeMs)] as const,
    );
    const tracked = new Set([...sc.explain.trackedFields, ...labelTemplates.flatMap(([, t]) => t.trackedFields)]);
    if (sc.params.kind === 'distributed') tracked.add(sc.params.sourceField);
    const groupSlots = sc.groupBy.map((f) => fields.slot(f));
    return {
      sc,
      handler: handlerFor(sc),
      keys,
      bySlot: [],
      size: 0,
      clock: 0,
      explain: bindExplain(sc.explain, sc.params, sc.blackholeMs),
      labelTemplates,
      hasLabels: Object.keys(sc.labels).length > 0 || labelTemplates.length > 0,
      matched: (field, event) => matchedEntry(sc.filter.lists, field, event),
      holes: new Float64Array(0),
      holeCount: 0,
      expiry: new TimeHeap<Bucket>(),
      holeExpiry: new TimeHeap<number>(),
      spare: [],
      stats: { poured: 0, detections: 0, buckets: 0, evictions: 0, cancels: 0, blackholed: 0 },
      tracked: [...tracked],
      trackedSlots: [...tracked].map((f) => fields.slot(f)),
      valueSlots: valueFieldsFor(sc)?.map((f) => fields.slot(f)),
      closeMode: sc.params.kind === 'window' && sc.params.report === 'close',
      nextClose: Number.POSITIVE_INFINITY,
      filterSlot: slotOf(sc.filter),
      cancelSlot: sc.cancelOn ? slotOf(sc.cancelOn) : sc.followedBy ? slotOf(sc.followedBy) : -1,
      completes: sc.followedBy !== undefined,
      groupSlots,
      groupSlot: groupSlots.length === 1 ? groupSlots[0]! : -1,
      entitySlot: sc.entity.field === undefined ? -1 : fields.slot(sc.entity.field),
    };
  });
  return { runtimes, slotFilters };
}

/** Dispatch index: dataset -> runtimes that can match it (pinned ones plus the unpinned). */
export function buildPlans(
  runtimes: readonly Runtime[],
  slotFilters: readonly CompiledFilter[],
): { byDataset: Map<string, Plan>; wildcardPlan: Plan } {
  const wildcard: Runtime[] = [];
  const pinned = new Map<string, Runtime[]>();
  for (const rt of runtimes) {
    const a = rt.sc.filter.datasets;
    const second = rt.sc.cancelOn ?? rt.sc.followedBy;
    const b = second ? second.datasets : [];
    if (a === undefined || b === undefined) {
      wildcard.push(rt);
      continue;
    }
    for (const ds of new Set([...a, ...b])) pinned.set(ds, [...(pinned.get(ds) ?? []), rt]);
  }
  // A filter skips its own `event.dataset` test on lines of a dataset it pins.
  const testsFor = (ds: string | undefined): Predicate[] =>
    slotFilters.map((f) => (ds !== undefined && f.datasets?.includes(ds) ? f.testDispatched : f.test));
  const wildcardPlan = planOf(wildcard, testsFor(undefined));
  const byDataset = new Map<string, Plan>();
  for (const [ds, list] of pinned) {
    const planned = runtimes.filter((r) => list.includes(r) || wildcard.includes(r));
    byDataset.set(ds, planOf(planned, testsFor(ds)));
  }

  return { byDataset, wildcardPlan };
}

function gatesOf(list: readonly Runtime[]): number[] {
  return [...new Set(list.flatMap((r) => (r.cancelSlot >= 0 ? [r.cancelSlot, r.filterSlot] : [r.filterSlot])))];
}

/**
 * The `event.action` values under which the runtime can act, or undefined when any line may
 * concern it: its filter and its second filter (cancel_on, followed_by) must both pin some.
 */
function actionsOf(rt: Runtime): ReadonlySet<string> | undefined {
  const a = rt.sc.filter.actions;
  if (a === undefined) return undefined;
  const second = rt.sc.cancelOn ?? rt.sc.followedBy;
  if (second === undefined) return a;
  const b = second.actions;
  return b === undefined ? undefined : new Set([...a, ...b]);
}

/**
 * A plan for `list`, with its dispatch on `event.action`: a line whose action no filter of a
 * runtime names is one that runtime's `step` would pass over (neither filter can match), so
 * the sub-plans leave it out, in the same order otherwise (detections come out the same).
 */
function planOf(list: readonly Runtime[], tests: readonly Predicate[]): Plan {
  const pins = list.map(actionsOf);
  const named = new Set<string>();
  for (const p of pins) if (p !== undefined) for (const a of p) named.add(a);
  if (named.size === 0) return { runtimes: list, tests, gates: gatesOf(list), byAction: undefined, unnamed: undefined };
  const sub = (keep: (p: ReadonlySet<string> | undefined) => boolean): Plan => {
    const runtimes = list.filter((_, i) => keep(pins[i]));
    return { runtimes, tests, gates: gatesOf(runtimes), byAction: undefined, unnamed: undefined };
  };
  const byAction = new Map<string, Plan>();
  for (const a of named) {
    const canAct = (p: ReadonlySet<string> | undefined): boolean => p === undefined || p.has(a);
    byAction.set(a, sub(canAct));
  }
  return { runtimes: list, tests, gates: gatesOf(list), byAction, unnamed: sub((p) => p === undefined) };
}
