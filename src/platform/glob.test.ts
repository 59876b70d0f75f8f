import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandFileGlob, isGlob } from './glob.js';

/** A tree like a host's: vhost logs, a hidden directory, a pod log behind a link, a directory named like a log. */
function tree(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'leuko-glob-'));
  for (const dir of ['a', 'b', '.hidden', 'pods/web', 'dir.log']) mkdirSync(path.join(d, dir), { recursive: true });
  for (const f of ['a/access.log', 'b/access.log', 'b/notes.txt', '.hidden/access.log', 'pods/web/0.log', 'z.log'])
    writeFileSync(path.join(d, f), 'x\n');
  symlinkSync(path.join(d, 'pods/web/0.log'), path.join(d, 'web_default.log'));
  symlinkSync(path.join(d, 'gone.log'), path.join(d, 'dangling.log'));
  return d;
}

describe('expandFileGlob', () => {
  it('expands patterns in any part of the path, sorted, skipping hidden names, directories and dangling links', () => {
    const d = tree();
    const at = (...p: string[]) => p.map((x) => path.join(d, x));
    expect(expandFileGlob(path.join(d, '*', 'access.log'))).toEqual(at('a/access.log', 'b/access.log'));
    expect(expandFileGlob(path.join(d, '*.log'))).toEqual(at('web_default.log', 'z.log'));
    expect(expandFileGlob(path.join(d, '[ab]', '*'))).toEqual(at('a/access.log', 'b/access.log', 'b/notes.txt'));
    expect(expandFileGlob(path.join(d, '[!a]', '*.log'))).toEqual(at('b/access.log'));
    expect(expandFileGlob(path.join(d, '?', '*.txt'))).toEqual(at('b/notes.txt'));
    expect(expandFileGlob(path.join(d, '.hidden', '*.log'))).toEqual(at('.hidden/access.log'));
    expect(expandFileGlob(path.join(d, 'pods', '*', '*.log'))).toEqual(at('pods/web/0.log'));
    expect(expandFileGlob(path.join(d, 'nothing-*', '*.log'))).toEqual([]);
  });

  it('returns a path without glob characters as it is, existing or not', () => {
    expect(isGlob('/var/log/auth.log')).toBe(false);
    expect(isGlob('/var/log/nginx/*.log')).toBe(true);
    expect(expandFileGlob('/nonexistent/dir/app.log')).toEqual(['/nonexistent/dir/app.log']);
  });

  it('takes regular expression characters in names literally', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'leuko-glob-'));
    for (const f of ['a+b.log', 'aab.log', 'x(1).log']) writeFileSync(path.join(d, f), '');
    expect(expandFileGlob(path.join(d, 'a+b*'))).toEqual([path.join(d, 'a+b.log')]);
    expect(expandFileGlob(path.join(d, 'x(1)*'))).toEqual([path.join(d, 'x(1).log')]);
  });
});
