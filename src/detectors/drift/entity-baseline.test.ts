import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayOf, type DriftFinding, newEntityBaseline, updateEntityBaseline } from './entity-baseline.js';

/** The defaults of `learning.drift` (config/learning.ts). */
const SETTINGS = { perDay: 0.2, influence: 0.05, warmup: 24 } as const;
const WINDOW = 600_000;
const START = Date.UTC(2026, 0, 5);
const FLOORS = [0.1];

/** Feed one value per 10-minute window, `days` long; returns the findings' days. */
function run(days: number, value: (t: number) => number | undefined): { day: number; f: DriftFinding }[] {
  const found: { day: number; f: DriftFinding }[] = [];
  let e: ReturnType<typeof newEntityBaseline> | undefined;
  for (let t = START; t < START + days * 86_400_000; t += WINDOW) {
    const v = value(t);
    if (v === undefined) continue;
    if (e === undefined) e = newEntityBaseline([v], FLOORS, dayOf(t), t);
    else {
      const f = updateEntityBaseline(e, [v], FLOORS, dayOf(t), SETTINGS);
      if (f) found.push({ day: dayOf(t) - dayOf(START), f });
    }
  }
  return found;
}

const hourOf = (t: number) => ((t - START) / 3_600_000) % 24;

describe('entity baseline drift findings', () => {
  it('a ramp that pushes against the budget day after day is found', () => {
    // 3.0 (about 20 requests a window) for three days, then +0.47 a day (60 % more each day).
    const found = run(10, (t) => 3 + Math.max(0, (t - START) / 86_400_000 - 3) * 0.47);
    expect(found.length).toBeGreaterThan(0);
    // Held at the budget on the ramp's first full day, found the day after.
    expect(found[0]!.day).toBeLessThanOrEqual(5);
    expect(found[0]!.f.shadow).toBeGreaterThan(found[0]!.f.baseline);
  });

  it('a daily rhythm never is, however wide its swing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 2, noNaN: true }),
        fc.integer({ min: 6, max: 11 }),
        fc.integer({ min: 12, max: 23 }),
        (swing, from, to) => {
          // Active from `from` to `to` o'clock every day, quiet at the edges, busiest mid-way.
          const found = run(14, (t) => {
            const h = hourOf(t);
            if (h < from || h >= to) return undefined;
            return 2 + swing * Math.sin((Math.PI * (h - from)) / (to - from));
          });
          expect(found).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('one unusually busy day is not a ramp either', () => {
    const found = run(10, (t) => ((t - START) / 86_400_000 >= 4 && (t - START) / 86_400_000 < 5 ? 4 : 2.5));
    expect(found).toEqual([]);
  });
});
