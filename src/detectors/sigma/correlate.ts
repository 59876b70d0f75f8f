import { type CorrelationDef, conditionHolds } from './correlation-def.js';
import type { EventView } from './event-view.js';

/** A correlation that fired on an event. */
export interface CorrelationFiring {
  readonly def: CorrelationDef;
  readonly time: number;
  /** group-by field → value. */
  readonly group: Readonly<Record<string, string>>;
  /** Events (event_count), distinct values (value_count) or rules seen (temporal). */
  readonly count: number;
}

/** One matched rule (base or correlation) as correlations see it. */
export interface MatchedRule {
  /** Id and name, so a correlation may reference either. */
  readonly refs: readonly string[];
  readonly fieldKeys: (field: string) => readonly string[];
}

interface Group {
  /** event_count: times; value_count: value → last time; temporal: rule index → time(s). */
  times: number[];
  values: Map<string, number>;
  seen: Map<number, number>;
  /** temporal_ordered: for each step, the latest start time of a chain reaching it. */
  chain: (number | undefined)[];
  last: number;
}

const MAX_GROUPS = 50_000;

function scalar(v: unknown): string {
  if (Array.isArray(v)) return v.map(scalar).join(',');
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

/**
 * Runs Sigma correlation rules on event time: per group-by value it keeps the events,
 * distinct values or rule sightings inside the timespan and fires when the condition holds,
 * then starts the group afresh (one alert per burst, not one per later event). State is
 * bounded (oldest groups go first) and serializable for checkpoints.
 */
export class CorrelationRuntime {
  private readonly state = new Map<string, Map<string, Group>>();
  /** Correlations in dependency order (a correlation of correlations after its inputs). */
  private readonly order: CorrelationDef[];

  constructor(defs: readonly CorrelationDef[]) {
    const byRef = new Map<string, CorrelationDef>();
    for (const d of defs) {
      byRef.set(d.id, d);
      if (d.name) byRef.set(d.name, d);
    }
    const depth = new Map<CorrelationDef, number>();
    const depthOf = (d: CorrelationDef, stack: Set<CorrelationDef>): number => {
      const known = depth.get(d);
      if (known !== undefined) return known;
      if (stack.has(d)) return 0;
      stack.add(d);
      let best = 0;
      for (const r of d.rules) {
        const dep = byRef.get(r);
        if (dep) best = Math.max(best, depthOf(dep, stack) + 1);
      }
      stack.delete(d);
      depth.set(d, best);
      return best;
    };
    this.order = [...defs].sort((a, b) => depthOf(a, new Set()) - depthOf(b, new Set()));
  }

  get size(): number {
    return this.order.length;
  }

  /** Feed the rules one event matched; returns the correlations that fired on it. */
  feed(matched: MatchedRule[], view: EventView, time: number): CorrelationFiring[] {
    const fired: CorrelationFiring[] = [];
    if (matched.length === 0 || this.order.length === 0) return fired;
    for (const def of this.order) {
      for (const m of matched) {
        const idx = def.rules.findIndex((r) => m.refs.includes(r));
        if (idx < 0) continue;
        const f = this.step(def, idx, m, view, time);
        if (f) {
          fired.push(f);
          matched.push({ refs: [def.id, ...(def.name ? [def.name] : [])], fieldKeys: m.fieldKeys });
          break;
        }
      }
    }
    return fired;
  }

  private step(
    def: CorrelationDef,
    idx: number,
    m: MatchedRule,
    view: EventView,
    time: number,
  ): CorrelationFiring | undefined {
    const group: Record<string, string> = {};
    for (const field of def.groupBy) {
      const alias = def.aliases[field];
      const actual = alias ? (m.refs.map((r) => alias[r]).find((x) => x !== undefined) ?? field) : field;
      group[field] = scalar(view.get(m.fieldKeys(actual)));
    }
    const key = JSON.stringify(def.groupBy.map((f) => group[f]));
    let groups = this.state.get(def.id);
    if (!groups) {
      groups = new Map();
      this.state.set(def.id, groups);
    }
    let g = groups.get(key);
    if (g && time - g.last > def.timespanMs) {
      groups.delete(key);
      g = undefined;
    }
    if (!g) {
      if (groups.size >= MAX_GROUPS) {
        const oldest = groups.keys().next().value;
        if (oldest !== undefined) groups.delete(oldest);
      }
      g = { times: [], values: new Map(), seen: new Map(), chain: [], last: time };
      groups.set(key, g);
    } else {
      // Keep insertion order = recency, so eviction drops the stalest group.
      groups.delete(key);
      groups.set(key, g);
    }
    g.last = time;
    const from = time - def.timespanMs;
    let count = 0;
    let fire = false;
    switch (def.type) {
      case 'event_count': {
        g.times.push(time);
        while (g.times.length > 0 && g.times[0]! < from) g.times.shift();
        count = g.times.length;
        fire = conditionHolds(def.condition, count);
        break;
      }
      case 'value_count': {
        const v = view.get(m.fieldKeys(def.valueField ?? ''));
        if (v !== undefined && v !== null) g.values.set(scalar(v), time);
        for (const [val, t] of g.values) if (t < from) g.values.delete(val);
        count = g.values.size;
        fire = g.values.size > 0 && conditionHolds(def.condition, count);
        break;
      }
      case 'temporal': {
        g.seen.set(idx, time);
        for (const [r, t] of g.seen) if (t < from) g.seen.delete(r);
        count = g.seen.size;
        fire = def.condition.length > 0 ? conditionHolds(def.condition, count) : count === def.rules.length;
        break;
      }
      case 'temporal_ordered': {
        // chain[i]: latest start time of an in-order sequence rules[0..i] ending before now.
        for (let i = 0; i < g.chain.length; i++) if ((g.chain[i] ?? time) < from) g.chain[i] = undefined;
        if (idx === 0) g.chain[0] = time;
        else if (g.chain[idx - 1] !== undefined) g.chain[idx] = Math.max(g.chain[idx] ?? -Infinity, g.chain[idx - 1]!);
        count = g.chain.filter((x) => x !== undefined).length;
        fire = g.chain[def.rules.length - 1] !== undefined;
        break;
      }
    }
    if (!fire) return undefined;
    groups.delete(key);
    return { def, time, group, count };
  }

  snapshot(): string {
    const out: Record<
      string,
      [string, { t: number[]; v: [string, number][]; s: [number, number][]; c: (number | null)[]; l: number }][]
    > = {};
    for (const [id, groups] of this.state) {
      out[id] = [...groups].map(([k, g]) => [
        k,
        { t: g.times, v: [...g.values], s: [...g.seen], c: g.chain.map((x) => x ?? null), l: g.last },
      ]);
    }
    return JSON.stringify(out);
  }

  restore(text: string): void {
    this.state.clear();
    const data = JSON.parse(text) as ReturnType<typeof JSON.parse>;
    if (data === null || typeof data !== 'object') return;
    for (const [id, groups] of Object.entries(data as Record<string, unknown>)) {
      if (!Array.isArray(groups)) continue;
      const m = new Map<string, Group>();
      for (const entry of groups as [
        string,
        { t: number[]; v: [string, number][]; s: [number, number][]; c: (number | null)[]; l: number },
      ][]) {
        const [k, g] = entry;
        m.set(k, {
          times: g.t,
          values: new Map(g.v),
          seen: new Map(g.s),
          chain: g.c.map((x) => (x === null ? undefined : x)),
          last: g.l,
        });
      }
      this.state.set(id, m);
    }
  }
}
