import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createBatchClock } from './batch-clock.js';

describe('batch clock', () => {
  it('answers the time of its last refresh until the next one', () => {
    const clock = createManualClock(1_000);
    const batch = createBatchClock(clock);
    expect(batch.now()).toBe(1_000);
    clock.advance(500);
    expect(batch.now()).toBe(1_000);
    batch.refresh();
    expect(batch.now()).toBe(1_500);
  });
});
