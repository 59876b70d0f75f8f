import type { Detection, Evidence } from '../../core/detection.js';
import { LeukoError } from '../../core/errors.js';
import type { EcsEvent, Observation } from '../../core/event.js';
import { fieldString } from '../../core/event.js';
import type { IdGenerator } from '../../core/ids.js';
import { type Bucket, evidenceOf, isBucket, newBucket, recordPour, TRACKED_CAP } from './bucket.js';
import { renderExplain } from './explain.js';
import type { MatchContext } from './filter/compile-filter.js';
import { createCadenceHandler } from './kinds/cadence.js';
import { createDistributedHandler } from './kinds/distributed.js';
import { FIRE, type KindHandler, SKIP } from './kinds/handler.js';
import { createLeakyHandler } from './kinds/leaky.js';
import { createTriggerHandler } from './kinds/trigger.js';
import { createWindowHandler } from './kinds/window.js';
import type { Scenario, ScenarioEngine, ScenarioEngineStats, ScenarioStats } from './types.js';

/** How far event time moves between garbage-collection sweeps. */
const SWEEP_EVERY_MS = 60_000;
const SNAPSHOT_VERSION = 1;
const MAX_SOURCES_LABEL = 50;

interface Runtime {
  readonly sc: Scenario;
  readonly handler: KindHandler;
  /** Insertion order is recency order: a touched bucket is re-inserted (LRU). */
  buckets: Map<string, Bucket>;
  blackholes: Map<string, number>;
  readonly stats: ScenarioStats;
  readonly tracked: readonly string[];
  /** Which event value the kind needs: distinct, counted or source field(s). */
  readonly valueFields: readonly string[] | undefined;
  readonly closeMode: boolean;
  nextClose: number;
  /** Reached only through the dataset index for datasets the filter pins: skip that test. */
  pinnedFilter: boolean;
  pinnedCancel: boolean;
  /** Most recently touched key: touching it again needs no LRU reordering. */
  lastKey: string | undefined;
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

function firstValue(ev: EcsEvent, fields: readonly string[]): string | undefined {
  for (const f of fields) {
    const v = fieldString(ev, f);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/**
 * The stateful scenario engine: event-time driven (no wall clock), deterministic, with bounded
 * memory. Each line only runs the scenarios whose filter can match its `event.dataset`.
 *
 * @example
 * const engine = createScenarioEngine(loadScenarios([builtinScenarioDir()]).scenarios, { ids });
 * for (const obs of observations) for (const d of engine.process(obs)) console.log(d.explanation);
 */
export function createScenarioEngine(scenarios: readonly Scenario[], deps: { ids: IdGenerator }): ScenarioEngine {
  const runtimes: Runtime[] = scenarios.map((sc) => {
    const tracked = new Set(sc.explain.trackedFields);
    if (sc.params.kind === 'distributed') tracked.add(sc.params.sourceField);
    return {
      sc,
      handler: handlerFor(sc),
      buckets: new Map(),
      blackholes: new Map(),
      stats: { poured: 0, detections: 0, buckets: 0, evictions: 0, cancels: 0, blackholed: 0 },
      tracked: [...tracked],
      valueFields: valueFieldsFor(sc),
      closeMode: sc.params.kind === 'window' && sc.params.report === 'close',
      nextClose: Number.POSITIVE_INFINITY,
      pinnedFilter: false,
      pinnedCancel: false,
      lastKey: undefined,
    };
  });
  const byName = new Map(runtimes.map((r) => [r.sc.name, r]));
  const closers = runtimes.filter((r) => r.closeMode);

  // Dispatch index: dataset -> runtimes that can match it (pinned ones plus the unpinned).
  const wildcard: Runtime[] = [];
  const pinned = new Map<string, Runtime[]>();
  for (const rt of runtimes) {
    const a = rt.sc.filter.datasets;
    const b = rt.sc.cancelOn ? rt.sc.cancelOn.datasets : [];
    if (a === undefined || b === undefined) {
      wildcard.push(rt);
      continue;
    }
    // A filter may skip its dataset test when every dataset routed here is one it pins.
    rt.pinnedFilter = b.every((x) => a.includes(x));
    rt.pinnedCancel = a.every((x) => b.includes(x));
    for (const ds of new Set([...a, ...b])) pinned.set(ds, [...(pinned.get(ds) ?? []), rt]);
  }
  const byDataset = new Map<string, Runtime[]>();
  for (const [ds, list] of pinned)
    byDataset.set(
      ds,
      runtimes.filter((r) => list.includes(r) || wildcard.includes(r)),
    );

  let now = Number.NEGATIVE_INFINITY;
  let nextSweep = Number.NEGATIVE_INFINITY;
  const totals = { events: 0, detections: 0, evictions: 0, collected: 0 };
  /** One evidence record per line, shared by every bucket it is poured into. */
  let evidence: Evidence | undefined;
  const ctx: MatchContext = { event: { '@timestamp': '', message: '', 'event.kind': 'event' }, cache: undefined };

  function keyOf(sc: Scenario, ev: EcsEvent): string | undefined {
    const g = sc.groupBy;
    if (g.length === 0) return sc.groupDefault ?? '*';
    if (g.length === 1) {
      const v = fieldString(ev, g[0]!);
      return v === undefined || v === '' ? sc.groupDefault : v;
    }
    const parts: string[] = [];
    for (const f of g) {
      const v = fieldString(ev, f);
      if (v === undefined || v === '') {
        if (sc.groupDefault === undefined) return undefined;
        parts.push(sc.groupDefault);
      } else parts.push(v);
    }
    return parts.join('\u001f');
  }

  function entityValue(sc: Scenario, ev: EcsEvent | undefined, key: string): string {
    const f = sc.entity.field;
    const v = f === undefined || ev === undefined ? undefined : fieldString(ev, f);
    return v === undefined || v === '' ? key.replaceAll('\u001f', ' / ') : v;
  }

  function fire(rt: Runtime, key: string, b: Bucket, time: number, ev: EcsEvent | undefined, out: Detection[]): void {
    const sc = rt.sc;
    rt.buckets.delete(key);
    if (sc.blackholeMs > 0) rt.blackholes.set(key, time + sc.blackholeMs);
    rt.stats.detections++;
    totals.detections++;
    const keyText = key.replaceAll('\u001f', ' / ');
    const sources = rt.handler.sources ? rt.handler.sources(b.k) : 0;
    const explanation = renderExplain(sc.explain, {
      count: b.count,
      key: keyText,
      spanMs: b.last - b.first,
      params: sc.params,
      blackholeMs: sc.blackholeMs,
      tracked: b.tracked ?? {},
      trackedCap: TRACKED_CAP,
      event: ev ?? { '@timestamp': '', message: '', 'event.kind': 'event' },
      sources,
    });
    let labels: Record<string, string> | undefined = Object.keys(sc.labels).length > 0 ? { ...sc.labels } : undefined;
    if (sc.params.kind === 'distributed') {
      const list = b.tracked?.[sc.params.sourceField] ?? [];
      labels = { ...labels, sources: list.slice(0, MAX_SOURCES_LABEL).join(',') };
    }
    const det: Detection = {
      id: deps.ids.next('det'),
      scenario: sc.name,
      time,
      entity: { type: sc.entity.type, value: b.ent === '' ? keyText : b.ent },
      techniques: sc.techniques,
      confidence: sc.confidence,
      severity: sc.severity,
      count: b.count,
      explanation,
      evidence: [...b.head, ...b.tail],
      ...(sc.remediation ? { remediation: sc.remediation } : {}),
      ...(labels ? { labels } : {}),
    };
    out.push(det);
  }

  function closeDue(rt: Runtime, t: number, out: Detection[]): void {
    if (t < rt.nextClose) return;
    const endsAt = rt.handler.endsAt!;
    let next = Number.POSITIVE_INFINITY;
    for (const [key, b] of [...rt.buckets]) {
      const end = endsAt(b.k);
      if (end <= t) {
        if (rt.handler.closeReady!(b.k)) fire(rt, key, b, end, undefined, out);
        else rt.buckets.delete(key);
      } else if (end < next) next = end;
    }
    rt.nextClose = next;
  }

  function sweepRuntime(rt: Runtime, t: number): void {
    if (!rt.closeMode) {
      for (const [key, b] of rt.buckets) {
        if (rt.handler.drained(b.k, t)) {
          rt.buckets.delete(key);
          totals.collected++;
        }
      }
    }
    for (const [key, until] of rt.blackholes) if (until <= t) rt.blackholes.delete(key);
  }

  function sweep(t: number): void {
    nextSweep = t + SWEEP_EVERY_MS;
    for (const rt of runtimes) sweepRuntime(rt, t);
  }

  function makeRoom(rt: Runtime, t: number): void {
    // Collect drained buckets first, so eviction only ever drops live state when truly full.
    sweepRuntime(rt, t);
    while (rt.buckets.size >= rt.sc.maxBuckets) {
      const oldest = rt.buckets.keys().next();
      if (oldest.done) break;
      rt.buckets.delete(oldest.value);
      rt.stats.evictions++;
      totals.evictions++;
    }
  }

  function step(rt: Runtime, obs: Observation, out: Detection[]): void {
    const sc = rt.sc;
    const ev = obs.event;
    if (sc.cancelOn && (rt.pinnedCancel ? sc.cancelOn.testDispatched(ctx) : sc.cancelOn.test(ctx))) {
      // e.g. a successful login ends the time-based brute-force suspicion for that address.
      const key = keyOf(sc, ev);
      if (key !== undefined && rt.buckets.delete(key)) rt.stats.cancels++;
      return;
    }
    if (!(rt.pinnedFilter ? sc.filter.testDispatched(ctx) : sc.filter.test(ctx))) return;
    const key = keyOf(sc, ev);
    if (key === undefined) return;
    let value: string | undefined;
    if (rt.valueFields) {
      value = firstValue(ev, rt.valueFields);
      if (value === undefined) return;
    }
    const t = obs.time;
    const hole = rt.blackholes.get(key);
    if (hole !== undefined) {
      if (t < hole) {
        rt.stats.blackholed++;
        return;
      }
      rt.blackholes.delete(key);
    }
    let b = rt.buckets.get(key);
    if (b !== undefined) {
      if (rt.handler.drained(b.k, t)) {
        rt.buckets.delete(key);
        b = undefined;
      } else if (rt.lastKey !== key) {
        rt.buckets.delete(key);
        rt.buckets.set(key, b);
      }
    }
    rt.lastKey = key;
    const ent = entityValue(sc, ev, key);
    if (b === undefined) {
      if (rt.buckets.size >= sc.maxBuckets) makeRoom(rt, t);
      b = newBucket(t, rt.handler.init(t), ent);
      rt.buckets.set(key, b);
      if (rt.closeMode) rt.nextClose = Math.min(rt.nextClose, rt.handler.endsAt!(b.k));
    }
    const outcome = rt.handler.pour(b.k, t, value);
    if (outcome === SKIP) return;
    rt.stats.poured++;
    evidence ??= evidenceOf(obs);
    recordPour(b, obs, evidence, rt.tracked, ent);
    if (outcome === FIRE) fire(rt, key, b, t, ev, out);
  }

  function advance(t: number, out: Detection[]): void {
    if (t > now) now = t;
    for (const rt of closers) closeDue(rt, now, out);
  }

  const engine: ScenarioEngine = {
    scenarios,
    process(obs) {
      totals.events++;
      const out: Detection[] = [];
      advance(obs.time, out);
      ctx.event = obs.event;
      ctx.cache = undefined;
      evidence = undefined;
      const ds = obs.event['event.dataset'];
      const list = (typeof ds === 'string' ? byDataset.get(ds) : undefined) ?? wildcard;
      for (const rt of list) step(rt, obs, out);
      if (now >= nextSweep) sweep(now);
      return out;
    },
    tick(time) {
      const out: Detection[] = [];
      advance(time, out);
      sweep(now);
      return out;
    },
    snapshot() {
      const state: Record<string, unknown> = {};
      for (const rt of runtimes) {
        if (rt.buckets.size === 0 && rt.blackholes.size === 0) continue;
        state[rt.sc.name] = { kind: rt.sc.params.kind, b: [...rt.buckets], h: [...rt.blackholes] };
      }
      return JSON.stringify({ v: SNAPSHOT_VERSION, now: Number.isFinite(now) ? now : null, s: state });
    },
    restore(text) {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new LeukoError('STORE_FAILED', 'scenario engine snapshot is not valid JSON', { cause: err });
      }
      const d = data as { v?: unknown; now?: unknown; s?: unknown };
      if (typeof d !== 'object' || d === null || d.v !== SNAPSHOT_VERSION || typeof d.s !== 'object' || d.s === null) {
        throw new LeukoError('STORE_FAILED', 'unsupported scenario engine snapshot', { details: { version: d?.v } });
      }
      for (const rt of runtimes) {
        rt.buckets = new Map();
        rt.blackholes = new Map();
        rt.nextClose = Number.POSITIVE_INFINITY;
      }
      now = typeof d.now === 'number' ? d.now : Number.NEGATIVE_INFINITY;
      nextSweep = Number.NEGATIVE_INFINITY;
      for (const [name, raw] of Object.entries(d.s as Record<string, unknown>)) {
        const rt = byName.get(name);
        const st = raw as { kind?: unknown; b?: unknown; h?: unknown };
        // A scenario removed or changed kind since the snapshot: its buckets mean nothing now.
        if (!rt || typeof st !== 'object' || st === null || st.kind !== rt.sc.params.kind) continue;
        if (Array.isArray(st.b)) {
          for (const entry of st.b) {
            if (Array.isArray(entry) && typeof entry[0] === 'string' && isBucket(entry[1])) {
              rt.buckets.set(entry[0], entry[1]);
              if (rt.closeMode) rt.nextClose = Math.min(rt.nextClose, rt.handler.endsAt!(entry[1].k));
            }
          }
        }
        if (Array.isArray(st.h)) {
          for (const entry of st.h) {
            if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number')
              rt.blackholes.set(entry[0], entry[1]);
          }
        }
      }
    },
    stats() {
      const perScenario: Record<string, ScenarioStats> = {};
      let buckets = 0;
      for (const rt of runtimes) {
        rt.stats.buckets = rt.buckets.size;
        buckets += rt.buckets.size;
        perScenario[rt.sc.name] = { ...rt.stats };
      }
      return { ...totals, buckets, perScenario } satisfies ScenarioEngineStats;
    },
  };
  return engine;
}
