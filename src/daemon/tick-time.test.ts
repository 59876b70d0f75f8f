import { describe, expect, it } from 'vitest';
import { createTickTime } from './tick-time.js';

describe('tick time', () => {
  it('is the wall clock before any batch', () => {
    expect(createTickTime(1000).at(5_000)).toBe(5_000);
  });

  it('waits for the pipeline to be quiet for the whole period', () => {
    const tt = createTickTime(1000);
    tt.batchDone(10_000, 9_500);
    expect(tt.at(10_999)).toBeUndefined();
    expect(tt.at(11_000)).toBe(10_500);
  });

  it('moves a lagging backlog only by the quiet time, not to the wall clock', () => {
    const tt = createTickTime(1000);
    const hourAgo = 100_000_000 - 3600_000;
    tt.batchDone(100_000_000, hourAgo);
    expect(tt.at(100_002_000)).toBe(hourAgo + 2_000);
    // Ticks do not compound: each is measured from the last batch.
    expect(tt.at(100_003_000)).toBe(hourAgo + 3_000);
  });

  it('never moves past the wall clock', () => {
    const tt = createTickTime(1000);
    tt.batchDone(10_000, 60_000);
    expect(tt.at(12_000)).toBe(12_000);
  });

  it('uses the wall clock when no batch carried an event', () => {
    const tt = createTickTime(1000);
    tt.batchDone(10_000, 0);
    expect(tt.at(12_000)).toBe(12_000);
  });
});
