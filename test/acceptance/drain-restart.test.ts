import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTERS_STATE_KEY } from '../../src/pipeline/processor.js';
import { openSqliteStore } from '../../src/store/index.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

/**
 * Issue 6: "models and baselines live in the store, survive restarts, and can be reset per
 * entity". The real daemon learns templates, stops, starts again on more lines: the same
 * shapes keep their ids and new ones continue the sequence; `templates reset --source` then
 * forgets exactly that source.
 */
interface Row {
  source: string;
  id: string;
  template: string;
  count: number;
}

describe('learned templates across daemon restarts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-drain-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const log = path.join(dir, 'app.log');
  const other = path.join(dir, 'other.log');
  const storeDir = path.join(dir, 'store');
  const config = path.join(dir, 'leuko.yaml');

  async function runUntil(lines: number): Promise<void> {
    const child = spawnCli(['--config', config, 'run']);
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await waitFor(
        `${lines} lines committed`,
        async () => {
          const store = openSqliteStore({ dir: storeDir });
          try {
            const raw = await store.loadState(COUNTERS_STATE_KEY);
            const c = raw ? (JSON.parse(raw) as { lines: number }) : undefined;
            return c && c.lines >= lines ? c : undefined;
          } catch {
            return undefined;
          } finally {
            await store.close();
          }
        },
        60_000,
      );
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }

  const list = (): Row[] => {
    const r = runCli(['--config', config, 'templates', 'list', '--json']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Row[];
  };

  it('keeps ids through a restart and resets one source', async () => {
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, id: app, path: ${log}, start_at: beginning }`,
        `  - { type: file, id: other, path: ${other}, start_at: beginning }`,
        'policy: { mode: observe }',
        `store: { path: ${storeDir} }`,
        'templates: { enabled: true }',
      ].join('\n'),
    );
    const s = syslogStamp(new Date());
    writeFileSync(
      log,
      `${[
        `${s} web1 api[7]: cache hit ratio 0.91 over last 60s`,
        `${s} web1 worker[9]: job 1 completed in 2.1s queue=emails`,
        '%%% a line no parser knows %%%',
        `${s} web1 api[7]: cache hit ratio 0.87 over last 60s`,
      ].join('\n')}\n`,
    );
    writeFileSync(other, `${s} web1 cron[1]: backup done\n`);
    await runUntil(5);
    const before = list().filter((r) => r.source === 'app');
    expect(before.map((r) => [r.id, r.template, r.count])).toEqual([
      ['E1', 'api: cache hit ratio <*> over last 60s', 2],
      ['E2', 'worker: job <*> completed in 2.1s queue=emails', 1],
      ['E3', '%%% a line no parser knows %%%', 1],
    ]);

    appendFileSync(
      log,
      `${[`${s} web1 worker[9]: job 2 completed in 0.4s queue=emails`, `${s} web1 api[7]: ERROR redis down`].join('\n')}\n`,
    );
    await runUntil(7);
    const after = list().filter((r) => r.source === 'app');
    expect(after.map((r) => [r.id, r.count])).toEqual([
      ['E1', 2],
      ['E2', 2],
      ['E3', 1],
      ['E4', 1],
    ]);
    expect(after[3]?.template).toBe('api: ERROR redis down');

    const reset = runCli(['--config', config, 'templates', 'reset', '--source', 'app']);
    expect(reset.status).toBe(0);
    const rest = list();
    expect(rest.filter((r) => r.source === 'app')).toEqual([]);
    expect(rest.filter((r) => r.source === 'other')).toHaveLength(1);
  }, 150_000);
});
