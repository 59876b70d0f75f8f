import { describe, expect, it } from 'vitest';
import { coveredShare, HOLDERS_PER_REQUEST, RequestHolders, requiredRequests } from './request-holders.js';

describe('request holders', () => {
  it('keeps the first holders of a request, making room only for those gone', () => {
    const h = new RequestHolders(100);
    const keys = Array.from({ length: HOLDERS_PER_REQUEST + 1 }, (_, i) => `10.0.0.${i}`);
    for (const k of keys) h.register(k, [7], () => false);
    expect(h.holders(7)).toEqual(keys.slice(0, HOLDERS_PER_REQUEST));
    // Registering again changes nothing; one gone (evicted, flagged) makes room for the next.
    h.register(keys[0] as string, [7], () => false);
    h.register(keys[HOLDERS_PER_REQUEST] as string, [7], (k) => k === keys[1]);
    expect(h.holders(7)).toEqual([keys[0], ...keys.slice(2)]);
    expect(h.holders(8)).toEqual([]);
  });

  it('is bounded: the oldest request registered goes first, and a snapshot restores it', () => {
    const h = new RequestHolders(3);
    h.register('a', [1, 2, 3], () => false);
    h.register('b', [4], () => false);
    expect(h.size).toBe(3);
    expect(h.holders(1)).toEqual([]);
    expect(h.holders(4)).toEqual(['b']);
    const again = new RequestHolders(2);
    again.load(h.entries());
    expect(again.entries()).toEqual([
      [3, ['a']],
      [4, ['b']],
    ]);
  });

  it('names the requests every peer covering the share must have made', () => {
    // 100 requests: 85 of one, 10 of another, 5 of a third. A peer covering 90 % made the first.
    const w = new Map([
      [1, 85],
      [2, 10],
      [3, 5],
    ]);
    expect(requiredRequests(w, 100, 0.9)).toEqual([1]);
    // Spread evenly, a peer may miss any one of ten: it made one of the first two.
    const even = new Map(Array.from({ length: 10 }, (_, i) => [i, 10] as [number, number]));
    expect(requiredRequests(even, 100, 0.9)).toEqual([0, 1]);
    expect(coveredShare(w, 100, [1, 3])).toBeCloseTo(0.9, 9);
    expect(coveredShare(w, 100, [])).toBe(0);
  });
});
