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
