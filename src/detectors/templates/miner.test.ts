import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLogFormat } from './log-format.js';
import { createMasker } from './masking.js';
import { extractParameters, TemplateMiner } from './miner.js';
import { readMinerSettings } from './settings-file.js';
import { hasNumbers, splitTokens } from './tokenize.js';

describe('masking', () => {
  it('replaces every match with <*>, regexes in order, each seeing the previous output', () => {
    const m = createMasker(['(\\d+\\.){3}\\d+', '<\\*>:\\d+']);
    expect(m.mask('from 10.0.0.1:22 and 192.168.1.9')).toBe('from <*> and <*>');
  });
  it('accepts the Python spellings Loghub settings use (identity escapes, (?P<name>))', () => {
    const m = createMasker(['\\b(\\-?\\+?\\d+)\\b', '(?P<hex>0x[0-9a-f]+)']);
    // As in Python: no word boundary between a space and '-', so the sign stays.
    expect(m.mask('delta -12 at 0xff')).toBe('delta -<*> at <*>');
  });
  it('names the regex that does not compile', () => {
    expect(() => createMasker(['ok', '(unclosed'])).toThrow(/masking regex #2 "\(unclosed" does not compile/);
  });
});

describe('log_format', () => {
  it('captures headers lazily and gives the content; runs of spaces match any whitespace', () => {
    const f = compileLogFormat('<Date> <Time> <Level> <Component>: <Content>');
    expect(f.headers).toEqual(['Date', 'Time', 'Level', 'Component', 'Content']);
    expect(f.content('081109 203615 INFO dfs.DataNode: Receiving block blk_1')).toBe('Receiving block blk_1');
    expect(f.content('081109  203615\tINFO x: y')).toBe('y');
    expect(f.content('no colon here')).toBeUndefined();
  });
  it('requires <Content>', () => {
    expect(() => compileLogFormat('<Date> <Time>')).toThrow(/must contain <Content>/);
  });
});

describe('tokenize like Python str.split()', () => {
  it('splits on Python whitespace, never yields empty tokens', () => {
    expect(splitTokens('  a\tb\u000bc\x1cd\u00a0e  ')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(splitTokens('   ')).toEqual([]);
    expect(splitTokens('a\ufeffb')).toEqual(['a\ufeffb']);
  });
  it('hasNumbers is Python isdigit over the token', () => {
    expect(hasNumbers('abc')).toBe(false);
    expect(hasNumbers('a1')).toBe(true);
    expect(hasNumbers('x²')).toBe(true);
    expect(hasNumbers('٣')).toBe(true);
  });
});

describe('TemplateMiner', () => {
  it('mines the content only, and still gives a line outside the format a template', () => {
    const m = new TemplateMiner({ log_format: '<Date> <Time> <Content>', regex: ['\\d+'], st: 0.5, depth: 4 });
    const a = m.add('2024-01-01 10:00:00 user 12 logged in');
    const b = m.add('2024-01-02 11:00:00 user 13 logged in');
    expect(b.id).toBe(a.id);
    expect(b.template).toBe('user <*> logged in');
    const odd = m.add('garbage');
    expect(odd.unformatted).toBe(true);
    expect(odd.id).toBeGreaterThan(0);
  });

  it('every line, whatever its bytes, gets an id; the same line again gets the same id', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 40 }), fc.string(), (history, line) => {
        const m = new TemplateMiner({ log_format: '<A> <B>: <Content>', regex: ['\\d+'], st: 0.5, depth: 4 });
        for (const l of history) expect(m.add(l).id).toBeGreaterThan(0);
        expect(m.add(line).id).toBe(m.add(line).id);
      }),
    );
  });

  it('extracts parameters under the template', () => {
    expect(extractParameters('user <*> logged in from <*>', 'user bob logged in from 10.0.0.1')).toEqual([
      'bob',
      '10.0.0.1',
    ]);
    expect(extractParameters('no params', 'no params')).toEqual([]);
    expect(extractParameters('a <*> b', 'something else')).toEqual([]);
  });
});

describe('settings files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-settings-'));
  const write = (name: string, v: unknown) => {
    const f = path.join(dir, name);
    writeFileSync(f, JSON.stringify(v));
    return f;
  };
  it('reads one entry, or one entry of a whole benchmark map with dataset', () => {
    expect(readMinerSettings(write('one.json', { log_format: '<Content>', regex: [], st: 0.4, depth: 4 }))).toEqual({
      log_format: '<Content>',
      regex: [],
      st: 0.4,
      depth: 4,
    });
    const all = write('all.json', { _source: 'x', HDFS: { st: 0.5, depth: 4 } });
    expect(readMinerSettings(all, 'HDFS')).toEqual({ st: 0.5, depth: 4 });
    expect(() => readMinerSettings(all)).toThrow(/whole settings map.*--dataset/);
    expect(() => readMinerSettings(all, 'Nope')).toThrow(/no settings entry "Nope" \(entries: HDFS\)/);
  });
  it('names the bad key', () => {
    expect(() => readMinerSettings(write('bad.json', { st: 'high' }))).toThrow(/st must be a number/);
    expect(() => readMinerSettings(write('bad2.json', { regex: 'x' }))).toThrow(/regex must be a list/);
  });
});
