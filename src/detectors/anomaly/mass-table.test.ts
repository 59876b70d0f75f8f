import { describe, expect, it } from 'vitest';
import { MassTable } from './mass-table.js';

describe('MassTable', () => {
  it('counts like a Map, iterates in insertion order and survives growth and clearing', () => {
    const t = new MassTable();
    const m = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const node = (i * 7919) % 65_535;
      t.add(node, 1);
      m.set(node, (m.get(node) ?? 0) + 1);
    }
    expect(t.size).toBe(m.size);
    expect([...t]).toEqual([...m]);
    expect(t.get(123_456)).toBe(0);
    expect([...MassTable.from([...m])]).toEqual([...m]);
    t.clear();
    expect(t.size).toBe(0);
    expect([...t]).toEqual([]);
    t.add(2 ** 30, 2);
    expect(t.get(2 ** 30)).toBe(2);
    expect(t.get(5)).toBe(0);
  });
});
