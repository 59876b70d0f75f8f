import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../../core/event.js';
import { compileFilter, type MatchContext } from './compile-filter.js';
import { FieldCache } from './field-cache.js';
import { normalize, urlDecode } from './transforms.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'leuko-filter-'));
writeFileSync(path.join(dataDir, 'words.txt'), '# header\nsqlmap\nNikto\n\n<p \n');
const big = Array.from({ length: 600 }, (_, i) => `pattern-${i}-x`);
writeFileSync(path.join(dataDir, 'big.txt'), big.join('\n'));
writeFileSync(path.join(dataDir, 'services.txt'), '# a group of datasets\npostfix\ndovecot\nnextcloud\n');

function ev(fields: Record<string, unknown>): EcsEvent {
  return { '@timestamp': '2026-01-01T00:00:00.000Z', message: 'm', 'event.kind': 'event', ...fields } as EcsEvent;
}

function matcher(spec: unknown) {
  const { filter, issues } = compileFilter(spec, { dataDirs: [dataDir] });
  expect(issues).toEqual([]);
  return (fields: Record<string, unknown>) => filter!.test({ event: ev(fields), cache: undefined });
}

function issue(spec: unknown) {
  return compileFilter(spec, { dataDirs: [dataDir] }).issues[0];
}

describe('compileFilter', () => {
  it('ANDs keys and ORs list values, numbers compare as text', () => {
    const m = matcher({ 'event.dataset': 'nginx.access', 'http.response.status_code': [404, 403] });
    expect(m({ 'event.dataset': 'nginx.access', 'http.response.status_code': 404 })).toBe(true);
    expect(m({ 'event.dataset': 'nginx.access', 'http.response.status_code': 200 })).toBe(false);
    expect(m({ 'event.dataset': 'sshd', 'http.response.status_code': 404 })).toBe(false);
  });
  it('matches booleans and array fields', () => {
    const m = matcher({ 'leuko.ssh.invalid_user': true, 'event.category': 'authentication' });
    expect(m({ 'leuko.ssh.invalid_user': true, 'event.category': ['network', 'authentication'] })).toBe(true);
    expect(m({ 'leuko.ssh.invalid_user': false, 'event.category': ['authentication'] })).toBe(false);
  });
  it('supports contains, startswith, endswith and |all', () => {
    expect(matcher({ 'url.path|startswith': '/wp-' })({ 'url.path': '/wp-login.php' })).toBe(true);
    expect(matcher({ 'url.path|endswith': ['.php', '.asp'] })({ 'url.path': '/x.asp' })).toBe(true);
    expect(matcher({ 'url.path|contains|all': ['a', 'z'] })({ 'url.path': '/abc' })).toBe(false);
    expect(matcher({ 'url.path|contains|all': ['a', 'c'] })({ 'url.path': '/abc' })).toBe(true);
  });
  it('compiles regexes once, with (?i)', () => {
    const m = matcher({ 'message|re': '(?i)^failed \\w+ for' });
    expect(m({ message: 'FAILED password for root' })).toBe(true);
    expect(m({ message: 'Accepted password for root' })).toBe(false);
  });
  it('matches CIDR ranges, v4-mapped v6 included', () => {
    const m = matcher({ 'source.ip|cidr': ['10.0.0.0/8', '2001:db8::/32'] });
    expect(m({ 'source.ip': '10.1.2.3' })).toBe(true);
    expect(m({ 'source.ip': '::ffff:10.1.2.3' })).toBe(true);
    expect(m({ 'source.ip': '2001:db8::1' })).toBe(true);
    expect(m({ 'source.ip': '192.0.2.1' })).toBe(false);
    expect(m({ 'source.ip': 'not-an-ip' })).toBe(false);
  });
  it('compares numbers with gt/gte/lt/lte', () => {
    expect(matcher({ 'http.response.body.bytes|gt': 1000 })({ 'http.response.body.bytes': 1001 })).toBe(true);
    expect(matcher({ 'http.response.body.bytes|lte': 1000 })({ 'http.response.body.bytes': 1001 })).toBe(false);
    expect(matcher({ 'http.response.status_code|gte': 500 })({})).toBe(false);
  });
  it('tests presence with |exists (empty text counts as absent)', () => {
    const m = matcher({ 'http.request.method|exists': false });
    expect(m({})).toBe(true);
    expect(m({ 'http.request.method': '' })).toBe(true);
    expect(m({ 'http.request.method': 'GET' })).toBe(false);
  });
  it('combines with any / all / not', () => {
    const m = matcher({ any: [{ 'a.b': 1 }, { all: [{ 'c.d': 'x' }, { not: { 'e.f': 'y' } }] }] });
    expect(m({ 'a.b': 1 })).toBe(true);
    expect(m({ 'c.d': 'x' })).toBe(true);
    expect(m({ 'c.d': 'x', 'e.f': 'y' })).toBe(false);
  });
  it('decodes before matching and lowers the patterns with |lower', () => {
    const m = matcher({ 'url.original|urldecode|lower|contains': '../ETC/passwd' });
    expect(m({ 'url.original': '/%252E%252E%252Fetc%252Fpasswd' })).toBe(true);
    const n = matcher({ 'url.original|normalize|contains': ' union select ' });
    expect(n({ 'url.original': '/?id=1/**/UNION/**/SELECT+1' })).toBe(true);
    expect(matcher({ 'q|htmldecode|contains': '<script' })({ q: '&lt;script&gt;' })).toBe(true);
  });
  it('reads data files: equality, contains (verbatim trailing space), word-bounded', () => {
    expect(matcher({ 'user_agent.original|in_file': 'words.txt' })({ 'user_agent.original': 'sqlmap' })).toBe(true);
    expect(matcher({ 'user_agent.original|in_file': 'words.txt' })({ 'user_agent.original': 'sqlmap/1.0' })).toBe(
      false,
    );
    const c = matcher({ 'user_agent.original|lower|contains|in_file': 'words.txt' });
    expect(c({ 'user_agent.original': 'Mozilla (NIKTO/2)' })).toBe(true);
    expect(c({ 'user_agent.original': 'x <p y' })).toBe(true);
    expect(c({ 'user_agent.original': 'x <pre' })).toBe(false);
    const w = matcher({ 'user_agent.original|contains|words|in_file': 'words.txt' });
    expect(w({ 'user_agent.original': 'Niktos' })).toBe(false);
    expect(w({ 'user_agent.original': '(Nikto/2.1)' })).toBe(true);
  });
  it('handles a 600-entry list through the automaton', () => {
    const m = matcher({ 'url.original|contains|in_file': 'big.txt' });
    expect(m({ 'url.original': '/a?x=pattern-599-x' })).toBe(true);
    expect(m({ 'url.original': '/a?x=pattern-600-x' })).toBe(false);
  });
  it('pins event.dataset values for dispatch', () => {
    expect(compileFilter({ 'event.dataset': ['a', 'b'], x: 1 }, { dataDirs: [] }).filter?.datasets).toEqual(['a', 'b']);
    expect(compileFilter({ x: 1 }, { dataDirs: [] }).filter?.datasets).toBeUndefined();
  });
  it('pins the event.action values a match requires: a key, an any whose every branch pins, every all branch', () => {
    const actions = (spec: unknown) => {
      const a = compileFilter(spec, { dataDirs: [] }).filter?.actions;
      return a === undefined ? undefined : [...a].sort();
    };
    expect(actions({ 'event.action': ['b', 'a'], x: 1 })).toEqual(['a', 'b']);
    expect(actions({ any: [{ 'event.action': 'a' }, { 'event.action': 'b', x: 1 }] })).toEqual(['a', 'b']);
    // One branch matches whatever the action: nothing is pinned.
    expect(actions({ any: [{ 'event.action': 'a' }, { x: 1 }] })).toBeUndefined();
    expect(actions({ 'event.action': ['a', 'b'], all: [{ 'event.action': ['b', 'c'] }, { x: 1 }] })).toEqual(['b']);
    expect(actions({ not: { 'event.action': 'a' } })).toBeUndefined();
    // Operators other than equality, and transforms, pin nothing.
    expect(actions({ 'event.action|startswith': 'a' })).toBeUndefined();
    expect(actions({ 'event.action': 5 })).toEqual(['5']);
  });
  it('pins the datasets of event.dataset|in_file (a group kept in one list file), and its intersection with event.dataset', () => {
    const grouped = compileFilter(
      { 'event.dataset|in_file': 'services.txt', 'event.outcome': 'failure' },
      { dataDirs: [dataDir] },
    );
    expect(grouped.filter?.datasets).toEqual(['postfix', 'dovecot', 'nextcloud']);
    const f = grouped.filter!;
    const at = (fields: Record<string, unknown>) => ({ event: ev(fields), cache: undefined });
    expect(f.test(at({ 'event.dataset': 'dovecot', 'event.outcome': 'failure' }))).toBe(true);
    expect(f.test(at({ 'event.dataset': 'sshd', 'event.outcome': 'failure' }))).toBe(false);
    // Dispatched events are of a pinned dataset already: the group is not tested again.
    expect(f.testDispatched(at({ 'event.outcome': 'failure' }))).toBe(true);
    expect(
      compileFilter(
        { 'event.dataset|in_file': 'services.txt', 'event.dataset': ['dovecot', 'sshd'] },
        { dataDirs: [dataDir] },
      ).filter?.datasets,
    ).toEqual(['dovecot']);
    expect(issue({ 'event.dataset|in_file': 'missing.txt' })?.message).toBe('data file missing.txt not found');
  });
  it('reports bad filters as issues with their path', () => {
    expect(issue({ 'url.path|containz': 'x' })).toMatchInlineSnapshot(`
      {
        "hint": "modifiers: transforms urldecode, htmldecode, lower, normalize; operators eq, contains, startswith, endswith, re, cidr, gt, gte, lt, lte, exists; flags all, in_file, words",
        "message": "unknown modifier |containz",
        "path": [
          "url.path|containz",
        ],
      }
    `);
    expect(issue({ any: [{ 'm|re': '(' }] })?.path).toEqual(['any', 0, 'm|re']);
    expect(issue({ 'ua|contains|in_file': 'nope.txt' })?.message).toBe('data file nope.txt not found');
    expect(issue({ 'ip|cidr': '10.0.0.0/99' })?.message).toBe('invalid CIDR 10.0.0.0/99');
    expect(issue({ 'x|contains|lower': 'a' })?.message).toBe(
      'transform |lower must come before the operator |contains',
    );
    expect(issue({ x: { nested: 1 } })?.message).toMatch(/value must be/);
    expect(issue({})?.message).toMatch(/empty filter/);
  });
});

describe('verdict cache and per-event field cache', () => {
  it('caches verdicts per raw value without changing any result (property)', () => {
    const spec = {
      any: [
        { 'url.original|normalize|contains': ['union select', '<script'] },
        { 'url.original|urldecode|lower|contains|in_file': 'big.txt' },
        { 'user_agent.original|contains|words|in_file': 'words.txt' },
        { 'url.original|re': '(?i)etc/passwd$' },
      ],
    };
    const { filter } = compileFilter(spec, { dataDirs: [dataDir] });
    const reference = (url: string, ua: string) => {
      const n = normalize(url);
      const d = urlDecode(url).toLowerCase();
      return (
        n.includes('union select') ||
        n.includes('<script') ||
        big.some((p) => d.includes(p)) ||
        /\bsqlmap\b|\bNikto\b|<p /.test(ua) ||
        /etc\/passwd$/i.test(url)
      );
    };
    const url = fc.constantFrom('/a', '/?q=UNION%20SELECT', '/x%3Cscript', '/PATTERN-7-X', '/etc/PASSWD', '/b?c=d');
    const ua = fc.constantFrom('curl/8', 'sqlmap/1.0', 'Nikto', 'xNikto', 'Mozilla <p x');
    fc.assert(
      fc.property(fc.array(fc.tuple(url, ua), { minLength: 1, maxLength: 40 }), (pairs) => {
        // Repeated values hit the cache; strings are rebuilt so the cache sees fresh copies.
        const ctx: MatchContext = { event: ev({}), cache: undefined };
        for (const [u, a] of pairs) {
          ctx.event = ev({ 'url.original': `${u} `.trimEnd(), 'user_agent.original': `${a} `.trimEnd() });
          ctx.cache = new FieldCache();
          expect(filter!.test(ctx)).toBe(reference(u, a));
        }
      }),
      { numRuns: 200 },
    );
  });
  it('accepts the former Map cache from callers outside the engine', () => {
    const { filter } = compileFilter({ 'url.original|normalize|contains': 'union select' }, { dataDirs: [] });
    expect(filter!.test({ event: ev({ 'url.original': '/?q=UNION%20SELECT' }), cache: new Map() })).toBe(true);
  });
  it('gives equal filters the same key whatever the key order', () => {
    const a = compileFilter({ 'event.dataset': 'sshd', 'event.outcome': 'failure' }, { dataDirs: [] }).filter!;
    const b = compileFilter({ 'event.outcome': 'failure', 'event.dataset': 'sshd' }, { dataDirs: [] }).filter!;
    const c = compileFilter({ 'event.outcome': 'success', 'event.dataset': 'sshd' }, { dataDirs: [] }).filter!;
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(c.key);
  });
});
