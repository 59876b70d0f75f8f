import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Detection } from '../../core/detection.js';
import type { Observation } from '../../core/event.js';
import { createSequentialIds } from '../../core/ids.js';
import { createScenarioEngine } from './engine.js';
import { obs, scenariosFrom, strip } from './test-kit.js';
import type { Scenario } from './types.js';

const S = 1000;

/**
 * Reference model of one key's leaky bucket, written the obvious O(n²) way: the level when
 * event i arrives is the largest "events poured minus time drained" over every run j..i since
 * the last overflow; it fires when that exceeds capacity. After firing, events before the
 * blackhole ends are dropped and the next one starts an empty bucket.
 */
function referenceLeaky(times: number[], capacity: number, leakMs: number, blackholeMs: number): number[] {
  const fired: number[] = [];
  let quietUntil = Number.NEGATIVE_INFINITY;
  const live: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t < quietUntil) continue;
    live.push(t);
    let level = 0;
    for (let j = 0; j < live.length; j++) level = Math.max(level, (live.length - j) * leakMs - (t - live[j]!));
    if (level > capacity * leakMs) {
      fired.push(i);
      live.length = 0;
      quietUntil = t + blackholeMs;
    }
  }
  return fired;
}

const sortedTimes = fc
  .array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 60 })
  .map((a) => a.sort((x, y) => x - y));

describe('leaky bucket against the reference model', () => {
  it('fires exactly when some run of events overflows', () => {
    fc.assert(
      fc.property(
        sortedTimes,
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        (times, capacity, leakS, blackholeS) => {
          const [sc] = scenariosFrom(`name: p/leaky
description: p
kind: leaky
filter: { event.dataset: x }
group_by: source.ip
capacity: ${capacity}
leakspeed: ${leakS}s
blackhole: ${blackholeS}s
techniques: [T1110]
`);
          const e = createScenarioEngine([sc!], { ids: createSequentialIds() });
          const fired: number[] = [];
          times.forEach((t, i) => {
            if (e.process(obs(t, { 'event.dataset': 'x', 'source.ip': 'k' })).length > 0) fired.push(i);
          });
          expect(fired).toEqual(referenceLeaky(times, capacity, leakS * S, blackholeS * S));
        },
      ),
      { numRuns: 300 },
    );
  });
});

const MIXED = `name: p/leaky
description: p
kind: leaky
filter: { event.dataset: x }
group_by: source.ip
distinct: user.name
capacity: 3
leakspeed: 5s
blackhole: 7s
techniques: [T1110]
---
name: p/sliding
description: p
kind: window
filter: { event.dataset: x }
group_by: source.ip
window: 20s
threshold: 4
techniques: [T1110]
---
name: p/fixed-close
description: p
kind: counter
filter: { event.dataset: x }
group_by: user.name
window: 15s
threshold: 2
report: close
techniques: [T1110]
entity: { type: user }
---
name: p/cadence
description: p
kind: cadence
filter: { event.dataset: x }
cancel_on: { event.dataset: x, event.outcome: success }
group_by: source.ip
min_events: 3
min_median_interval: 4s
idle: 30s
techniques: [T1110]
---
name: p/dist
description: p
kind: distributed
filter: { event.dataset: x }
group_by: user.name
source: source.ip
window: 30s
threshold: 3
blackhole: 10s
techniques: [T1110]
---
name: p/trigger
description: p
kind: trigger
filter: { event.dataset: x, user.name: root }
group_by: source.ip
blackhole: 25s
techniques: [T1110]
`;

const stream = fc
  .array(
    fc.record({
      dt: fc.integer({ min: 0, max: 9000 }),
      ip: fc.constantFrom('a', 'b', 'c', 'd'),
      user: fc.constantFrom('root', 'admin', 'x', 'y'),
      ok: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    }),
    { minLength: 1, maxLength: 80 },
  )
  .map((items) => {
    let t = 0;
    return items.map((it) => {
      t += it.dt;
      return obs(t, {
        'event.dataset': 'x',
        'source.ip': it.ip,
        'user.name': it.user,
        'event.outcome': it.ok ? 'success' : 'failure',
      });
    });
  });

function run(
  scenarios: Scenario[],
  observations: Observation[],
  hooks: { tickEvery?: number; cutAt?: number } = {},
): Omit<Detection, 'id'>[] {
  let e = createScenarioEngine(scenarios, { ids: createSequentialIds() });
  const out: Detection[] = [];
  observations.forEach((o, i) => {
    if (hooks.cutAt === i) {
      const text = e.snapshot();
      e = createScenarioEngine(scenarios, { ids: createSequentialIds() });
      e.restore(text);
    }
    if (hooks.tickEvery && i % hooks.tickEvery === 0) out.push(...e.tick(o.time));
    out.push(...e.process(o));
  });
  const last = observations[observations.length - 1]!.time;
  out.push(...e.tick(last + 60 * S));
  return out.map(strip);
}

/** Tight bucket limits: evictions (least recently touched first) happen all the time. */
const CRAMPED = `name: p/leaky-small
description: p
kind: leaky
filter: { event.dataset: x }
group_by: source.ip
capacity: 3
leakspeed: 20s
max_buckets: 2
techniques: [T1110]
explain: '{count} from {key}: {values:user.name}'
---
name: p/dist-small
description: p
kind: distributed
filter: { event.dataset: x }
group_by: user.name
source: source.ip
window: 30s
threshold: 3
max_buckets: 2
techniques: [T1110]
---
name: p/cadence-small
description: p
kind: cadence
filter: { event.dataset: x }
group_by: user.name
distinct: source.ip
min_events: 3
min_median_interval: 2s
idle: 40s
max_buckets: 3
techniques: [T1110]
`;

describe('engine invariants with evictions', () => {
  const scenarios = scenariosFrom(CRAMPED);
  it('garbage collection and snapshots never change the detections', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 5 }), fc.nat(), (observations, every, cut) => {
        const plain = run(scenarios, observations);
        expect(run(scenarios, observations, { tickEvery: every })).toEqual(plain);
        expect(run(scenarios, observations, { cutAt: cut % observations.length })).toEqual(plain);
      }),
      { numRuns: 200 },
    );
  });
});

describe('engine invariants', () => {
  const scenarios = scenariosFrom(MIXED);
  it('garbage collection never changes the detections', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 5 }), (observations, every) => {
        expect(run(scenarios, observations, { tickEvery: every })).toEqual(run(scenarios, observations));
      }),
      { numRuns: 200 },
    );
  });
  it('snapshot and restore mid-stream give the detections of an uninterrupted run', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (observations, cut) => {
        expect(run(scenarios, observations, { cutAt: cut % observations.length })).toEqual(
          run(scenarios, observations),
        );
      }),
      { numRuns: 200 },
    );
  });
  it('blackhole: a key never fires twice within the blackhole', () => {
    fc.assert(
      fc.property(stream, (observations) => {
        const fired = run(scenarios, observations).filter(
          (d) => d.scenario === 'p/trigger' || d.scenario === 'p/leaky',
        );
        const last = new Map<string, number>();
        for (const d of fired) {
          const key = `${d.scenario}:${d.entity.value}`;
          const prev = last.get(key);
          const hole = d.scenario === 'p/trigger' ? 25 * S : 7 * S;
          if (prev !== undefined) expect(d.time - prev).toBeGreaterThanOrEqual(hole);
          last.set(key, d.time);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('bad snapshot text never crashes anything but restore, with a LeukoError', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const e = createScenarioEngine(scenarios, { ids: createSequentialIds() });
        try {
          e.restore(text);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('STORE_FAILED');
        }
        e.process(obs(0, { 'event.dataset': 'x', 'source.ip': 'a', 'user.name': 'root' }));
      }),
    );
  });
});
