import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createLocalTime, createYearGuesser, isoAt } from './time.js';

describe('time', () => {
  it('honours ISO offsets', () => {
    const local = createLocalTime();
    expect(isoAt('2019-07-08T17:40:16.954167-04:00', 0, local)?.[0]).toBe(Date.parse('2019-07-08T21:40:16.954Z'));
    expect(isoAt('2019-01-03T08:50:04Z', 0, local)?.[0]).toBe(Date.parse('2019-01-03T08:50:04Z'));
  });

  it('guesses the syslog year from now, last year for future dates, and rolls Dec -> Jan', () => {
    const clock = createManualClock(new Date(2005, 7, 14, 10).getTime());
    const guess = createYearGuesser(clock, createLocalTime());
    expect(new Date(guess(5, 21, 16, 47, 48, 0)).getFullYear()).toBe(2005);
    expect(new Date(guess(11, 12, 20, 4, 39, 0)).getFullYear()).toBe(2004);
    expect(new Date(guess(0, 2, 1, 0, 0, 0)).getFullYear()).toBe(2005);
    // A day ahead is tolerated (clock skew, zones), more is last year.
    expect(new Date(guess(7, 15, 9, 0, 0, 0)).getFullYear()).toBe(2005);
    expect(new Date(guess(7, 20, 9, 0, 0, 0)).getFullYear()).toBe(2004);
  });

  it('keeps a replayed old stream in its year and steps over New Year', () => {
    const clock = createManualClock(new Date(2024, 0, 10).getTime());
    const guess = createYearGuesser(clock, createLocalTime());
    expect(new Date(guess(11, 30, 12, 0, 0, 0)).getFullYear()).toBe(2023);
    expect(new Date(guess(11, 31, 23, 59, 59, 0)).getFullYear()).toBe(2023);
    expect(new Date(guess(0, 1, 0, 0, 1, 0)).getFullYear()).toBe(2024);
  });
});

describe('iso formatter', () => {
  it('matches Date#toISOString', async () => {
    const { createIsoFormatter } = await import('./time.js');
    const iso = createIsoFormatter();
    for (const ms of [0, 1, 999, 86_399_999, 1718000000123, -1, -86_400_001, 253402300799999, 951782400000]) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

/** createYearGuesser as it was before it remembered its last call: the reference. */
function plainYearGuesser(now: () => number, local: ReturnType<typeof createLocalTime>) {
  let lastYear = -1;
  let lastMonth = -1;
  let nowCached = Number.NaN;
  let nowYear = 0;
  return (mo: number, d: number, h: number, mi: number, s: number, ms: number): number => {
    const n = now();
    if (!(Math.abs(n - nowCached) < 60_000)) {
      nowCached = n;
      nowYear = new Date(n).getFullYear();
    }
    const limit = n + 86_400_000;
    let y = nowYear;
    let t = local(y, mo, d, h, mi, s, ms);
    if (t > limit) {
      y--;
      t = local(y, mo, d, h, mi, s, ms);
    }
    if (lastYear >= 0) {
      if (y < lastYear) {
        const t2 = local(lastYear, mo, d, h, mi, s, ms);
        if (t2 <= limit) {
          y = lastYear;
          t = t2;
        }
      }
      if (y === lastYear && lastMonth - mo >= 6) {
        const t3 = local(y + 1, mo, d, h, mi, s, ms);
        if (t3 <= limit) {
          y++;
          t = t3;
        }
      }
    }
    if (Number.isFinite(t)) {
      lastYear = y;
      lastMonth = mo;
    }
    return t;
  };
}

describe('year guesser memo', () => {
  it('answers a repeated call as the plain computation does, whatever came before', () => {
    // Stamps near New Year and "now", repeated in runs (the memo's case), with the clock
    // sometimes moving between calls, and invalid fields now and then.
    const stamp = fc.record({
      mo: fc.constantFrom(0, 1, 5, 6, 10, 11, 12),
      d: fc.constantFrom(0, 1, 2, 14, 15, 28, 30, 31, 32),
      h: fc.constantFrom(0, 9, 23, 24),
      mi: fc.constantFrom(0, 59, 60),
      s: fc.constantFrom(0, 59, 60, 61),
      ms: fc.constantFrom(0, 999),
    });
    const step = fc.record({
      stamp,
      repeat: fc.integer({ min: 1, max: 3 }),
      clockMove: fc.constantFrom(0, 0, 1, 30_000, 3_600_000, 86_400_000),
    });
    const start = fc.constantFrom(
      new Date(2024, 0, 1, 0, 30).getTime(),
      new Date(2024, 11, 31, 23, 30).getTime(),
      new Date(2005, 7, 14, 10).getTime(),
      new Date(2024, 1, 29, 12).getTime(),
    );
    fc.assert(
      fc.property(start, fc.array(step, { maxLength: 40 }), (t0, steps) => {
        const clock = createManualClock(t0);
        const memo = createYearGuesser(clock, createLocalTime());
        const plain = plainYearGuesser(() => clock.now(), createLocalTime());
        for (const { stamp: x, repeat, clockMove } of steps) {
          clock.advance(clockMove);
          for (let r = 0; r < repeat; r++) {
            expect(memo(x.mo, x.d, x.h, x.mi, x.s, x.ms)).toBe(plain(x.mo, x.d, x.h, x.mi, x.s, x.ms));
          }
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
