import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLabelledList, loadDataEntries, loadDataFile, parseListEntries, parseListText } from './data-file.js';

describe('list files', () => {
  it('skips comments and blank lines, keeps trailing spaces, unescapes a leading \\#', () => {
    expect(parseListText('# c\r\nsqlmap\r\n\n<p \n\\#tag\n')).toEqual(['sqlmap', '<p ', '#tag']);
  });
  it('keeps tabs as part of the pattern in a plain list', () => {
    expect(parseListEntries('a\tb\n', false)).toEqual([{ pattern: 'a\tb' }]);
  });
  it('splits labelled lines at the first tab, a missing label being allowed', () => {
    expect(parseListEntries('/tmui/..;/\t CVE-2020-5902 (F5)\t\n/plain\n/x\t\n', true)).toEqual([
      { pattern: '/tmui/..;/', label: 'CVE-2020-5902 (F5)' },
      { pattern: '/plain' },
      { pattern: '/x' },
    ]);
  });
  it('refuses a labelled line without a pattern, which would match everything', () => {
    expect(() => parseListEntries('# x\n\tCVE-1\n', true)).toThrow('line 2: empty pattern before the tab');
  });
  it('reads `.tsv` files as labelled lists', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-list-'));
    writeFileSync(path.join(dir, 'sigs.tsv'), 'a\tA\nb\n');
    writeFileSync(path.join(dir, 'bad.tsv'), '\tA\n');
    expect(isLabelledList('sigs.tsv')).toBe(true);
    expect(isLabelledList('sigs.txt')).toBe(false);
    expect(loadDataEntries('sigs.tsv', [dir])).toEqual([{ pattern: 'a', label: 'A' }, { pattern: 'b' }]);
    expect(loadDataFile('sigs.tsv', [dir])).toEqual(['a', 'b']);
    expect(() => loadDataEntries('bad.tsv', [dir])).toThrow('data file bad.tsv: line 1: empty pattern before the tab');
    expect(() => loadDataEntries('none.tsv', [dir])).toThrow('data file none.tsv not found');
    expect(() => loadDataEntries(path.join(dir, 'none.tsv'), [])).toThrow('not found');
  });
});
