import type { Detection, Evidence } from '../../core/detection.js';
import type { EcsEvent, Observation } from '../../core/event.js';
import type { IdGenerator } from '../../core/ids.js';
import { Bucket, evidenceOf, recordPour, TRACKED_CAP } from './bucket.js';
import { collectAll, collectDue, enqueue, evictLeastRecent, release, SWEEP_EVERY_MS } from './collect.js';
import { EventFields } from './event-fields.js';
import { type ExplainVars, renderExplain } from './explain.js';
import type { MatchContext, Predicate } from './filter/compile-filter.js';
import { FieldCache } from './filter/field-cache.js';
import { KeyTable } from './key-table.js';
import { FIRE, SKIP } from './kinds/handler.js';
import { buildPlans, createRuntimes, type Plan, type Runtime } from './runtime.js';
import { bucketAt, NO_HOLE, putBucket, putHole, removeBucket, removeHole } from './slots.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';
import type { Scenario, ScenarioEngine, ScenarioEngineStats, ScenarioStats } from './types.js';

const MAX_SOURCES_LABEL = 50;
/** What `process` returns when nothing fired (nearly always): no array per event. */
const NONE = Object.freeze([]) as unknown as Detection[];
/** Distinct group keys remembered per event (an ssh line has three: address, host, user). */
const KEY_MEMO = 4;

/**
 * The stateful scenario engine: event-time driven (no wall clock), deterministic, with bounded
 * memory. Each line only runs the scenarios whose filter can match its `event.dataset`, and a
 * filter shared by several scenarios (ssh-bf, ssh-slow-bf, ssh-user-enum...) runs once per line.
 *
 * @example
 * const engine = createScenarioEngine(loadScenarios([builtinScenarioDir()]).scenarios, { ids });
 * for (const obs of observations) for (const d of engine.process(obs)) console.log(d.explanation);
 */
export function createScenarioEngine(scenarios: readonly Scenario[], deps: { ids: IdGenerator }): ScenarioEngine {
  const fields = new EventFields();
  const keys = new KeyTable();
  const { runtimes, slotFilters } = createRuntimes(scenarios, fields, keys);
  const closers = runtimes.filter((r) => r.closeMode);

  const { byDataset, wildcardPlan } = buildPlans(runtimes, slotFilters);

  let now = Number.NEGATIVE_INFINITY;
  /**
   * Event time of the current line. Read from here rather than from `obs.time` in `step`: the
   * observation keeps it unboxed, and every call taking it (kind handlers, buckets) would box
   * it into a fresh heap number, several per scenario and line; a closure variable holds one.
   */
  let eventTime = 0;
  /** Detections of the current call, allocated by the first one. */
  let out: Detection[] | undefined;
  let nextSweep = Number.NEGATIVE_INFINITY;
  const totals = { events: 0, detections: 0, evictions: 0, collected: 0 };
  /** One evidence record per line, shared by every bucket it is poured into. */
  let evidence: Evidence | undefined;
  const cache = new FieldCache();
  const ctx: MatchContext = { event: { '@timestamp': '', message: '', 'event.kind': 'event' }, cache };
  // Per-event memo of filter results, valid while `memoStamp[slot] === epoch`.
  let epoch = 0;
  const memoStamp = new Float64Array(slotFilters.length).fill(-1);
  const memoVal = new Uint8Array(slotFilters.length);

  // Per-event memo of key slots: the scenarios grouped by the same field look their key up once.
  // Slots only move at a sweep (`keys.collect`), between events.
  const memoKeys: string[] = new Array<string>(KEY_MEMO).fill('');
  const memoSlots = new Int32Array(KEY_MEMO);
  let memoN = 0;

  /** Slot of a group key, -1 when no scenario has a bucket or blackhole on it. */
  function slotFind(key: string): number {
    for (let i = 0; i < memoN; i++) if (memoKeys[i] === key) return memoSlots[i]!;
    const s = keys.find(key);
    if (memoN < KEY_MEMO) {
      memoKeys[memoN] = key;
      memoSlots[memoN++] = s;
    }
    return s;
  }

  /** Slot of a group key, given one if it has none. */
  function slotCreate(key: string): number {
    const s = keys.slotOf(key);
    for (let i = 0; i < memoN; i++) if (memoKeys[i] === key) memoSlots[i] = s;
    return s;
  }

  function passes(slot: number, tests: readonly Predicate[]): boolean {
    if (memoStamp[slot] === epoch) return memoVal[slot] === 1;
    const r = tests[slot]!(ctx);
    memoStamp[slot] = epoch;
    memoVal[slot] = r ? 1 : 0;
    return r;
  }

  function keyOf(rt: Runtime): string | undefined {
    const sc = rt.sc;
    if (rt.groupSlot >= 0) {
      const v = fields.get(rt.groupSlot);
      return v === undefined || v === '' ? sc.groupDefault : v;
    }
    const g = rt.groupSlots;
    if (g.length === 0) return sc.groupDefault ?? '*';
    let key = '';
    for (let i = 0; i < g.length; i++) {
      let v = fields.get(g[i]!);
      if (v === undefined || v === '') {
        if (sc.groupDefault === undefined) return undefined;
        v = sc.groupDefault;
      }
      key = i === 0 ? v : `${key}\u001f${v}`;
    }
    return key;
  }

  function keyText(key: string): string {
    return key.indexOf('\u001f') < 0 ? key : key.replaceAll('\u001f', ' / ');
  }

  function entityValue(rt: Runtime, key: string): string {
    const v = rt.entitySlot < 0 ? undefined : fields.get(rt.entitySlot);
    return v === undefined || v === '' ? keyText(key) : v;
  }

  function firstValue(slots: readonly number[]): string | undefined {
    for (let i = 0; i < slots.length; i++) {
      const v = fields.get(slots[i]!);
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  }

  function emit(det: Detection): void {
    if (out === undefined) out = [det];
    else out.push(det);
  }

  /** The detections of this call, and a clean slate for the next one. */
  function take(): Detection[] {
    const r = out;
    out = undefined;
    return r ?? NONE;
  }

  function fire(rt: Runtime, key: string, b: Bucket, time: number, ev: EcsEvent | undefined): void {
    const sc = rt.sc;
    const slot = b.slot;
    if (sc.blackholeMs > 0) {
      putHole(rt, slot, time + sc.blackholeMs);
      rt.holeExpiry.push(time + sc.blackholeMs, slot);
    }
    removeBucket(rt, slot);
    rt.stats.detections++;
    totals.detections++;
    const text = keyText(key);
    const sources = rt.handler.sources ? rt.handler.sources(b.k) : 0;
    const tracked = b.tracked();
    const vars: ExplainVars = {
      count: b.count,
      key: text,
      spanMs: b.last - b.first,
      params: sc.params,
      blackholeMs: sc.blackholeMs,
      tracked,
      trackedCap: TRACKED_CAP,
      event: ev ?? { '@timestamp': '', message: '', 'event.kind': 'event' },
      sources,
      matched: rt.matched,
    };
    const explanation = renderExplain(rt.explain, vars);
    let labels: Record<string, string> | undefined = rt.hasLabels ? { ...sc.labels } : undefined;
    for (const [name, t] of rt.labelTemplates) labels![name] = renderExplain(t, vars);
    if (sc.params.kind === 'distributed') {
      const list = tracked[sc.params.sourceField] ?? [];
      labels = { ...labels, sources: list.slice(0, MAX_SOURCES_LABEL).join(',') };
    }
    const det: Detection = {
      id: deps.ids.next('det'),
      scenario: sc.name,
      time,
      entity: { type: sc.entity.type, value: b.ent === '' ? text : b.ent },
      techniques: sc.techniques,
      confidence: sc.confidence,
      severity: sc.severity,
      count: b.count,
      explanation,
      evidence: b.evidence(),
      ...(sc.remediation ? { remediation: sc.remediation } : {}),
      ...(labels ? { labels } : {}),
    };
    emit(det);
    // A bucket fired by its first pour never entered the expiry heap: spare it now.
    release(rt, b);
  }

  function closeDue(rt: Runtime, t: number): void {
    if (t < rt.nextClose) return;
    const endsAt = rt.handler.endsAt!;
    let next = Number.POSITIVE_INFINITY;
    const due: Bucket[] = [];
    const list = rt.bySlot;
    for (let i = 0; i < list.length; i++) {
      const b = list[i];
      if (b === undefined) continue;
      const end = endsAt(b.k);
      if (end <= t) due.push(b);
      else if (end < next) next = end;
    }
    // Least recently touched first: the order detections come out in.
    due.sort((x, y) => x.touched - y.touched);
    for (const b of due) {
      if (rt.handler.closeReady!(b.k)) fire(rt, b.key, b, endsAt(b.k), undefined);
      else removeBucket(rt, b.slot);
    }
    rt.nextClose = next;
  }

  function sweep(t: number): void {
    nextSweep = t + SWEEP_EVERY_MS;
    for (let i = 0; i < runtimes.length; i++) totals.collected += collectDue(runtimes[i]!, t);
    keys.collect();
  }

  function makeRoom(rt: Runtime, t: number): void {
    // Collect drained buckets first, so eviction only ever drops live state when truly full.
    totals.collected += collectAll(rt, t);
    while (rt.size >= rt.sc.maxBuckets && evictLeastRecent(rt)) {
      rt.stats.evictions++;
      totals.evictions++;
    }
  }

  /** A fresh bucket for `key` (slot -1: none yet), making room first when the scenario is full. */
  function newBucket(rt: Runtime, key: string, slot: number, t: number, ent: string): Bucket {
    if (rt.size >= rt.sc.maxBuckets) makeRoom(rt, t);
    let b = rt.spare.pop();
    if (b === undefined) b = new Bucket(t, rt.handler.init(t), ent, rt.tracked);
    else b.reset(t, rt.handler.reset(b.k, t), ent);
    b.key = key;
    putBucket(rt, slot < 0 ? slotCreate(key) : slot, b);
    if (rt.closeMode) rt.nextClose = Math.min(rt.nextClose, rt.handler.endsAt!(b.k));
    return b;
  }

  function step(rt: Runtime, obs: Observation, tests: readonly Predicate[]): void {
    const sc = rt.sc;
    const ev = obs.event;
    if (rt.cancelSlot >= 0 && passes(rt.cancelSlot, tests)) {
      const key = keyOf(rt);
      if (key === undefined) return;
      // A sequence's `followed_by` event (a successful login after a brute force) fires an armed bucket.
      if (rt.completes) complete(rt, key, obs);
      // e.g. a successful login ends the time-based brute-force suspicion for that address.
      else if (removeBucket(rt, slotFind(key))) rt.stats.cancels++;
      return;
    }
    if (!passes(rt.filterSlot, tests)) return;
    const key = keyOf(rt);
    if (key === undefined) return;
    let value: string | undefined;
    if (rt.valueSlots) {
      value = firstValue(rt.valueSlots);
      if (value === undefined) return;
    }
    const t = eventTime;
    const slot = slotFind(key);
    // Read in place, not through holeAt: a double returned from a call is a heap number.
    if (rt.holeCount > 0 && slot >= 0 && slot < rt.holes.length) {
      const hole = rt.holes[slot]!;
      if (hole !== NO_HOLE) {
        if (t < hole) {
          rt.stats.blackholed++;
          return;
        }
        removeHole(rt, slot);
      }
    }
    const ent = entityValue(rt, key);
    let b = bucketAt(rt, slot);
    let created = false;
    if (b !== undefined && rt.handler.drained(b.k, t)) {
      if (rt.size <= sc.maxBuckets) {
        // Same as a fresh bucket (KindHandler invariant), minus the allocation. Its entry in the
        // expiry heap stays: popped early, it is pushed back at the new drain time.
        b.reset(t, rt.handler.reset(b.k, t), ent);
        if (rt.closeMode) rt.nextClose = Math.min(rt.nextClose, rt.handler.endsAt!(b.k));
      } else {
        // Over the limit (a snapshot from a larger max_buckets): make room as a new bucket would.
        removeBucket(rt, slot);
        b = undefined;
      }
    }
    if (b === undefined) {
      b = newBucket(rt, key, slot, t, ent);
      created = true;
    }
    b.touched = ++rt.clock;
    const outcome = rt.handler.pour(b.k, t, value);
    if (created && outcome !== FIRE && !rt.closeMode) enqueue(rt, b);
    if (outcome === SKIP) return;
    rt.stats.poured++;
    evidence ??= evidenceOf(obs);
    recordPour(b, t, evidence, ent, fields, rt.trackedSlots);
    if (outcome === FIRE) fire(rt, key, b, t, ev);
  }

  /** A sequence's `followed_by` event: fire the key's bucket when its filter events armed it. */
  function complete(rt: Runtime, key: string, obs: Observation): void {
    const t = eventTime;
    const slot = slotFind(key);
    if (rt.holeCount > 0 && slot >= 0 && slot < rt.holes.length) {
      const hole = rt.holes[slot]!;
      if (hole !== NO_HOLE && t < hole) {
        rt.stats.blackholed++;
        return;
      }
    }
    let b = bucketAt(rt, slot);
    const armed = b !== undefined && rt.handler.armed!(b.k, t);
    const hold = rt.handler.hold;
    if (!armed && hold === undefined) return;
    // A drained bucket holds nothing (KindHandler invariant): start it over.
    if (!armed && b !== undefined && rt.handler.drained(b.k, t)) {
      removeBucket(rt, slot);
      b = undefined;
    }
    const ent = entityValue(rt, key);
    let created = false;
    if (b === undefined) {
      b = newBucket(rt, key, slot, t, ent);
      created = true;
    }
    b.touched = ++rt.clock;
    // The completing line is the evidence that matters most: it goes in with the others.
    evidence ??= evidenceOf(obs);
    recordPour(b, t, evidence, ent, fields, rt.trackedSlots, false);
    if (armed) {
      fire(rt, key, b, t, obs.event);
      return;
    }
    // An unordered sequence keeps the event for a filter event still to come (kinds/sequence.ts).
    hold!(b.k, t);
    if (created) enqueue(rt, b);
  }

  function advance(t: number): void {
    if (t > now) now = t;
    for (let i = 0; i < closers.length; i++) closeDue(closers[i]!, now);
  }

  /**
   * The part of `plan` that can act on the event's `event.action`. An action of another type
   * (never written by the parsers) gets the whole plan: filters compare its string form.
   */
  function byAction(plan: Plan, event: EcsEvent): Plan {
    const index = plan.byAction;
    if (index === undefined) return plan;
    const action = event['event.action'];
    if (typeof action === 'string') return index.get(action) ?? plan.unnamed!;
    return action === undefined ? plan.unnamed! : plan;
  }

  /** Whether any filter or cancel filter of the plan matches: most lines match none. */
  function anyGate(plan: Plan): boolean {
    const gates = plan.gates;
    for (let i = 0; i < gates.length; i++) if (passes(gates[i]!, plan.tests)) return true;
    return false;
  }

  const engine: ScenarioEngine = {
    scenarios,
    process(obs) {
      totals.events++;
      out = undefined;
      advance(obs.time);
      const event = obs.event;
      const ds = event['event.dataset'];
      const plan = byAction((typeof ds === 'string' ? byDataset.get(ds) : undefined) ?? wildcardPlan, event);
      const list = plan.runtimes;
      if (list.length > 0) {
        ctx.event = event;
        fields.reset(event);
        ctx.cache = cache;
        cache.reset();
        epoch++;
        memoN = 0;
        evidence = undefined;
        if (anyGate(plan)) {
          eventTime = obs.time;
          for (let i = 0; i < list.length; i++) step(list[i]!, obs, plan.tests);
        }
      }
      if (now >= nextSweep) sweep(now);
      return take();
    },
    tick(time) {
      out = undefined;
      advance(time);
      sweep(now);
      return take();
    },
    snapshot() {
      return writeSnapshot(runtimes, now);
    },
    restore(text) {
      now = readSnapshot(runtimes, text);
      nextSweep = Number.NEGATIVE_INFINITY;
    },
    stats() {
      const perScenario: Record<string, ScenarioStats> = {};
      let buckets = 0;
      for (const rt of runtimes) {
        rt.stats.buckets = rt.size;
        buckets += rt.size;
        perScenario[rt.sc.name] = { ...rt.stats };
      }
      return { ...totals, buckets, perScenario } satisfies ScenarioEngineStats;
    },
  };
  return engine;
}
