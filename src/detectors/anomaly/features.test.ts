import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../core/event.js';
import {
  accumulate,
  familiarShare,
  finalize,
  hash32,
  newRoutes,
  newWindow,
  PROFILES,
  routes,
  type WindowAcc,
} from './features.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

function request(url: string, opts: { method?: string; ua?: string; referrer?: string } = {}): EcsEvent {
  return {
    '@timestamp': '2026-01-01T00:00:00Z',
    'event.kind': 'event',
    message: url,
    'source.ip': '198.51.100.7',
    'url.original': url,
    'url.path': url.split('?')[0] as string,
    'http.request.method': opts.method ?? 'GET',
    'http.response.status_code': 200,
    'http.response.body.bytes': 1000,
    'user_agent.original': opts.ua ?? BROWSER,
    ...(opts.referrer ? { 'http.request.referrer': opts.referrer } : {}),
  };
}

const feature = (values: readonly number[], name: string): number =>
  values[PROFILES.web.features.findIndex((f) => f.name === name)] as number;

/** A web window's bare_browser_share (no unusual hours in these tests). */
const bareBrowserShare = (w: WindowAcc): number =>
  feature(
    finalize('web', w, () => 0),
    'bare_browser_share',
  );

describe('web window features', () => {
  it('bare_browser_share: pages of a claimed browser without one asset in the window', () => {
    const bare = newWindow();
    for (let i = 0; i < 10; i++) accumulate('web', bare, request(`/product/?id=${i}`, { referrer: 'https://x/' }), 0);
    expect(bareBrowserShare(bare)).toBe(1);

    const withAsset = newWindow();
    for (let i = 0; i < 10; i++) accumulate('web', withAsset, request(`/product/?id=${i}`), 0);
    accumulate('web', withAsset, request('/static/site.css'), 0);
    expect(bareBrowserShare(withAsset)).toBe(0);

    const crawler = newWindow();
    for (let i = 0; i < 10; i++) accumulate('web', crawler, request(`/p/${i}`, { ua: 'Googlebot/2.1' }), 0);
    expect(bareBrowserShare(crawler)).toBe(0);
  });

  it('familiarShare: requests (method and URL) the entity made in earlier windows', () => {
    const first = newWindow([]);
    accumulate('web', first, request('/wp-admin/'), 0);
    accumulate('web', first, request('/wp-admin/admin-ajax.php', { method: 'POST' }), 0);
    const history = [...(first.requests?.keys() ?? [])];
    expect(history).toHaveLength(2);

    const busy = newWindow(history);
    for (let i = 0; i < 9; i++) accumulate('web', busy, request('/wp-admin/admin-ajax.php', { method: 'POST' }), 0);
    accumulate('web', busy, request('/wp-admin/edit.php'), 0);
    expect(familiarShare(busy)).toBeCloseTo(0.9, 9);

    // The URL it fetched, posted to: another request.
    const posting = newWindow(history);
    accumulate('web', posting, request('/wp-admin/', { method: 'POST' }), 0);
    expect(familiarShare(posting)).toBe(0);
    expect(familiarShare(newWindow())).toBe(0);
  });

  it('counts the same distinct values as before the window became a fixed-shape object', () => {
    const w = newWindow();
    for (const u of ['/a', '/a', '/b?x=1', '/b?x=2']) accumulate('web', w, request(u), 0);
    const raw = finalize('web', w, () => 0);
    expect(feature(raw, 'requests')).toBe(4);
    expect(feature(raw, 'distinct_paths')).toBe(3);
    expect(feature(raw, 'unique_path_share')).toBe(0.75);
    expect(w.paths?.has(hash32('/b?x=1'))).toBe(true);
  });
});

describe('routes', () => {
  it('routes a web request, a login with its user, and a process event, into a reused array', () => {
    const out = newRoutes();
    expect(routes(request('/'), out)).toBe(1);
    expect(out[0]).toEqual({ profile: 'web', entity: '198.51.100.7' });
    const login: EcsEvent = {
      '@timestamp': '2026-01-01T00:00:00Z',
      'event.kind': 'event',
      message: 'x',
      'source.ip': '203.0.113.5',
      'event.category': ['authentication'],
      'event.outcome': 'failure',
      'user.name': 'root',
    };
    expect(routes(login, out)).toBe(2);
    expect(out.slice(0, 2)).toEqual([
      { profile: 'auth', entity: '203.0.113.5' },
      { profile: 'user', entity: 'root' },
    ]);
    const proc: EcsEvent = {
      '@timestamp': '2026-01-01T00:00:00Z',
      'event.kind': 'event',
      message: 'x',
      'event.category': ['process'],
      'process.name': 'sudo',
      'service.name': 'sudo',
    };
    expect(routes(proc, out)).toBe(1);
    expect(out[0]).toEqual({ profile: 'service', entity: 'sudo' });
    expect(
      routes({ '@timestamp': 'x', 'event.kind': 'event', message: 'x', 'event.category': ['authentication'] }, out),
    ).toBe(0);
  });
});

describe('WindowAcc.reset', () => {
  it('leaves a used window indistinguishable from a new one', () => {
    const history = [hash32('GET /'), hash32('/a')];
    for (const evidence of [true, false]) {
      const used = newWindow([1, 2, 3], !evidence);
      const login: EcsEvent = {
        '@timestamp': '2026-01-01T00:00:00Z',
        'event.kind': 'event',
        message: 'x',
        'event.category': ['authentication'],
        'event.outcome': 'success',
        'source.ip': '198.51.100.9',
        'user.name': 'alice',
        'process.name': 'sshd',
      };
      for (const url of ['/a', '/b?x=1', '/static/x.css']) accumulate('web', used, request(url, { method: 'POST' }), 0);
      for (const profile of ['auth', 'user', 'service'] as const) {
        accumulate(profile, used, login, 3_600_000);
        accumulate(profile, used, { ...login, 'user.name': 'bob', 'source.ip': '203.0.113.1' }, 0);
      }
      used.head?.push({ time: 0, event: login, sourceId: 's' });
      used.entity = {};
      expect(used.reset(history, evidence)).toStrictEqual(newWindow(history, evidence));
    }
  });
});
