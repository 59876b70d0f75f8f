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
