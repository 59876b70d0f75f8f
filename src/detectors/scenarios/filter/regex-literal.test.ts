import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinDataDir } from '../paths.js';
import { parseListEntries } from './data-file.js';
import { createRegexListTest, requiredLiteral } from './regex-literal.js';

describe('requiredLiteral', () => {
  it('takes the longest literal run outside groups and classes', () => {
    expect(requiredLiteral('/tmui/[^?]{0,200}\\.\\.;/')).toBe('/tmui/');
    expect(requiredLiteral('[?&]class\\.module\\.classloader\\b')).toBe('class.module.classloader');
    expect(requiredLiteral('/remote_agent\\.php\\?(?:[^&]*&)*poller_id=[^&]*[;|`$]')).toBe('/remote_agent.php?');
    expect(requiredLiteral('(?:^|[?\\s])(?:-|\\u00ad)d\\s{0,5}allow_url_include\\s{0,5}=')).toBe('allow_url_include');
  });
  it('drops characters a quantifier makes optional, keeps those it repeats', () => {
    expect(requiredLiteral('abcd?ef')).toBe('abc');
    expect(requiredLiteral('abc*xy')).toBe('ab');
    expect(requiredLiteral('ab{0,3}cd')).toBe('cd');
    expect(requiredLiteral('abc+de')).toBe('abc');
    expect(requiredLiteral('abc{2,}?de')).toBe('abc');
  });
  it('treats escapes by what they stand for', () => {
    expect(requiredLiteral('\\$\\{x')).toBe('${x');
    expect(requiredLiteral('ab\\x00cd\\u00adef\\\\gh')).toBe('ef\\gh');
    expect(requiredLiteral('a\\db\\wcd\\bef')).toBe('cd');
  });
  it('gives up on a top-level alternation, back references and runs under two characters', () => {
    expect(requiredLiteral('foo|bar')).toBeUndefined();
    expect(requiredLiteral('(?<n>ab)\\k<n>xyz')).toBeUndefined();
    expect(requiredLiteral('a.b.c')).toBeUndefined();
    expect(requiredLiteral('(?:abc|abd)x[yz]')).toBeUndefined();
  });
  it('names text every match holds (property, small alphabet)', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'c', '/', '\\.', '.', '[ab]', '[^a]', '(?:ab|c)', '(a|bc)', '\\d', '\\b', '|'),
      fc.constantFrom('a', 'b', 'c').map((c) => `${c}${c}`),
    );
    const quant = fc.constantFrom('', '', '', '*', '+', '?', '{0,2}', '{1,2}', '{2}', '*?');
    const regex = fc
      .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 8 })
      .map((xs) => xs.map(([a, q]) => a + q).join(''));
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '/', '.', '1'), maxLength: 14 });
    fc.assert(
      fc.property(regex, fc.array(text, { minLength: 1, maxLength: 20 }), (src, texts) => {
        let re: RegExp;
        try {
          re = new RegExp(src);
        } catch {
          return; // the grammar can write `\\b+`, which JavaScript refuses
        }
        const lit = requiredLiteral(src);
        if (lit === undefined) return;
        for (const t of texts) {
          const m = re.exec(t);
          if (m !== null) expect(m[0]).toContain(lit);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('createRegexListTest', () => {
  const list = (f: string) =>
    parseListEntries(readFileSync(path.join(builtinDataDir(), f), 'utf8'), true).map((e) => new RegExp(e.pattern));
  const shipped = [...list('cve_exploits.tsv'), ...list('cve_exploits_encoded.tsv')];
  const naive = (s: string) => shipped.some((r) => r.test(s));
  const gated = createRegexListTest(shipped);
  it('gates every shipped signature on a literal', () => {
    for (const r of shipped) expect(requiredLiteral(r.source), r.source).toBeDefined();
  });
  it('agrees with running every regex (property, pieces of the signatures)', () => {
    const piece = fc.constantFrom(
      '/tmui/login.jsp/',
      '..;/',
      '../',
      '/remote/fgt_lang?',
      'lang=',
      '${',
      '(#a=',
      '@java.lang.runtime@',
      '}/',
      'x.action',
      '?class.module.classloader.',
      '&',
      '?',
      '/etc/',
      '%3f',
      'request=log&',
      '/index.php?',
      '</td>',
      'allow_url_include=',
      '-d ',
      '/',
      'a',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (ps) => {
        const s = ps.join('');
        expect(gated(s)).toBe(naive(s));
      }),
      { numRuns: 3000 },
    );
  });
});
