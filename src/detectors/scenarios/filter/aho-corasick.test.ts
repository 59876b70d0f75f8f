import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMultiMatcher } from './aho-corasick.js';

describe('createMultiMatcher', () => {
  it('finds any pattern anywhere', () => {
    const m = createMultiMatcher(['he', 'she', 'his', 'hers']);
    expect(m.test('ushers')).toBe(true);
    expect(m.test('xyz')).toBe(false);
  });
  it('anchors at the start or end', () => {
    expect(createMultiMatcher(['.env', '.git'], { position: 'end' }).test('/x/.env')).toBe(true);
    expect(createMultiMatcher(['.env', '.git'], { position: 'end' }).test('/x/.env.php')).toBe(false);
    expect(createMultiMatcher(['/admin'], { position: 'start' }).test('/admin/x')).toBe(true);
    expect(createMultiMatcher(['/admin'], { position: 'start' }).test('/x/admin')).toBe(false);
  });
  it('respects word boundaries with `words`', () => {
    const m = createMultiMatcher(['Bolt', 'Nikto', 'ECCP/1.0'], { words: true });
    expect(m.test('Mozilla/5.00 (Nikto/2.1.5)')).toBe(true);
    expect(m.test('Boltzmann/1.0')).toBe(false);
    expect(m.test('x ECCP/1.0 y')).toBe(true);
  });
  it('agrees with a naive scan (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '/', '.');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 12 }),
        fc.string({ unit: alphabet, maxLength: 30 }),
        (pats, text) => {
          expect(createMultiMatcher(pats).test(text)).toBe(pats.some((p) => text.includes(p)));
          expect(createMultiMatcher(pats, { position: 'end' }).test(text)).toBe(pats.some((p) => text.endsWith(p)));
          expect(createMultiMatcher(pats, { position: 'start' }).test(text)).toBe(pats.some((p) => text.startsWith(p)));
        },
      ),
    );
  });
});

/** `\b`-style boundaries, the obvious way: every occurrence of every pattern, checked with a regex. */
function naiveWords(pats: readonly string[], text: string, position: 'anywhere' | 'start' | 'end'): boolean {
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  for (const p of pats) {
    if (p === '') continue;
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) {
      const end = i + p.length - 1;
      if (position === 'start' && i !== 0) continue;
      if (position === 'end' && end !== text.length - 1) continue;
      if (isWord(p[0]) && isWord(text[i - 1])) continue;
      if (isWord(p[p.length - 1]) && isWord(text[end + 1])) continue;
      return true;
    }
  }
  return false;
}

describe('createMultiMatcher (table automaton and anchored tries)', () => {
  const alphabet = fc.constantFrom('a', 'b', 'A', '_', ' ', '/', 'é', '😀');
  const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });
  const text = fc.string({ unit: alphabet, maxLength: 40 });
  it('agrees with a naive scan with word boundaries, non-ASCII included (property)', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), text, (pats, t) => {
        for (const position of ['anywhere', 'start', 'end'] as const) {
          expect(createMultiMatcher(pats, { position, words: true }).test(t)).toBe(naiveWords(pats, t, position));
          expect(createMultiMatcher(pats, { position }).test(t)).toBe(
            position === 'start'
              ? pats.some((p) => t.startsWith(p))
              : position === 'end'
                ? pats.some((p) => t.endsWith(p))
                : pats.some((p) => t.includes(p)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
  it('handles large lists (hundreds of patterns) like a naive scan', () => {
    const pats = Array.from({ length: 700 }, (_, i) => `tool-${i.toString(36)}/`);
    const m = createMultiMatcher(pats);
    expect(m.test('Mozilla/5.0 tool-j3/1.0')).toBe(true);
    expect(m.test('Mozilla/5.0 tool-zzz/1.0')).toBe(false);
    expect(m.test('tool-0tool-1/')).toBe(true);
  });
});
