import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, oneOfHint, unknownKeyHint } from './hints.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit each', () => {
    expect(editDistance('sshd', 'sshdd')).toBe(1);
    expect(editDistance('nginx', 'ngin')).toBe(1);
    expect(editDistance('heal', 'head')).toBe(1);
    expect(editDistance('fiel', 'file')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('stops early past the bound', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });
});

describe('didYouMean', () => {
  const keys = ['sources', 'policy', 'store', 'scenarios', 'decisions', 'responders', 'log'];

  it('finds the intended key for typical typos', () => {
    expect(didYouMean('stroe', keys)).toBe('store');
    expect(didYouMean('polcy', keys)).toBe('policy');
    expect(didYouMean('source', keys)).toBe('sources');
    expect(didYouMean('Decisions', keys)).toBe('decisions');
    expect(didYouMean('startAt', ['start_at', 'format'])).toBe('start_at');
    expect(didYouMean('jour', ['file', 'journald'])).toBe('journald');
  });

  it('does not guess when nothing is close', () => {
    expect(didYouMean('zzz', keys)).toBeUndefined();
    expect(didYouMean('x', ['ip', 'range'])).toBeUndefined();
  });

  it('builds enum and unknown-key hints', () => {
    expect(oneOfHint(['observe', 'contain', 'heal'], 'contian')).toBe(
      'use one of observe, contain, heal (did you mean "contain"?)',
    );
    expect(oneOfHint(['a', 'b'], 42)).toBe('use one of a, b');
    expect(unknownKeyHint('formt', ['type', 'format'])).toBe('did you mean "format"? known keys here: type, format');
    expect(unknownKeyHint('zzz', [])).toBe('remove it; this section takes no keys');
  });
});
