import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAfterAction, type HealthSnapshot, probeHttp, probeTcp, runHealthChecks } from './health.js';
import type { HealthCheck } from './settings.js';

let http: Server;
let tcp: TcpServer;
let httpPort = 0;
let tcpPort = 0;
let closedPort = 0;
let status = 200;

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    if (req.url === '/hang') return; // never answers: the probe must time out
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  tcp = createTcpServer((s) => s.end());
  httpPort = await listen(http);
  tcpPort = await listen(tcp);
  // A port that was just free: nothing listens on it.
  const tmp = createTcpServer();
  closedPort = await listen(tmp);
  await new Promise<void>((r) => tmp.close(() => r()));
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  await new Promise<void>((r) => tcp.close(() => r()));
});

const httpCheck = (path: string, expect = 200, timeoutMs = 2000): Extract<HealthCheck, { type: 'http' }> => ({
  type: 'http',
  name: `http${path}`,
  url: `http://127.0.0.1:${httpPort}${path}`,
  expect,
  intervalMs: 30_000,
  timeoutMs,
});

describe('health probes', () => {
  it('http: ok on the expected status, failing on another', async () => {
    status = 200;
    expect(await probeHttp(httpCheck('/health'))).toEqual({ name: 'http/health', ok: true, detail: 'HTTP 200' });
    status = 503;
    const r = await probeHttp(httpCheck('/health'));
    expect(r).toMatchObject({ ok: false, detail: 'HTTP 503 (expected 200)' });
    status = 200;
  });

  it('http: a server that never answers times out', async () => {
    const r = await probeHttp(httpCheck('/hang', 200, 200));
    expect(r).toMatchObject({ ok: false, detail: 'timeout after 200 ms' });
  });

  it('http: connection refused is a failure, not a throw', async () => {
    const r = await probeHttp({ ...httpCheck('/'), url: `http://127.0.0.1:${closedPort}/` });
    expect(r).toMatchObject({ ok: false, detail: 'ECONNREFUSED' });
  });

  it('tcp: connects to a listener, fails on a closed port', async () => {
    const base = { type: 'tcp' as const, host: '127.0.0.1', intervalMs: 1000, timeoutMs: 2000 };
    expect(await probeTcp({ ...base, name: 'up', port: tcpPort })).toEqual({
      name: 'up',
      ok: true,
      detail: 'connected',
    });
    expect(await probeTcp({ ...base, name: 'down', port: closedPort })).toMatchObject({
      ok: false,
      detail: 'ECONNREFUSED',
    });
  });

  it('runHealthChecks probes all checks and stamps the time', async () => {
    const snap = await runHealthChecks(
      [
        httpCheck('/'),
        { type: 'tcp', name: 'down', host: '127.0.0.1', port: closedPort, intervalMs: 1, timeoutMs: 500 },
      ],
      { now: () => 42, attempts: 2 },
    );
    expect(snap.at).toBe(42);
    expect(snap.results.map((r) => [r.name, r.ok])).toEqual([
      ['http/', true],
      ['down', false],
    ]);
  });
});

describe('checkAfterAction', () => {
  const snap = (...results: [string, boolean][]): HealthSnapshot => ({
    at: 0,
    results: results.map(([name, ok]) => ({ name, ok, detail: ok ? 'HTTP 200' : 'HTTP 503' })),
  });

  it('rolls back when a check that passed now fails, naming the scenario for review', () => {
    const v = checkAfterAction(snap(['web', true], ['ssh', true]), snap(['web', false], ['ssh', true]), {
      decisionId: 'dec_1',
      scenario: 'leuko/http-probing',
    });
    expect(v).toMatchObject({ kind: 'rollback', decisionId: 'dec_1', review: 'leuko/http-probing' });
    if (v.kind === 'rollback') expect(v.worsened.map((r) => r.name)).toEqual(['web']);
  });

  it('does not blame the action for a check that already failed or has no baseline', () => {
    expect(
      checkAfterAction(snap(['web', false]), snap(['web', false], ['new', false]), { decisionId: 'd' }),
    ).toMatchObject({ kind: 'unchanged', failing: ['web', 'new'] });
    expect(checkAfterAction(snap(['web', false]), snap(['web', true]), { decisionId: 'd' })).toEqual({
      kind: 'healthy',
    });
  });

  it('end to end with a real server that breaks after the action', async () => {
    status = 200;
    const checks = [httpCheck('/')];
    const before = await runHealthChecks(checks, { now: () => 1 });
    status = 500; // the "action" cut the service off
    const after = await runHealthChecks(checks, { now: () => 2 });
    status = 200;
    expect(checkAfterAction(before, after, { decisionId: 'dec_9' }).kind).toBe('rollback');
  });
});
