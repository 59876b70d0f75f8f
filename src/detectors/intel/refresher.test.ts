import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intelSchema } from '../../config/intel.js';
import { IntelHub } from './feeds.js';
import { createFeedRefresher } from './refresher.js';

/** A real loopback feed server that honours If-None-Match / If-Modified-Since like a CDN does. */
let body = '198.51.100.1\n198.51.100.2\n';
let version = 1;
const seen: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  seen.push(req.headers);
  const etag = `"v${version}"`;
  const lastModified = new Date(Date.UTC(2026, 0, version)).toUTCString();
  if (
    req.headers['if-none-match'] === etag ||
    (req.headers['if-none-match'] === undefined && req.headers['if-modified-since'] === lastModified)
  ) {
    res.writeHead(304).end();
    return;
  }
  res.writeHead(200, { etag, 'last-modified': lastModified, 'content-type': 'text/plain' }).end(body);
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.txt`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('HTTP feed refresh', () => {
  it('fetches, then sends the validators back and keeps the feed on 304, then picks up a change', async () => {
    const feeds = intelSchema.parse({ feeds: [{ name: 'loop', url, refresh: '1m' }] })!.feeds;
    const hub = new IntelHub();
    const logs: string[] = [];
    const r = createFeedRefresher({ feeds, hub, log: (_l, m) => logs.push(m) });
    const t0 = Date.UTC(2026, 11, 6);
    await r.refreshDue(t0);
    expect(hub.current.matchIp('198.51.100.2')?.feed).toBe('loop');
    // Not due yet: no request.
    await r.refreshDue(t0 + 30_000);
    expect(seen).toHaveLength(1);
    await r.refreshDue(t0 + 60_000);
    expect(seen[1]?.['if-none-match']).toBe('"v1"');
    expect(seen[1]?.['if-modified-since']).toBe(new Date(Date.UTC(2026, 0, 1)).toUTCString());
    expect(logs).toContain('intel feed unchanged');
    expect(hub.current.matchIp('198.51.100.2')?.feed).toBe('loop');
    body = '198.51.100.1\n';
    version = 2;
    await r.refreshDue(t0 + 120_000);
    expect(hub.current.matchIp('198.51.100.2')).toBeUndefined();
    expect(hub.current.matchIp('198.51.100.1')?.feed).toBe('loop');
  });
  it('keeps the last good indicators when the server fails', async () => {
    const feeds = intelSchema.parse({
      feeds: [{ name: 'dead', url: 'http://127.0.0.1:1/none', refresh: '1m' }],
    })!.feeds;
    const hub = new IntelHub();
    hub.replace('dead', [{ type: 'ip', value: '198.51.100.50' }]);
    const logs: string[] = [];
    await createFeedRefresher({ feeds, hub, log: (_l, m) => logs.push(m) }).refreshDue(0);
    expect(logs).toEqual(['intel feed fetch failed']);
    expect(hub.current.matchIp('198.51.100.50')?.feed).toBe('dead');
  });
});
