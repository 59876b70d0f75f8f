import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canUseNetnsSync, createNetns, deleteNetns, type Netns } from '../../src/platform/nft/netns.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

const netns = canUseNetnsSync();

/**
 * `leuko run` in contain mode with the nftables responder, enforcing inside a network
 * namespace: a brute force is banned and verified; `nft flush ruleset` is repaired within a
 * reconcile period; after kill -9 and a restart the ban is back with no duplicate decision.
 */
describe.skipIf(!netns.ok)(`leuko run enforces with nftables${netns.ok ? '' : ` (skipped: ${netns.reason})`}`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-enforce-'));
  const log = path.join(dir, 'auth.log');
  const config = path.join(dir, 'leuko.yaml');
  let ns: Netns | undefined;
  const children: ReturnType<typeof spawnCli>[] = [];

  beforeAll(async () => {
    ns = await createNetns('enforce');
    writeFileSync(log, '');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, path: ${log}, format: sshd, start_at: beginning }`,
        'policy: { mode: contain, allowlist: [127.0.0.0/8, "::1", 192.0.2.0/24] }',
        `store: { path: ${path.join(dir, 'store')} }`,
        'responders:',
        `  - { type: nftables, netns: ${ns.name} }`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await deleteNetns(ns);
    rmSync(dir, { recursive: true, force: true });
  });

  const banned = (addr: string): boolean => {
    try {
      const out = execFileSync(
        'ip',
        ['netns', 'exec', (ns as Netns).name, 'nft', '-j', 'list', 'set', 'inet', 'leuko', 'ban4'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      return out.includes(`"${addr}"`);
    } catch {
      return false;
    }
  };
  const start = () => {
    const c = spawnCli(['--config', config, 'run']);
    children.push(c);
    return c;
  };
  const attack = (ip: string, n: number) =>
    appendFileSync(
      log,
      Array.from(
        { length: n },
        (_, i) => `${syslogStamp()} web1 sshd[${700 + i}]: Failed password for root from ${ip} port ${5000 + i} ssh2\n`,
      ).join(''),
    );
  const decisionsFor = (ip: string) =>
    (
      JSON.parse(runCli(['--config', config, 'decisions', '--all', '--json']).stdout) as {
        value: string;
        status: string;
      }[]
    ).filter((d) => d.value === ip);

  it('bans, verifies, repairs a flushed ruleset, and survives kill -9', async () => {
    let daemon = start();
    attack('198.51.100.7', 6);
    attack('192.0.2.10', 8); // allowlisted: never banned, even in attack lines
    await waitFor('the ban in force', () => (banned('198.51.100.7') ? true : undefined), 30_000);
    await waitFor(
      'the decision verified',
      () => (decisionsFor('198.51.100.7')[0]?.status === 'verified' ? true : undefined),
      15_000,
    );
    expect(banned('192.0.2.10')).toBe(false);

    execFileSync('ip', ['netns', 'exec', (ns as Netns).name, 'nft', 'flush', 'ruleset']);
    expect(banned('198.51.100.7')).toBe(false);
    await waitFor('the reconcile loop restoring the ban', () => (banned('198.51.100.7') ? true : undefined), 12_000);

    daemon.kill('SIGKILL');
    await new Promise((r) => daemon.once('exit', r));
    execFileSync('ip', ['netns', 'exec', (ns as Netns).name, 'nft', 'flush', 'ruleset']);
    daemon = start();
    await waitFor('the ban back after restart', () => (banned('198.51.100.7') ? true : undefined), 15_000);
    expect(decisionsFor('198.51.100.7')).toHaveLength(1);
    expect(decisionsFor('192.0.2.10')).toHaveLength(0);

    const status = JSON.parse(runCli(['--config', config, 'status', '--json']).stdout) as {
      drift: { total: number } | null;
    };
    expect(status.drift?.total ?? 0).toBeGreaterThanOrEqual(1);
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
  }, 120_000);
});
