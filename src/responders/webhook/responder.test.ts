import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import type { Decision } from '../../core/decision.js';
import type { ResponderContext } from '../../core/responder.js';
import {
  createWebhookResponder,
  escapeSlack,
  redactUrl,
  SIGNATURE_HEADER,
  webhookConfigSchema,
  webhookOptionsFromConfig,
} from './index.js';

interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP receiver on 127.0.0.1:0 whose answers each test scripts. */
let received: Received[] = [];
let answers: number[] = [];
let hang = false;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    if (hang) return; // never answer: the client's timeout must fire
    res.statusCode = answers.shift() ?? 200;
    res.end('ok');
  });
});
let base = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  received = [];
  answers = [];
  hang = false;
});

const ctx: ResponderContext = {
  signal: new AbortController().signal,
  clock: createManualClock(Date.UTC(2026, 1, 12, 14, 10, 21)),
  timeoutMs: 10_000,
  log: () => {},
};

let n = 0;
function decision(over: Partial<Decision> = {}): Decision {
  return {
    id: `dec_${++n}`,
    scope: 'ip',
    value: '203.0.113.9',
    action: 'notify',
    durationS: 14_400,
    createdAt: 0,
    expiresAt: 14_400_000,
    origin: 'scenario',
    scenario: 'leuko/ssh-bf',
    reason: '6 failed ssh logins in 38 s',
    blastRadius: 'low',
    status: 'approved',
    offence: 1,
    ...over,
  };
}

describe('webhook responder', () => {
  it('POSTs the generic JSON with the decision and plan, signed with HMAC-SHA256', async () => {
    const secret = 'a-shared-secret-of-32-characters';
    const r = createWebhookResponder({ url: `${base}/hook`, secret, host: 'web1' });
    const d = decision();
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied', detail: 'HTTP 200 after 1 attempt' });
    expect(received).toHaveLength(1);
    const got = received[0] as Received;
    expect(got.path).toBe('/hook');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-leuko-event']).toBe('decision.applied');
    const expected = createHmac('sha256', secret).update(got.body).digest();
    const header = String(got.headers[SIGNATURE_HEADER]);
    expect(header.startsWith('sha256=')).toBe(true);
    expect(timingSafeEqual(Buffer.from(header.slice(7), 'hex'), expected)).toBe(true);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      version: 1,
      event: 'decision.applied',
      sent_at: '2026-02-12T14:10:21.000Z',
      host: 'web1',
      decision: { id: d.id, value: '203.0.113.9', scenario: 'leuko/ssh-bf' },
      plan: { responder: 'webhook', summary: expect.stringContaining('notify ip 203.0.113.9 for 4h') },
    });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
  });

  it('does not notify twice for a repeated apply', async () => {
    const r = createWebhookResponder({ url: base });
    const d = decision();
    await r.apply([d], ctx);
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied', detail: 'already delivered' });
    expect(received).toHaveLength(1);
  });

  it('sends a Slack-compatible body with attacker text escaped', async () => {
    const r = createWebhookResponder({ url: base, format: 'slack', host: 'web1' });
    const d = decision({ scope: 'user', value: '<!channel>&bob', reason: 'see <https://evil.example|here>' });
    await r.apply([d], ctx);
    const body = JSON.parse(received[0]?.body ?? '{}');
    expect(body.text).toBe(
      'Leuko on web1 decided: notify user &lt;!channel&gt;&amp;bob for 4h (see &lt;https://evil.example|here&gt;)',
    );
    expect(body.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Leuko on web1 decided:* notify user &lt;!channel&gt;&amp;bob for 4h' },
    });
    expect(JSON.stringify(body.blocks)).not.toContain('<!channel>');
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(['section', 'section', 'context', 'context']);
  });

  it('retries 5xx with backoff and succeeds', async () => {
    answers = [503, 500];
    const r = createWebhookResponder({ url: base, retries: 3, backoffMs: 10 });
    const d = decision();
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied', detail: 'HTTP 200 after 3 attempts' });
    expect(received).toHaveLength(3);
  });

  it('gives up after the retries; verify then reports the failure', async () => {
    answers = [502, 502, 502];
    const r = createWebhookResponder({ url: base, retries: 2, backoffMs: 5 });
    const d = decision();
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'failed',
      retryable: true,
      error: 'HTTP 502 after 3 attempts',
    });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false, reason: 'last delivery failed: HTTP 502' });
  });

  it('does not retry a 4xx', async () => {
    answers = [404];
    const r = createWebhookResponder({ url: base, retries: 3, backoffMs: 5 });
    const d = decision();
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'failed', retryable: false });
    expect(received).toHaveLength(1);
  });

  it('times out a receiver that never answers', async () => {
    hang = true;
    const r = createWebhookResponder({ url: base, timeoutMs: 100, retries: 1, backoffMs: 5 });
    const d = decision();
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'failed', error: 'timed out after 2 attempts' });
    expect(received).toHaveLength(2);
  });

  it('reports an unreachable URL as a retryable failure', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const r = createWebhookResponder({ url: `http://127.0.0.1:${port}/`, retries: 0 });
    const d = decision();
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'failed',
      retryable: true,
      error: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('announces a rollback once, or skips it when configured not to', async () => {
    const r = createWebhookResponder({ url: base });
    const d = decision();
    await r.rollback([d], ctx);
    await r.rollback([d], ctx);
    expect(received.map((x) => JSON.parse(x.body).event)).toEqual(['decision.rolled_back']);
    const quiet = createWebhookResponder({ url: base, notifyRollback: false });
    expect((await quiet.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'skipped' });
  });

  it('keeps the secret path of the URL out of plans', () => {
    const r = createWebhookResponder({
      url: 'https://hooks.slack.com/services/T000/B000/SECRETTOKEN',
      format: 'slack',
    });
    const plan = r.plan(decision());
    expect(JSON.stringify(plan)).not.toContain('SECRETTOKEN');
    expect(plan).toMatchObject({ blastRadius: 'low', reversible: false });
    expect(redactUrl('not a url')).toBe('(invalid url)');
    expect(escapeSlack('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });
});

describe('webhookConfigSchema', () => {
  it('parses snake_case YAML with durations and defaults', () => {
    const c = webhookConfigSchema.parse({
      type: 'webhook',
      url: 'https://example.com/h',
      format: 'slack',
      timeout: '2s',
    });
    expect(c).toMatchObject({
      format: 'slack',
      timeout: 2,
      retries: 3,
      backoff: 0.5,
      actions: ['notify'],
      notify_rollback: true,
    });
    expect(webhookOptionsFromConfig(c)).toMatchObject({ format: 'slack', timeoutMs: 2000, backoffMs: 500, retries: 3 });
    expect(webhookConfigSchema.safeParse({ type: 'webhook', url: 'ftp://example.com' }).success).toBe(false);
    expect(webhookConfigSchema.safeParse({ type: 'webhook', url: 'https://x.example', secret: 'short' }).success).toBe(
      false,
    );
  });
});
