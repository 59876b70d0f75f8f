import { describe, expect, it } from 'vitest';
import { createIdGenerator, createSequentialIds } from './ids.js';

describe('ids', () => {
  it('are unique across pool refills and carry prefix and time', () => {
    const ids = createIdGenerator({ now: () => 0x190f3c2a1b4 });
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) seen.add(ids.next('dec'));
    expect(seen.size).toBe(3000);
    expect([...seen][0]).toMatch(/^dec_0190f3c2a1b4_[0-9a-f]{10}$/);
  });
  it('sequential ids are deterministic', () => {
    const ids = createSequentialIds();
    expect([ids.next('inc'), ids.next('dec')]).toEqual(['inc_000001', 'dec_000002']);
  });
});
