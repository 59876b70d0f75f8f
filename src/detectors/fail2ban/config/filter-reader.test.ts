import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearConfigCache } from './config-set.js';
import { readFilter, splitFilterSpec } from './filter-reader.js';
import { parseIni } from './ini.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'leuko-f2b-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  clearConfigCache();
  return d;
}

describe('fail2ban config reading', () => {
  it('reads configparser syntax: continuation lines, comments, inline ;, `:` delimiter, lower-case names', () => {
    const ini = parseIni(
      '[Definition]\nFailRegex = ^a\n  # a comment line\n            ^b ; inline comment\n\nOther: x=y\n[DEFAULT]\nd = 1\n',
    );
    expect(ini.sections.get('Definition')?.get('failregex')).toBe('^a\n^b');
    expect(ini.sections.get('Definition')?.get('other')).toBe('x=y');
    expect(ini.defaults.get('d')).toBe('1');
  });

  it('follows [INCLUDES] before/after, lets .local override .conf and keeps the old value as known/', () => {
    const d = dir({
      'common.conf': '[DEFAULT]\n_daemon = \\S*\n__prefix = <_daemon>:\n',
      'f.conf':
        '[INCLUDES]\nbefore = common.conf\n[DEFAULT]\n_daemon = food\n[Definition]\nfailregex = ^%(__prefix)s fail from <HOST>$\nignoreregex =\n',
      'f.local': '[Definition]\nfailregex = %(known/failregex)s\n            ^%(__prefix)s also <HOST>$\n',
    });
    const f = readFilter(d, 'f');
    expect(f.failregex).toEqual(['^food: fail from <HOST>$', '^food: also <HOST>$']);
    expect(f.ignoreregex).toEqual([]);
  });

  it('substitutes <tags> from options, [Init] and other sections, with <mode> given in the filter spec', () => {
    const d = dir({
      'g.conf':
        '[lt_file]\npre = F\n[Definition]\nlogtype = file\nmode = normal\nre-normal = ^n <HOST>\nre-extra = ^x <HOST>\nfailregex = <lt_<logtype>/pre><re-<mode>>\n            <greet>\n[Init]\ngreet = ^hi <HOST>\n',
    });
    expect(readFilter(d, 'g').failregex).toEqual(['F^n <HOST>', '^hi <HOST>']);
    const spec = splitFilterSpec('g[mode=extra, greet="^yo <HOST>"]');
    expect(spec).toEqual({ name: 'g', options: { mode: 'extra', greet: '^yo <HOST>' } });
    expect(readFilter(d, spec.name, spec.options).failregex).toEqual(['F^x <HOST>', '^yo <HOST>']);
  });

  it('names the filter and the reason when something cannot be resolved', () => {
    const d = dir({ 'h.conf': '[Definition]\nfailregex = %(missing)s\n' });
    expect(() => readFilter(d, 'h')).toThrow(/fail2ban filter h: .*missing/);
    expect(() => readFilter(d, 'nope')).toThrow(/no nope.conf/);
    expect(() => readFilter(d, '../etc/passwd')).toThrow(/plain file name/);
  });
});
