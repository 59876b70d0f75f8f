import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../../core/event.js';
import { compileFilter } from './compile-filter.js';
import { matchedEntry } from './matched-entry.js';

const dir = mkdtempSync(path.join(tmpdir(), 'leuko-matched-'));
writeFileSync(
  path.join(dir, 'sigs.tsv'),
  '# exploits\n/tmui/login.jsp/..;/\tCVE-2020-5902 (F5)\n/remote/fgt_lang\tCVE-2018-13379\n',
);
writeFileSync(path.join(dir, 'res.tsv'), '[?&]class\\.module\\.classloader\tCVE-2022-22965\n^/a+$\tA-only\n');
writeFileSync(path.join(dir, 'plain.txt'), 'sqlmap\nnikto\n');
writeFileSync(path.join(dir, 'nets.tsv'), '10.0.0.0/8\tinternal\n');

function ev(fields: Record<string, unknown>): EcsEvent {
  return { '@timestamp': '2026-01-01T00:00:00.000Z', message: 'm', 'event.kind': 'event', ...fields } as EcsEvent;
}

function lists(spec: unknown) {
  const { filter, issues } = compileFilter(spec, { dataDirs: [dir] });
  expect(issues).toEqual([]);
  return filter!.lists;
}

describe('matchedEntry', () => {
  it('names the first entry the transformed value matches, by its label', () => {
    const keys = lists({ 'url.original|urldecode|lower|contains|in_file': 'sigs.tsv' });
    const m = (url: string) => matchedEntry(keys, 'url.original', ev({ 'url.original': url }));
    expect(m('/tmui/login.jsp/%2E%2E;/tmui/x.jsp')).toBe('CVE-2020-5902 (F5)');
    expect(m('/REMOTE/fgt_lang?lang=en')).toBe('CVE-2018-13379');
    expect(m('/index.html')).toBeUndefined();
    expect(matchedEntry(keys, 'url.path', ev({ 'url.path': '/remote/fgt_lang' }))).toBeUndefined();
  });
  it('uses the key operator: regexes, anchors and CIDR ranges', () => {
    const keys = lists({ 'url.original|lower|re|in_file': 'res.tsv', 'source.ip|cidr|in_file': 'nets.tsv' });
    expect(matchedEntry(keys, 'url.original', ev({ 'url.original': '/x?Class.Module.ClassLoader.URLs' }))).toBe(
      'CVE-2022-22965',
    );
    expect(matchedEntry(keys, 'url.original', ev({ 'url.original': '/aaa' }))).toBe('A-only');
    expect(matchedEntry(keys, 'url.original', ev({ 'url.original': '/aab' }))).toBeUndefined();
    expect(matchedEntry(keys, 'source.ip', ev({ 'source.ip': '10.1.2.3' }))).toBe('internal');
  });
  it('falls back to the pattern in an unlabelled list, and reads array fields', () => {
    const keys = lists({ any: [{ 'tags|contains|in_file': 'plain.txt' }, { 'event.dataset': 'x' }] });
    expect(matchedEntry(keys, 'tags', ev({ tags: ['browser', 'Nikto-scan'] }))).toBeUndefined();
    expect(matchedEntry(keys, 'tags', ev({ tags: ['browser', 'nikto-scan'] }))).toBe('nikto');
  });
  it('leaves out lists under `not`: an event that fired matched none of their entries', () => {
    const keys = lists({
      'url.original|contains|in_file': 'sigs.tsv',
      not: { 'user_agent.original|contains|in_file': 'plain.txt' },
    });
    expect(keys.map((k) => k.field)).toEqual(['url.original']);
  });
});
