import { describe, expect, it } from 'vitest';
import { canVouch, recordVouch, VOUCHES_PER_DAY, type Vouched } from './vouching.js';

const DAY = 86_400_000;

describe('vouching budget', () => {
  it('vouches for VOUCHES_PER_DAY distinct newcomers a day, and again for one it vouched for', () => {
    let list: Vouched | undefined;
    for (let i = 0; i < VOUCHES_PER_DAY; i++) {
      expect(canVouch(list, `n${i}`, 1000 + i)).toBe(true);
      list = recordVouch(list, `n${i}`, 1000 + i);
    }
    expect(canVouch(list, 'another', 2000)).toBe(false);
    expect(canVouch(list, 'n0', 2000)).toBe(true);
    expect(recordVouch(list, 'n0', 2000)).toEqual(list);
    // A day later the budget is back, and the list holds only the live entries.
    expect(canVouch(list, 'another', 1000 + DAY + VOUCHES_PER_DAY)).toBe(true);
    expect(recordVouch(list, 'another', 1000 + DAY + VOUCHES_PER_DAY)).toEqual([
      ['another', 1000 + DAY + VOUCHES_PER_DAY],
    ]);
  });
});
