import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexOfText, textAt, textPattern } from './find.js';

// Texts over a small alphabet, so patterns occur often, overlap, and sit at the edges.
const text = fc.string({ unit: fc.constantFrom(' ', 'f', 'r', 'o', 'm', 'x', '=', ';'), maxLength: 40 });
const pattern = fc.string({ unit: fc.constantFrom(' ', 'f', 'r', 'o', 'm', '=', ';'), minLength: 1, maxLength: 6 });
const position = fc.integer({ min: -3, max: 45 });

describe('indexOfText', () => {
  it('agrees with String#indexOf', () => {
    fc.assert(
      fc.property(text, pattern, position, (s, p, from) => {
        const tp = textPattern(p);
        expect(indexOfText(s, tp, from)).toBe(s.indexOf(p, from));
        expect(indexOfText(s, tp)).toBe(s.indexOf(p));
      }),
      { numRuns: 20_000 },
    );
  });

  it('finds the usual log patterns', () => {
    const m = 'Invalid user x from 10.0.0.1 port 22 from 10.0.0.2 port 23';
    expect(indexOfText(m, textPattern(' from '))).toBe(14);
    expect(indexOfText(m, textPattern(' from '), 15)).toBe(36);
    expect(indexOfText(m, textPattern(' rhost='))).toBe(-1);
    expect(() => textPattern('')).toThrow(RangeError);
  });
});

describe('textAt', () => {
  it('agrees with String#startsWith at any position', () => {
    fc.assert(
      fc.property(text, pattern, fc.integer({ min: 0, max: 45 }), (s, p, at) => {
        expect(textAt(s, at, p)).toBe(s.startsWith(p, at));
      }),
      { numRuns: 20_000 },
    );
    expect(textAt('sshd[1]: x', 0, 'sshd')).toBe(true);
    expect(textAt('sshd', 1, 'shd')).toBe(true);
    expect(textAt('sshd', 1, 'shdx')).toBe(false);
    expect(textAt('sshd', 4, '')).toBe(true);
  });
});
