import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCadenceHandler } from './cadence.js';
import { createDistributedHandler } from './distributed.js';
import { createSequenceHandler } from './sequence.js';
import { FIRE, type KindState, POURED } from './handler.js';

/** Out-of-order times included: events from several files do not arrive sorted. */
const pours = fc.array(
  fc.record({ dt: fc.integer({ min: -3000, max: 9000 }), v: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
  { minLength: 1, maxLength: 80 },
);

/** The distributed count written the obvious way: scan every source on every event. */
function referenceDistributed(windowMs: number, threshold: number) {
  const src: Record<string, number> = {};
  return {
    pour(t: number, v: string): number {
      for (const k of Object.keys(src)) if (t - src[k]! >= windowMs) delete src[k];
      const n = Object.keys(src).length + (v in src ? 0 : 1);
      src[v] = Math.max(t, src[v] ?? t);
      return n >= threshold ? FIRE : POURED;
    },
    drained: (now: number) => Object.keys(src).every((k) => now - src[k]! >= windowMs),
    sources: () => Object.keys(src).length,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The cadence kind written the obvious way: sort a copy of the gaps on every event. */
function referenceCadence(minEvents: number, minMedianMs: number) {
  const times: number[] = [];
  let last = 0; // the handler's init(0)
  return (t: number): number => {
    const at = Math.max(t, last);
    times.push(at);
    last = at;
    if (times.length > minEvents) times.shift();
    if (times.length < minEvents) return POURED;
    const gaps: number[] = [];
    for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
    return median(gaps) > minMedianMs ? FIRE : POURED;
  };
}

describe('distributed kind', () => {
  it('counts sources in the window like a full scan, and survives a JSON round trip (property)', () => {
    fc.assert(
      fc.property(
        pours,
        fc.integer({ min: 1000, max: 20_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (list, windowMs, threshold, cut) => {
          const h = createDistributedHandler(windowMs, threshold);
          const ref = referenceDistributed(windowMs, threshold);
          let state: KindState = h.init(0);
          let t = 50_000;
          list.forEach(({ dt, v }, i) => {
            t += dt;
            if (i === cut % list.length) state = h.revive!(JSON.parse(JSON.stringify(state)))!;
            expect(h.pour(state, t, v)).toBe(ref.pour(t, v));
            expect(h.sources!(state)).toBe(ref.sources());
            for (const probe of [t, t + windowMs / 2, t + windowMs])
              expect(h.drained(state, probe)).toBe(ref.drained(probe));
            expect(h.drained(state, h.drainsAt(state))).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
  it('rejects a snapshot state that is not one', () => {
    const h = createDistributedHandler(1000, 2);
    expect(h.revive!({ src: 'x' })).toBeUndefined();
    expect(h.revive!({})).toBeUndefined();
  });
});

describe('cadence kind', () => {
  it('fires on the median gap like a sort of every window (property)', () => {
    fc.assert(
      fc.property(pours, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 6000 }), (list, minEvents, gap) => {
        const h = createCadenceHandler(minEvents, gap, 3_600_000, false);
        const ref = referenceCadence(minEvents, gap);
        const state = h.init(0);
        let t = 50_000;
        for (const { dt } of list) {
          t += dt;
          expect(h.pour(state, t, undefined)).toBe(ref(t));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sequence kind', () => {
  it('is armed exactly when threshold events fall in the window, in any order, across a JSON round trip (property)', () => {
    fc.assert(
      fc.property(
        pours,
        fc.integer({ min: 1000, max: 20_000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: -5000, max: 30_000 }),
        fc.nat(),
        (list, windowMs, threshold, askAt, cut) => {
          const h = createSequenceHandler(windowMs, threshold);
          let state: KindState = h.init(0);
          const seen: number[] = [];
          let t = 0;
          list.forEach((p, i) => {
            t += p.dt;
            expect(h.pour(state, t, undefined)).toBe(POURED);
            seen.push(t);
            if (i === cut % list.length) state = JSON.parse(JSON.stringify(state)) as KindState;
            // The obvious way: count every event so far inside (at - window, ...].
            const at = t + askAt;
            const inWindow = seen.filter((x) => at - x < windowMs).length;
            expect(h.armed!(state, at)).toBe(inWindow >= threshold);
          });
          const latest = Math.max(...seen);
          expect(h.drained(state, latest + windowMs)).toBe(true);
          expect(h.drained(state, latest + windowMs - 1)).toBe(false);
        },
      ),
    );
  });
});

describe('unordered sequence kind', () => {
  it('fires once a filter event and a held followed_by event fall within the window, whichever came first (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 1, max: 60_000 }), follow: fc.boolean() }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 500, max: 10_000 }),
        (list, windowMs) => {
          const h = createSequenceHandler(windowMs, 1, true);
          let state: KindState = h.init(0);
          const sorted = [...list].sort((a, b) => a.at - b.at);
          const filterAt: number[] = [];
          const followAt: number[] = [];
          let fired = false;
          for (const e of sorted) {
            // What the engine does: a drained bucket starts over; a fired one is gone.
            if (h.drained(state, e.at)) state = h.reset(state, e.at);
            // A snapshot round trip on the way changes nothing.
            state = JSON.parse(JSON.stringify(state)) as KindState;
            let outcome: number = POURED;
            if (e.follow) {
              if (h.armed!(state, e.at)) outcome = FIRE;
              else h.hold!(state, e.at);
            } else outcome = h.pour(state, e.at, undefined);
            // Reference: the latest event of the other kind is within the window before this one
            // (the events between them are closer still, so the bucket was not drained meanwhile).
            const other = e.follow ? filterAt : followAt;
            const want = other.length > 0 && e.at - Math.max(...other) < windowMs;
            (e.follow ? followAt : filterAt).push(e.at);
            expect(outcome === FIRE, JSON.stringify(sorted)).toBe(want);
            if (outcome === FIRE) {
              fired = true;
              break;
            }
          }
          // Never fires without both kinds of event.
          if (fired) expect(filterAt.length > 0 && followAt.length > 0).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
