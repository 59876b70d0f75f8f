import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTERS_STATE_KEY } from '../../src/pipeline/processor.js';
import { openSqliteStore } from '../../src/store/index.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

/**
 * kill -9 during `leuko run`, again and again, while a log grows: after the last restart
 * every line has been counted exactly once and every attacker has exactly one decision.
 */
describe('leuko run survives kill -9', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-kill9-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses and duplicates no line and no decision', async () => {
    const log = path.join(dir, 'auth.log');
    const storeDir = path.join(dir, 'store');
    const config = path.join(dir, 'leuko.yaml');
    writeFileSync(log, '');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, path: ${log}, format: sshd, start_at: beginning }`,
        'policy: { mode: observe, allowlist: [127.0.0.0/8, "::1"] }',
        `store: { path: ${storeDir} }`,
      ].join('\n'),
    );

    // 30 attackers, 6 failures each (the fast brute-force bucket holds 5), interleaved with
    // benign logins; timestamps of "now" so the year inference is trivial.
    const stamp = syslogStamp(new Date());
    const lines: string[] = [];
    for (let round = 0; round < 6; round++) {
      for (let a = 1; a <= 30; a++) {
        lines.push(
          `${stamp} web1 sshd[${1000 + a}]: Failed password for root from 198.51.100.${a} port ${40000 + round} ssh2`,
        );
        if (a % 3 === 0)
          lines.push(
            `${stamp} web1 sshd[${2000 + a}]: Accepted publickey for deploy from 192.0.2.${a} port 5000 ssh2: ED25519 SHA256:abc`,
          );
      }
    }
    const chunks = 12;
    const per = Math.ceil(lines.length / chunks);
    const args = ['--config', config, 'run'];

    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };

    for (let c = 0; c < chunks; c++) {
      const child = spawnCli(args);
      appendFileSync(log, `${lines.slice(c * per, (c + 1) * per).join('\n')}\n`);
      // Let it work for a random moment (sometimes not even through start-up), then kill -9.
      await new Promise((r) => setTimeout(r, 200 + Math.floor(rand() * 900)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }

    // A last run that is allowed to finish the file, then stops cleanly.
    const child = spawnCli(args);
    const exited = new Promise((r) => child.once('exit', r));
    const counters = await waitFor(
      'all lines committed',
      async () => {
        const store = openSqliteStore({ dir: storeDir });
        try {
          const raw = await store.loadState(COUNTERS_STATE_KEY);
          const c = raw ? (JSON.parse(raw) as { lines: number; events: number }) : undefined;
          return c && c.lines >= lines.length ? c : undefined;
        } catch {
          return undefined;
        } finally {
          await store.close();
        }
      },
      60_000,
    );
    child.kill('SIGTERM');
    await exited;

    expect(counters.lines).toBe(lines.length);
    expect(counters.events).toBe(lines.length);

    const decisions = JSON.parse(runCli(['--config', config, 'decisions', '--all', '--json']).stdout) as {
      value: string;
    }[];
    const values = decisions.map((d) => d.value).sort();
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual(Array.from({ length: 30 }, (_, i) => `198.51.100.${i + 1}`).sort());

    const verify = runCli(['--config', config, 'audit', 'verify', '--json']);
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  }, 180_000);
});
