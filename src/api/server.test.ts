import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntry } from '../healing/fs-entry.js';
import type { FsEntry } from '../healing/fs-entry.js';
import { healDir } from '../healing/heal-dirs.js';
import { createQuarantine } from '../healing/quarantine.js';
import { openApiDatabase } from './open-db.js';
import { buildApiServer, servedRoutes } from './server.js';
import { type ApiFixture, apiFixture, T0 } from './test-fixture.case.js';

type Role = 'public' | 'viewer' | 'operator' | 'admin' | 'bouncer';

interface Case {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** The path template as in /openapi.json. */
  readonly route: string;
  readonly access: Role;
  /** A valid request (url with ids filled in) and the status it answers. */
  readonly url: (f: ApiFixture) => string;
  readonly body?: unknown;
  readonly status: number;
}

/** One working request per route. A route missing here fails the completeness test. */
const CASES: readonly Case[] = [
  { method: 'GET', route: '/api/v1/health', access: 'public', url: () => '/api/v1/health', status: 200 },
  { method: 'GET', route: '/api/v1/whoami', access: 'viewer', url: () => '/api/v1/whoami', status: 200 },
  { method: 'GET', route: '/api/v1/status', access: 'viewer', url: () => '/api/v1/status', status: 200 },
  { method: 'GET', route: '/api/v1/stats/series', access: 'viewer', url: () => '/api/v1/stats/series', status: 200 },
  { method: 'GET', route: '/api/v1/config', access: 'admin', url: () => '/api/v1/config', status: 200 },
  { method: 'GET', route: '/api/v1/healing', access: 'viewer', url: () => '/api/v1/healing', status: 200 },
  { method: 'GET', route: '/api/v1/tokens', access: 'admin', url: () => '/api/v1/tokens', status: 200 },
  { method: 'GET', route: '/metrics', access: 'public', url: () => '/metrics', status: 200 },
  // Not a hive: the fleet view is documented everywhere and answers 404 here.
  { method: 'GET', route: '/api/v1/fleet/agents', access: 'viewer', url: () => '/api/v1/fleet/agents', status: 404 },
  {
    method: 'GET',
    route: '/api/v1/incidents',
    access: 'viewer',
    url: () => '/api/v1/incidents?status=open,contained',
    status: 200,
  },
  {
    method: 'GET',
    route: '/api/v1/incidents/{id}',
    access: 'viewer',
    url: () => '/api/v1/incidents/inc_1',
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/incidents/{id}/feedback',
    access: 'operator',
    url: () => '/api/v1/incidents/inc_1/feedback',
    body: { verdict: 'true_positive', note: 'real attack' },
    status: 200,
  },
  { method: 'GET', route: '/api/v1/decisions', access: 'viewer', url: () => '/api/v1/decisions?q=198.51', status: 200 },
  {
    method: 'GET',
    route: '/api/v1/decisions/{id}',
    access: 'viewer',
    url: () => '/api/v1/decisions/dec_ban',
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/decisions',
    access: 'operator',
    url: () => '/api/v1/decisions',
    body: { ip: '203.0.113.9', duration: '1h', reason: 'seen scanning' },
    status: 201,
  },
  {
    method: 'DELETE',
    route: '/api/v1/decisions/{id}',
    access: 'operator',
    url: () => '/api/v1/decisions/dec_ban',
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/decisions/{id}/undo',
    access: 'operator',
    url: () => '/api/v1/decisions/dec_ban/undo',
    status: 200,
  },
  {
    method: 'DELETE',
    route: '/api/v1/decisions',
    access: 'operator',
    url: () => '/api/v1/decisions?ip=198.51.100.7',
    status: 200,
  },
  { method: 'GET', route: '/api/v1/approvals', access: 'viewer', url: () => '/api/v1/approvals', status: 200 },
  {
    method: 'GET',
    route: '/api/v1/approvals/{id}',
    access: 'viewer',
    url: (f) => `/api/v1/approvals/${f.approvalId}`,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/approvals/{id}/approve',
    access: 'operator',
    url: (f) => `/api/v1/approvals/${f.approvalId}/approve`,
    status: 200,
  },
  {
    method: 'POST',
    route: '/api/v1/approvals/{id}/reject',
    access: 'operator',
    url: (f) => `/api/v1/approvals/${f.approvalId}/reject`,
    body: { reason: 'not now' },
    status: 200,
  },
  { method: 'GET', route: '/api/v1/audit', access: 'viewer', url: () => '/api/v1/audit?limit=50', status: 200 },
  { method: 'GET', route: '/api/v1/audit/verify', access: 'viewer', url: () => '/api/v1/audit/verify', status: 200 },
  { method: 'GET', route: '/api/v1/events', access: 'viewer', url: () => '/api/v1/events?q=port%205005', status: 200 },
  {
    method: 'GET',
    route: '/v1/decisions/stream',
    access: 'bouncer',
    url: () => '/v1/decisions/stream?startup=true',
    status: 200,
  },
  { method: 'GET', route: '/v1/decisions', access: 'bouncer', url: () => '/v1/decisions?ip=198.51.100.7', status: 200 },
  {
    method: 'POST',
    route: '/v1/usage-metrics',
    access: 'bouncer',
    url: () => '/v1/usage-metrics',
    body: {},
    status: 201,
  },
];
/** The event stream stays open, so it is tested over a socket (below), not with inject. */
const STREAMING = ['GET /api/v1/stream'];

const ROLES = ['viewer', 'operator', 'admin'] as const;

interface OpenApi {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
}

describe('HTTP API (inject, no socket)', () => {
  let f: ApiFixture;
  beforeEach(async () => {
    f = await apiFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const call = (c: Case, token?: string) =>
    f.app.inject({
      method: c.method,
      url: c.url(f),
      headers:
        token === undefined
          ? {}
          : c.access === 'bouncer'
            ? { 'x-api-key': token }
            : { authorization: `Bearer ${token}` },
      ...(c.body === undefined ? {} : { payload: c.body as object }),
    });
  const tokenFor = (access: Role) =>
    access === 'public' ? undefined : f.tokens[access === 'bouncer' ? 'bouncer' : access];

  it('documents every served route, and serves every documented one (OpenAPI 3.1, schemas compile)', async () => {
    const doc = (await f.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const served = servedRoutes(f.app)
      .filter((r) => r.method !== 'HEAD' && r.url !== '/openapi.json' && r.url !== '/')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(new Set(documented)).toEqual(new Set(served));
    expect(new Set(documented)).toEqual(new Set([...CASES.map((c) => `${c.method} ${c.route}`), ...STREAMING]));
    // Every schema in the document is a valid JSON Schema 2020-12 (what OpenAPI 3.1 uses).
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(doc.components.schemas))
      expect(() => ajv.compile(schema as object), name).not.toThrow();
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [m, op] of Object.entries(ops))
        for (const [code, r] of Object.entries(op.responses))
          for (const media of Object.values(r.content ?? {}))
            if (!('$ref' in (media.schema as object)))
              expect(() => ajv.compile(media.schema as object), `${m} ${p} ${code}`).not.toThrow();
  });

  it.each(CASES)('$method $route answers with the documented schema', async (c) => {
    const doc = (await f.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi;
    const res = await call(c, tokenFor(c.access));
    expect(res.statusCode, res.body).toBe(c.status);
    const op = doc.paths[c.route]?.[c.method.toLowerCase()];
    const media = op?.responses[String(c.status)]?.content?.['application/json'];
    if (media) {
      const ajv = new Ajv2020({ strict: false });
      const validate = ajv.compile(media.schema as object);
      expect(validate(res.json()), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it.each(CASES.filter((c) => c.access !== 'public'))('$method $route needs a credential', async (c) => {
    const res = await call(c);
    expect(res.statusCode).toBe(c.access === 'bouncer' ? 403 : 401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const bad = await call(c, 'lk_not-a-real-token-at-all');
    expect(bad.statusCode).toBe(c.access === 'bouncer' ? 403 : 401);
  });

  it.each(CASES.filter((c) => c.access === 'operator' || c.access === 'admin'))(
    '$method $route refuses weaker roles and bouncer keys',
    async (c) => {
      const weaker = ROLES.slice(0, ROLES.indexOf(c.access as 'operator' | 'admin'));
      for (const role of weaker) {
        const res = await call(c, f.tokens[role]);
        expect(res.statusCode, role).toBe(403);
        expect(res.json()).toMatchObject({ status: 403, title: 'Forbidden' });
      }
      // A bouncer key is not an API token, even sent as one.
      expect((await call(c, f.tokens.bouncer)).statusCode).toBe(403);
    },
  );

  it('stops accepting a revoked token at once, and never stores a secret', async () => {
    const auth = { authorization: `Bearer ${f.tokens.viewer}` };
    expect((await f.app.inject({ url: '/api/v1/status', headers: auth })).statusCode).toBe(200);
    expect((await f.deps.credentials.revoke('vera', 'tokens'))?.name).toBe('vera');
    expect((await f.app.inject({ url: '/api/v1/status', headers: auth })).statusCode).toBe(401);
    const db = openApiDatabase(f.deps.storeDir as string, f.clock);
    const stored = db.prepare('SELECT hash FROM api_credentials').pluck().all() as string[];
    db.close();
    for (const secret of Object.values(f.tokens)) {
      expect(stored).not.toContain(secret);
      expect(stored.join()).not.toContain(secret.slice(3));
    }
    const listed = await f.app.inject({
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    expect(listed.body).not.toMatch(/lk_/);
  });

  it('bouncer routes refuse API tokens', async () => {
    const res = await f.app.inject({ url: '/v1/decisions/stream', headers: { 'x-api-key': f.tokens.admin } });
    expect(res.statusCode).toBe(403);
  });

  it('answers invalid input with problem+json naming each field', async () => {
    const auth = { authorization: `Bearer ${f.tokens.operator}` };
    const bad = await f.app.inject({
      method: 'POST',
      url: '/api/v1/decisions',
      headers: auth,
      payload: { ip: '198.51.100.9', duration: 'forever', extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = bad.json() as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['body', 'body.duration']);
    const q = await f.app.inject({ url: '/api/v1/incidents?status=bogus&limit=0', headers: auth });
    expect(q.statusCode).toBe(400);
    expect((q.json() as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
      'query.limit',
      'query.status',
    ]);
    const both = await f.app.inject({
      method: 'POST',
      url: '/api/v1/decisions',
      headers: auth,
      payload: { ip: '198.51.100.9', range: '198.51.100.0/24' },
    });
    expect(both.statusCode).toBe(400);
    const allow = await f.app.inject({
      method: 'POST',
      url: '/api/v1/decisions',
      headers: auth,
      payload: { ip: '192.0.2.5' },
    });
    expect(allow.statusCode).toBe(422);
    expect(allow.json()).toMatchObject({ title: 'Allowlisted' });
    const json = await f.app.inject({
      method: 'POST',
      url: '/api/v1/decisions',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"ip":',
    });
    expect(json.statusCode).toBe(400);
    expect(json.headers['content-type']).toMatch(/problem\+json/);
    const missing = await f.app.inject({ url: '/api/v1/incidents/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
  });

  it('audits every write with the token as actor', async () => {
    const auth = { authorization: `Bearer ${f.tokens.operator}` };
    const added = (
      await f.app.inject({ method: 'POST', url: '/api/v1/decisions', headers: auth, payload: { ip: '203.0.113.9' } })
    ).json() as { id: string; origin: string; status: string };
    expect(added).toMatchObject({ origin: 'api', status: 'proposed' });
    await f.app.inject({ method: 'POST', url: '/api/v1/decisions/dec_ban/undo', headers: auth });
    await f.app.inject({ method: 'POST', url: `/api/v1/approvals/${f.approvalId}/approve`, headers: auth });
    const fp = await f.app.inject({
      method: 'POST',
      url: '/api/v1/incidents/inc_1/feedback',
      headers: auth,
      payload: { verdict: 'false_positive' },
    });
    expect(fp.json()).toMatchObject({
      incident: { status: 'dismissed' },
      feedback: { verdict: 'false_positive', actor: 'token:otto' },
    });
    const audit = await f.store.listAudit({ limit: 100 });
    const byOtto = audit.filter((r) => r.actor === 'token:otto').map((r) => `${r.action} ${r.subject}`);
    expect(byOtto).toEqual([
      `decision.proposed ${added.id}`,
      'decision.rolled_back dec_ban',
      'approval.approved dec_iso',
      'incident.dismissed inc_1',
    ]);
    expect((await f.store.verifyAudit()).ok).toBe(true);
    // Twice is a conflict, not a second audit record.
    const again = await f.app.inject({ method: 'POST', url: '/api/v1/decisions/dec_ban/undo', headers: auth });
    expect(again.statusCode).toBe(409);
    expect((await f.deps.repos.approvals.get(f.approvalId))?.decidedBy).toBe('token:otto');
  });

  it('limits failed authentications per address with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++)
      expect(
        (await f.app.inject({ url: '/api/v1/status', headers: { authorization: `Bearer lk_guess${i}xxxxxxxx` } }))
          .statusCode,
      ).toBe(401);
    const blocked = await f.app.inject({
      url: '/api/v1/status',
      headers: { authorization: `Bearer ${f.tokens.viewer}` },
    });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    f.clock.advance(61_000);
    expect(
      (await f.app.inject({ url: '/api/v1/status', headers: { authorization: `Bearer ${f.tokens.viewer}` } }))
        .statusCode,
    ).toBe(200);
  });

  it('serves the built dashboard at / with a strict content security policy', async () => {
    const web = mkdtempSync(path.join(tmpdir(), 'leuko-web-'));
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Leuko</title>');
    const g = await apiFixture({}, web);
    try {
      const res = await g.app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>Leuko</title>');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
    } finally {
      await g.close();
      rmSync(web, { recursive: true, force: true });
    }
  });

  it('reports the protected services’ health from the policy’s checks', async () => {
    const srv = createServer((s) => s.end());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const g = await apiFixture({
      policy: {
        allowlist: ['192.0.2.0/24'],
        health_checks: [
          { type: 'tcp', name: 'sshd', host: '127.0.0.1', port },
          { type: 'tcp', name: 'gone', host: '127.0.0.1', port: 1, timeout: 1 },
        ],
      },
    });
    try {
      await g.deps.health.run();
      const res = await g.app.inject({
        url: '/api/v1/status',
        headers: { authorization: `Bearer ${g.tokens.viewer}` },
      });
      const checks = (res.json() as { healthChecks: { name: string; ok: boolean | null }[] }).healthChecks;
      expect(checks.map((c) => [c.name, c.ok])).toEqual([
        ['sshd', true],
        ['gone', false],
      ]);
    } finally {
      await g.close();
      await new Promise((r) => srv.close(r));
    }
  });

  it('shows the protected paths and services and what sits in quarantine', async () => {
    const g = await apiFixture({
      protect: {
        paths: ['/var/www/html', { path: '/etc/nginx', exclude: ['*.log'] }],
        services: [{ name: 'nginx', probe: { http: 'http://127.0.0.1/' }, restart: 'nginx', config: ['/etc/nginx'] }],
        posture: { enabled: false },
      },
    });
    try {
      const victim = path.join(g.deps.storeDir as string, 'shell.php');
      writeFileSync(victim, '<?php system($_GET[1]);');
      const q = createQuarantine(path.join(healDir(g.deps.storeDir as string), 'quarantine'));
      await q.add(victim, (await readEntry(victim))?.entry as FsEntry, 'move', {
        reason: 'new file in /var/www/html',
        at: T0,
      });
      const res = await g.app.inject({
        url: '/api/v1/healing',
        headers: { authorization: `Bearer ${g.tokens.viewer}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { configured: boolean; paths: unknown[]; services: unknown[]; quarantine: unknown[] };
      expect(body.configured).toBe(true);
      expect(body.paths).toEqual([
        { path: '/var/www/html', exclude: [] },
        { path: '/etc/nginx', exclude: ['*.log'] },
      ]);
      expect(body.services).toEqual([
        { name: 'nginx', probe: 'http http://127.0.0.1/', restart: 'nginx', config: ['/etc/nginx'] },
      ]);
      expect(body.quarantine).toEqual([
        expect.objectContaining({ path: victim, reason: 'new file in /var/www/html', at: T0, restoredAt: null }),
      ]);
    } finally {
      await g.close();
    }
  });

  it('on loopback, refuses requests naming another host (DNS rebinding)', async () => {
    const app = await buildApiServer(f.deps, { allowedHosts: ['127.0.0.1', 'localhost', '::1'] });
    try {
      const evil = await app.inject({ url: '/metrics', headers: { host: 'attacker.example:8470' } });
      expect(evil.statusCode).toBe(421);
      expect(evil.headers['content-type']).toMatch(/problem\+json/);
      for (const host of ['127.0.0.1:8470', 'localhost:8470', '[::1]:8470', 'LOCALHOST'])
        expect((await app.inject({ url: '/api/v1/health', headers: { host } })).statusCode, host).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('redacts secrets in the config', async () => {
    const g = await apiFixture({
      exports: { webhooks: [{ url: 'https://hooks.slack.example/T000/B000/XXXX', format: 'slack' }] },
    });
    try {
      const res = await g.app.inject({ url: '/api/v1/config', headers: { authorization: `Bearer ${g.tokens.admin}` } });
      expect(res.body).not.toContain('XXXX');
      expect(res.json()).toMatchObject({ exports: { webhooks: [{ url: '[redacted]', format: 'slack' }] } });
    } finally {
      await g.close();
    }
  });

  it('hands a bouncer new decisions once, then their deletion (per-bouncer state)', async () => {
    const pull = async (startup = false, key = f.tokens.bouncer) =>
      (
        await f.app.inject({ url: `/v1/decisions/stream?startup=${startup}`, headers: { 'x-api-key': key } })
      ).json() as {
        new: { value: string; scope: string; type: string; duration: string; id: number }[];
        deleted: { value: string }[];
      };
    const first = await pull(true);
    expect(first.new).toEqual([
      expect.objectContaining({ value: '198.51.100.7', scope: 'Ip', type: 'ban', duration: '4h0m0s' }),
    ]);
    expect(first.deleted).toEqual([]);
    expect(await pull()).toEqual({ new: [], deleted: [] });
    // A second bouncer has its own state.
    const other = (await f.deps.credentials.create('bouncer', 'fw2')).secret;
    expect((await pull(false, other)).new).toHaveLength(1);
    await f.app.inject({
      method: 'POST',
      url: '/api/v1/decisions/dec_ban/undo',
      headers: { authorization: `Bearer ${f.tokens.operator}` },
    });
    const after = await pull();
    expect(after.new).toEqual([]);
    expect(after.deleted.map((d) => d.value)).toEqual(['198.51.100.7']);
    expect(await pull()).toEqual({ new: [], deleted: [] });
    const none = await f.app.inject({
      url: '/v1/decisions?ip=198.51.100.7',
      headers: { 'x-api-key': f.tokens.bouncer },
    });
    expect(none.body).toBe('null');
  });

  it('serves the event stream over a socket: committed records arrive as SSE', async () => {
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = f.app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const ac = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/stream`, {
      headers: { authorization: `Bearer ${f.tokens.viewer}` },
      signal: ac.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the opening comment
    await f.app.inject({
      method: 'POST',
      url: '/api/v1/decisions',
      headers: { authorization: `Bearer ${f.tokens.operator}` },
      payload: { ip: '203.0.113.50' },
    });
    await f.deps.tail.poll();
    let text = '';
    while (!text.includes('203.0.113.50')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/id: \d+\nevent: decision\ndata: \{[^\n]*"actor":"token:otto"[^\n]*"203\.0\.113\.50"/);
    expect(text).toMatch(/^id: 1\nevent: detection\n/);
    ac.abort();
    // A reconnect with Last-Event-ID gets only what came after that id.
    const ac2 = new AbortController();
    const again = await fetch(`http://127.0.0.1:${port}/api/v1/stream`, {
      headers: { authorization: `Bearer ${f.tokens.viewer}`, 'last-event-id': '3' },
      signal: ac2.signal,
    });
    const r2 = (again.body as ReadableStream<Uint8Array>).getReader();
    let text2 = '';
    while (!text2.includes('203.0.113.50')) text2 += new TextDecoder().decode((await r2.read()).value);
    expect([...text2.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([4]);
    ac2.abort();
  });
});
