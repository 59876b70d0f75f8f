import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escalatedDurationS } from './escalation.js';

const policy = { factor: 2, maxDurationS: 30 * 86400, jitter: 0 };

describe('escalatedDurationS', () => {
  it('doubles per repeat offence and caps', () => {
    expect(escalatedDurationS(3600, 1, policy, 'ip:a')).toBe(3600);
    expect(escalatedDurationS(3600, 2, policy, 'ip:a')).toBe(7200);
    expect(escalatedDurationS(3600, 3, policy, 'ip:a')).toBe(14400);
    expect(escalatedDurationS(3600, 50, policy, 'ip:a')).toBe(30 * 86400);
  });

  it('jitter stays within bounds, is deterministic, and differs between entities', () => {
    const j = { ...policy, jitter: 0.1 };
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 6 }), (entity, n) => {
        const d = escalatedDurationS(3600, n, j, entity);
        const raw = Math.min(3600 * 2 ** (n - 1), j.maxDurationS);
        expect(d).toBeGreaterThanOrEqual(Math.floor(raw * 0.9));
        expect(d).toBeLessThanOrEqual(Math.ceil(Math.min(raw * 1.1, j.maxDurationS)));
        expect(escalatedDurationS(3600, n, j, entity)).toBe(d);
      }),
    );
    const values = new Set(['a', 'b', 'c', 'd', 'e'].map((e) => escalatedDurationS(3600, 1, j, e)));
    expect(values.size).toBeGreaterThan(1);
  });
});
