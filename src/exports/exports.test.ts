import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deepFreeze, resolveConfig } from '../config/resolve.js';
import { configSchema } from '../config/schema.js';
import type { AuditInput } from '../core/audit.js';
import { systemClock } from '../core/clock.js';
import { createSequentialIds } from '../core/ids.js';
import type { AddonContext } from '../daemon/addons.js';
import { openSqliteStore } from '../store/index.js';
import { exportsAddon } from './addon.js';
import { toCef, toRfc5424 } from './format.js';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function receivers() {
  const udp: string[] = [];
  const u = createSocket('udp4');
  u.on('message', (m) => udp.push(m.toString('utf8')));
  await new Promise<void>((r) => u.bind(0, '127.0.0.1', r));
  cleanup.push(() => {
    u.close();
  });
  let tcpBuf = Buffer.alloc(0);
  const tcp: string[] = [];
  const t = createServer((s) =>
    s.on('data', (b) => {
      tcpBuf = Buffer.concat([tcpBuf, b]);
      // RFC 6587 octet counting: "LEN SP MSG".
      for (;;) {
        const sp = tcpBuf.indexOf(0x20);
        if (sp < 0) break;
        const len = Number(tcpBuf.subarray(0, sp).toString());
        if (tcpBuf.length < sp + 1 + len) break;
        tcp.push(tcpBuf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
        tcpBuf = tcpBuf.subarray(sp + 1 + len);
      }
    }),
  );
  await new Promise<void>((r) => t.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => t.close(() => r())));
  const hooks: { path: string; body: unknown }[] = [];
  const h = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hooks.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => h.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => h.close(() => r())));
  return {
    udp,
    tcp,
    hooks,
    udpPort: (u.address() as AddressInfo).port,
    tcpPort: (t.address() as AddressInfo).port,
    httpPort: (h.address() as AddressInfo).port,
  };
}

const detection: AuditInput = {
  kind: 'detection',
  action: 'detection.raised',
  subject: 'det_1',
  actor: 'scenario:leuko/ssh-bf',
  at: Date.parse('2026-03-01T12:00:00Z'),
  data: {
    scenario: 'leuko/ssh-bf',
    entity: { type: 'ip', value: '198.51.100.7' },
    explanation: '6 failed logins <@channel> "x"]',
    techniques: ['T1110.001'],
  },
};
const incident: AuditInput = {
  ...detection,
  kind: 'incident',
  action: 'incident.opened',
  subject: 'inc_1',
  data: { entity: { type: 'ip', value: '198.51.100.7' }, scenarios: ['leuko/ssh-bf'], severity: 'high' },
};
const queued: AuditInput = {
  ...detection,
  kind: 'decision',
  action: 'decision.queued',
  subject: 'dec_1',
  actor: 'policy:high-impact',
  data: { scope: 'host', value: 'web1', action: 'isolate-host', reason: 'high impact' },
};

describe('exports', () => {
  it('formats RFC 5424 with escaped structured data, and CEF with escaped fields', () => {
    const rec = { ...detection, seq: 7, prevHash: 'a', hash: 'b' };
    const line = toRfc5424(rec, 'web1');
    expect(line).toMatch(
      /^<84>1 2026-03-01T12:00:00\.000Z web1 leuko \d+ detection\.raised \[leuko@32473 seq="7" kind="detection" action="detection\.raised" subject="det_1" actor="scenario:leuko\/ssh-bf" target="ip:198\.51\.100\.7"\] leuko\/ssh-bf ip:198\.51\.100\.7 — 6 failed logins/,
    );
    const cef = toCef({ ...rec, data: { ...(rec.data as object), scenario: 'a|b=c' } }, 'web1', '0.1.0');
    expect(cef).toMatch(/^CEF:0\|Leuko\|Leuko\|0\.1\.0\|detection\.raised\|a\\\|b=c ip:198\.51\.100\.7/);
    expect(cef).toContain('src=198.51.100.7');
    expect(cef).toContain('cs1=a|b\\=c');
  });

  it('copies audit records to syslog (UDP, TCP/CEF), an ECS file and webhooks, resuming after a restart', async () => {
    const rx = await receivers();
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-exports-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const parsed = configSchema().parse({
      exports: {
        syslog: [
          { target: `udp://127.0.0.1:${rx.udpPort}` },
          { target: `tcp://127.0.0.1:${rx.tcpPort}`, format: 'cef', kinds: ['detection'] },
        ],
        ecs_file: { path: 'ecs/events.json' },
        webhooks: [
          { url: `http://127.0.0.1:${rx.httpPort}/generic` },
          { url: `http://127.0.0.1:${rx.httpPort}/slack`, format: 'slack', events: ['approval'] },
        ],
      },
    });
    const config = deepFreeze(resolveConfig(parsed, dir));
    const store = openSqliteStore({ dir: path.join(dir, 'store') });
    await store.migrate();
    cleanup.push(() => store.close());
    await store.commit({ audit: [{ ...detection, subject: 'before-start' }] });
    const ctx = {
      config,
      configFile: path.join(dir, 'leuko.yaml'),
      store,
      storeDir: path.join(dir, 'store'),
      clock: systemClock,
      ids: createSequentialIds(),
      hostName: 'web1',
      log: () => {},
    } as unknown as AddonContext;
    expect(exportsAddon.enabled(config)).toBe(true);
    let running = await exportsAddon.start(ctx);
    await store.commit({ audit: [detection, incident, queued] });
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(ok(), what).toBe(true);
    };
    await until('udp', () => rx.udp.length === 3);
    await until('tcp', () => rx.tcp.length === 1);
    await until('hooks', () => rx.hooks.length === 3);
    await running.stop();

    // Only what came after the start: the record before it is not exported.
    expect(rx.udp.map((m) => /^<\d+>1 \S+ web1 leuko \d+ (\S+)/.exec(m)?.[1])).toEqual([
      'detection.raised',
      'incident.opened',
      'decision.queued',
    ]);
    expect(rx.tcp[0]).toMatch(/^<84>1 .* CEF:0\|Leuko\|Leuko\|[^|]+\|detection\.raised\|/);
    const ecs = readFileSync(path.join(dir, 'ecs/events.json'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, { action?: string; ip?: string } & Record<string, unknown>>);
    expect(ecs).toHaveLength(3);
    expect(ecs[0]).toMatchObject({
      '@timestamp': '2026-03-01T12:00:00.000Z',
      event: { kind: 'alert', action: 'detection.raised', provider: 'leuko' },
      source: { ip: '198.51.100.7' },
      rule: { name: 'leuko/ssh-bf' },
      threat: { technique: { id: ['T1110.001'] } },
      host: { name: 'web1' },
    });
    const generic = rx.hooks
      .filter((h) => h.path === '/generic')
      .map((h) => h.body as { event: string; action: string });
    expect(generic.map((b) => [b.event, b.action])).toEqual([
      ['incident', 'incident.opened'],
      ['approval', 'decision.queued'],
    ]);
    const slack = rx.hooks.filter((h) => h.path === '/slack').map((h) => h.body as { text: string });
    expect(slack).toHaveLength(1);
    expect(slack[0]?.text).toMatch(/^:raised_hand: Approval needed on \*web1\* — `web1`/);

    // A restart resumes after the last exported record: nothing is sent twice.
    await store.commit({ audit: [{ ...detection, subject: 'while-down' }] });
    running = await exportsAddon.start(ctx);
    await until('the record written while stopped', () => rx.udp.length === 4);
    await running.stop();
    expect(rx.udp[3]).toContain('subject="while-down"');
    expect(rx.udp).toHaveLength(4);
  });

  it('escapes attacker text in Slack messages', async () => {
    const rx = await receivers();
    const { createWebhookSink } = await import('./webhook.js');
    const sink = createWebhookSink({
      url: `http://127.0.0.1:${rx.httpPort}/s`,
      format: 'slack',
      events: ['incident'],
      timeoutMs: 2000,
      host: 'web1',
    });
    await sink.send([
      { ...incident, data: { entity: { type: 'user', value: '<!channel>' } }, seq: 1, prevHash: 'a', hash: 'b' },
    ]);
    const text = (rx.hooks[0]?.body as { text: string } | undefined)?.text ?? '';
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
  });
});
