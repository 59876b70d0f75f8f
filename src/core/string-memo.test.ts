import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringMemo } from './string-memo.js';

describe('StringMemo', () => {
  it('remembers what was set, by content, not by string identity', () => {
    const memo = new StringMemo<number>(4, 2, 64);
    const line = 'GET /index.html HTTP/1.1';
    memo.set(line.slice(4, 15), 1);
    expect(memo.get('/index.html')).toBe(1);
    expect(memo.get('/index.htm')).toBeUndefined();
  });

  it('keeps no key longer than its limit', () => {
    const memo = new StringMemo<number>(4, 2, 8);
    memo.set('123456789', 1);
    expect(memo.get('123456789')).toBeUndefined();
  });

  it('evicts the least recent entry of a full set', () => {
    // One set: every key competes for the same two ways.
    const memo = new StringMemo<string>(1, 2, 64);
    memo.set('a', 'A');
    memo.set('b', 'B');
    expect(memo.get('a')).toBe('A'); // `a` is now the most recent
    memo.set('c', 'C');
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBe('A');
    expect(memo.get('c')).toBe('C');
  });

  it('never answers a value other than the last one set for that key (property)', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', '/', '%', 'é'), maxLength: 40 });
    const op = fc.record({ key, set: fc.boolean(), value: fc.integer() });
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 200 }),
        fc.constantFrom(1, 2, 8),
        fc.constantFrom(1, 2, 4),
        (ops, sets, ways) => {
          const memo = new StringMemo<number>(sets, ways, 30);
          const oracle = new Map<string, number>();
          for (const o of ops) {
            // Build the key afresh so the memo only ever sees equal, not identical, strings.
            const k = `${o.key}!`.slice(0, -1);
            if (o.set) {
              memo.set(k, o.value);
              if (k.length <= 30) oracle.set(k, o.value);
            } else {
              const got = memo.get(k);
              if (got !== undefined) expect(got).toBe(oracle.get(k));
            }
          }
        },
      ),
    );
  });
});
