import { describe, expect, it } from 'vitest';
import { compilePyRegex, RegexTranslationError } from './py-regex.js';

const groups = (re: string, text: string) => compilePyRegex(re).search(text)?.groups;
const matches = (re: string, text: string, multiline = false) =>
  compilePyRegex(re, { multiline }).search(text) !== null;

describe('Python regex -> JavaScript', () => {
  it('reads named groups and named backreferences', () => {
    expect(groups('(?P<user>\\w+)=(?P=user)', 'x ab=ab')).toEqual({ user: 'ab' });
    expect(matches('(?P<user>\\w+)=(?P=user)$', 'ab=ac')).toBe(false);
  });

  it('keeps Python `$`: end, or before one final newline; never inside', () => {
    expect(matches('abc$', 'abc\n')).toBe(true);
    expect(matches('abc$', 'abc\n\n')).toBe(false);
    expect(matches('abc$', 'abc\nx')).toBe(false);
    expect(matches('abc\\Z', 'abc\n')).toBe(false);
    expect(matches('^b$', 'a\nb\nc', true)).toBe(true);
    expect(matches('^b$', 'a\rb\rc', true)).toBe(false);
  });

  it('matches `.` on everything but `\\n` (JavaScript also stops at \\r and U+2028)', () => {
    expect(matches('^a.b$', 'a\rb')).toBe(true);
    expect(matches('^a.b$', 'a\u2028b')).toBe(true);
    expect(matches('^a.b$', 'a\nb')).toBe(false);
    expect(matches('(?s)^a.b$', 'a\nb')).toBe(true);
  });

  it('gives \\d, \\w and \\b their Unicode meaning', () => {
    expect(matches('^\\d+$', '١٢٣')).toBe(true);
    expect(matches('^\\w+$', 'jürgen_ß')).toBe(true);
    expect(matches('\\bü', 'a ü')).toBe(true);
    expect(matches('a\\bü', 'aü')).toBe(false);
  });

  it('expands local case-insensitive groups (no modifiers in Node 20)', () => {
    expect(matches('SASL (?i:login|plain) x', 'SASL LoGiN x')).toBe(true);
    expect(matches('SASL (?i:login) X', 'SASL login x')).toBe(false);
    expect(matches('(?i)^failed', 'FAILED')).toBe(true);
  });

  it('reads Python-only spellings: {,n}, literal {, ] first in a class, [[], \\- and \\#', () => {
    expect(matches('^a{,2}$', 'aa')).toBe(true);
    expect(matches('^a{,2}$', 'aaa')).toBe(false);
    expect(matches('^x{y}$', 'x{y}')).toBe(true);
    expect(matches('^[]a]+$', ']a]')).toBe(true);
    expect(matches('^[^[]*\\[', 'abc[')).toBe(true);
    expect(matches('^\\-\\#\\ $', '-# ')).toBe(true);
    expect(matches('(?#a comment)^ok$', 'ok')).toBe(true);
  });

  it('runs conditionals (?(name)yes|no) by expanding the participation of the group', () => {
    const re = '^(?P<q>")?(?P<v>[^"\\s]+)(?(q)"|)$';
    expect(groups(re, '"abc"')).toEqual({ q: '"', v: 'abc' });
    expect(groups(re, 'abc')).toEqual({ q: undefined, v: 'abc' });
    expect(groups(re, '"abc')).toBeUndefined();
    // the sshd shape: a group set in one alternative decides the tail
    const sshd =
      '^for (?P<inv>invalid user )?(?P<user>(?P<cu>\\S+)|(?(inv)(?:(?! from ).)*?|[^:]+)) from (?P<ip>\\S+)(?(cu): |(?:(?! from ).)*$)';
    expect(groups(sshd, 'for invalid user a b from 1.2.3.4 port 1')?.ip).toBe('1.2.3.4');
    expect(groups(sshd, 'for root from 1.2.3.4: x')?.cu).toBe('root');
  });

  it('keeps group numbers (group 1 of date templates, \\1)', () => {
    const m = compilePyRegex('(?:x)(a+)(?P<n>b)\\1', { indices: true }).search('xaba');
    expect(m?.group(1)).toBe('a');
    expect(m?.span(1)).toEqual([1, 2]);
  });

  it('refuses what JavaScript cannot express, naming it', () => {
    expect(() => compilePyRegex('(?>a+)b')).toThrow(/atomic group/);
    expect(() => compilePyRegex('a++')).toThrow(/possessive/);
    expect(() => compilePyRegex('a(?i)b')).toThrow(/global flags not at the start/);
    expect(() => compilePyRegex('(?P<x>a)(?P<x>b)')).toThrow(RegexTranslationError);
    expect(() => compilePyRegex('\\q')).toThrow(/bad escape/);
  });

  it('skips the regex when a required literal is absent', () => {
    const re = compilePyRegex('^Failed (?P<m>\\S+) for');
    expect(re.literal).toBe('Failed ');
    expect(re.search('Accepted password for x')).toBeNull();
  });
});
