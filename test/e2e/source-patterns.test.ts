import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

/**
 * `leuko run` on a path pattern: a file that appears after start (a new pod's log, written by
 * containerd in CRI records) is followed from its first line, and its attacker gets a decision.
 */
describe('leuko run follows the files a path pattern names', () => {
  it('reads a pod log created after start and decides on it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-patterns-'));
    const logs = path.join(dir, 'containers');
    mkdirSync(logs);
    const failure = (k: number, ip: string) =>
      `${syslogStamp(new Date())} bastion sshd[${3000 + k}]: Failed password for root from ${ip} port ${40000 + k} ssh2`;
    writeFileSync(path.join(logs, 'ssh-0.log'), `${failure(0, '10.88.0.1')}\n`);
    const config = path.join(dir, 'leuko.yaml');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, path: "${logs}/*.log", start_at: beginning, rescan: 1s }`,
        'policy: { mode: observe, allowlist: [127.0.0.0/8, "::1"] }',
        `store: { path: ${path.join(dir, 'store')} }`,
      ].join('\n'),
    );
    const child = spawnCli(['--config', config, 'run', '--json']);
    const exited = new Promise((r) => child.once('exit', r));
    let out = '';
    let err = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
    });
    try {
      await waitFor('the daemon to follow the first file', () => (err.includes('leuko running') ? true : undefined));
      const now = new Date().toISOString().replace('Z', '000000Z').slice(0, 30);
      const pod = [1, 2, 3, 4, 5, 6].map((k) => `${now} stderr F ${failure(k, '10.88.0.2')}`).join('\n');
      writeFileSync(path.join(logs, 'ssh-1.log'), `${pod}\n`);
      const decision = await waitFor(
        'a decision on the new file',
        () =>
          out
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as { type: string; value?: string; scenario?: string })
            .find((r) => r.type === 'decision' && r.value === '10.88.0.2'),
        30_000,
      );
      expect(decision.scenario).toBe('leuko/ssh-bf');
      expect(err).toContain(`file:${path.join(logs, 'ssh-1.log')}: following`);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
