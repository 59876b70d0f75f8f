import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../support/cli.js';
import { parsePrometheusText, promValue } from '../support/prom-text.js';
import { syslogStamp } from '../support/syslog.js';
import { createToken, type RunningLeuko, sshBruteForce, startLeuko } from './api-daemon.js';

/**
 * Acceptance 4 of issue 7: /metrics of a running `leuko run` parses as Prometheus text and its
 * counters move while an attack is replayed into the log; the same attack arrives live on the
 * SSE stream.
 */
describe('leuko run: /metrics and the live stream', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-api-metrics-'));
  const log = path.join(dir, 'auth.log');
  const config = path.join(dir, 'leuko.yaml');
  let leuko: RunningLeuko | undefined;
  writeFileSync(log, '');
  writeFileSync(
    config,
    [
      'sources:',
      `  - { type: file, id: auth, path: ${log}, format: sshd, start_at: beginning }`,
      'policy: { mode: observe, allowlist: [127.0.0.0/8] }',
      `store: { path: ${path.join(dir, 'store')} }`,
      'api: { listen: "127.0.0.1:0" }',
    ].join('\n'),
  );
  afterAll(async () => {
    await leuko?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts lines, parse failures, detections per scenario and decisions as a replay runs', async () => {
    const viewer = createToken(config, 'viewer', 'grafana');
    leuko = await startLeuko(config);
    const scrape = async () => {
      const res = await fetch(`${leuko?.base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parsePrometheusText(await res.text());
    };
    const before = await scrape();
    expect(promValue(before, 'leuko_source_lines_read_total', { source: 'auth' })).toBe(0);
    expect(promValue(before, 'leuko_process_resident_memory_bytes')).toBeGreaterThan(0);

    // Listen to the stream before the attack: it must show up live.
    const ac = new AbortController();
    const stream = await fetch(`${leuko.base}/api/v1/stream`, {
      headers: { authorization: `Bearer ${viewer}` },
      signal: ac.signal,
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let streamed = '';
    const streaming = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        streamed += new TextDecoder().decode(value);
      }
    })();

    appendFileSync(log, sshBruteForce('198.51.100.23', 8, syslogStamp()));
    appendFileSync(log, 'this is not a syslog line at all\n');
    const after = await waitFor(
      'detections counted',
      async () => {
        const m = await scrape();
        return promValue(m, 'leuko_scenario_detections_total') > 0 ? m : undefined;
      },
      30_000,
    );
    expect(promValue(after, 'leuko_source_lines_read_total', { source: 'auth' })).toBe(9);
    expect(promValue(after, 'leuko_lines_total')).toBe(9);
    expect(promValue(after, 'leuko_parse_failures_total')).toBeGreaterThanOrEqual(1);
    expect(promValue(after, 'leuko_detections_total')).toBeGreaterThan(0);
    const perScenario = [...(after.get('leuko_scenario_detections_total')?.samples ?? [])];
    expect(perScenario.map((s) => s.labels.scenario)).toContain('leuko/ssh-bf');
    expect(promValue(after, 'leuko_decisions', { action: 'ban' })).toBeGreaterThan(0);
    expect(promValue(after, 'leuko_pipeline_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.get('leuko_breaker_open')?.type).toBe('gauge');
    expect(after.get('leuko_approval_queue_length')?.samples[0]?.value).toBe(0);

    await waitFor(
      'the detection on the stream',
      () => (/event: detection\n/.test(streamed) ? true : undefined),
      10_000,
    );
    await waitFor('the decision on the stream', () => (/event: decision\n/.test(streamed) ? true : undefined), 10_000);
    expect(streamed).toMatch(/event: incident\ndata: \{[^\n]*198\.51\.100\.23/);
    ac.abort();
    await streaming;

    // `leuko tokens list|revoke` against the same store: revoked means refused at once.
    expect(runCli(['--config', config, 'tokens', 'list']).stdout).toMatch(/grafana\s*│\s*viewer/);
    expect(runCli(['--config', config, 'tokens', 'revoke', 'grafana']).status).toBe(0);
    const refused = await fetch(`${leuko.base}/api/v1/status`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    expect(await leuko.stop()).toBe(0);
  }, 60_000);
});
