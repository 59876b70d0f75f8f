import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canUseNetnsSync, createNetns, deleteNetns, type Netns } from '../../src/platform/nft/netns.js';
import { ROOT, runCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';
import { createBouncerKey, sshBruteForce } from './api-daemon.js';

const BOUNCER = '/usr/bin/crowdsec-firewall-bouncer';
const netns = canUseNetnsSync();
const skip = !netns.ok ? netns.reason : !existsSync(BOUNCER) ? 'apt-get install crowdsec-firewall-bouncer' : undefined;

/**
 * Acceptance 3 of issue 7 with the second real bouncer: Debian's `crowdsec-firewall-bouncer`
 * (nftables mode) enforces Leuko's bans inside a network namespace the test creates. Both
 * `leuko run` (record-only: no responder of its own) and the bouncer run in the namespace, so
 * the bouncer reaches the API on the namespace's loopback and its nftables calls never touch
 * the host. A brute force in the log becomes an element of the bouncer's set; lifting the
 * decision (`leuko decisions delete`) removes it.
 */
describe.skipIf(skip !== undefined)(
  `crowdsec-firewall-bouncer in a namespace${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-fw-bouncer-'));
    const log = path.join(dir, 'auth.log');
    const config = path.join(dir, 'leuko.yaml');
    let ns: Netns | undefined;
    const children: ChildProcess[] = [];
    writeFileSync(log, '');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, id: auth, path: ${log}, format: sshd, start_at: beginning }`,
        'policy: { mode: contain, allowlist: [127.0.0.0/8, "::1"] }',
        `store: { path: ${path.join(dir, 'store')} }`,
        'api: { listen: "127.0.0.1:0" }',
      ].join('\n'),
    );
    afterAll(async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await deleteNetns(ns);
      rmSync(dir, { recursive: true, force: true });
    });

    const inNs = (argv: string[]) => {
      const c = spawn('ip', ['netns', 'exec', (ns as Netns).name, ...argv], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      children.push(c);
      let out = '';
      c.stdout?.on('data', (b: Buffer) => (out += b.toString()));
      c.stderr?.on('data', (b: Buffer) => (out += b.toString()));
      return { child: c, out: () => out };
    };
    const elements = (): string => {
      try {
        return execFileSync(
          'ip',
          ['netns', 'exec', (ns as Netns).name, 'nft', '-j', 'list', 'set', 'ip', 'crowdsec', 'crowdsec-blacklists'],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
      } catch {
        return '';
      }
    };

    it('puts Leuko’s bans into its nftables set and takes lifted ones out', async () => {
      ns = await createNetns('fwb');
      const key = createBouncerKey(config, 'firewall');
      const leuko = inNs([
        process.execPath,
        '--import',
        'tsx',
        path.join(ROOT, 'src/cli/main.ts'),
        '--config',
        config,
        'run',
      ]);
      const base = await waitFor(
        'the API in the namespace',
        () => /api listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(leuko.out())?.[1],
        30_000,
      );
      const yaml = path.join(dir, 'firewall-bouncer.yaml');
      writeFileSync(
        yaml,
        [
          'mode: nftables',
          `pid_dir: ${dir}`,
          'update_frequency: 1s',
          'daemonize: false',
          'log_mode: stdout',
          'log_level: info',
          `api_url: ${base}/`,
          `api_key: ${key}`,
          'disable_ipv6: true',
          'deny_action: DROP',
          'deny_log: false',
          'supported_decisions_types: [ban]',
          'blacklists_ipv4: crowdsec-blacklists',
          'blacklists_ipv6: crowdsec6-blacklists',
          'nftables:',
          '  ipv4: { enabled: true, set-only: false, table: crowdsec, chain: crowdsec-chain }',
          '  ipv6: { enabled: false, set-only: false, table: crowdsec6, chain: crowdsec6-chain }',
          'prometheus: { enabled: false, listen_addr: 127.0.0.1, listen_port: 60601 }',
        ].join('\n'),
      );
      const bouncer = inNs([BOUNCER, '-c', yaml]);
      await waitFor('the bouncer’s table', () => (elements() ? true : undefined), 20_000).catch((err) => {
        throw new Error(`${String(err)}\n${bouncer.out()}`);
      });

      appendFileSync(log, sshBruteForce('198.51.100.81', 8, syslogStamp()));
      await waitFor(
        'the ban in the bouncer’s set',
        () => (elements().includes('198.51.100.81') ? true : undefined),
        30_000,
      ).catch((err) => {
        throw new Error(`${String(err)}\nbouncer:\n${bouncer.out()}\nleuko:\n${leuko.out()}`);
      });
      // The chain drops what is in the set.
      const chain = execFileSync(
        'ip',
        ['netns', 'exec', (ns as Netns).name, 'nft', 'list', 'table', 'ip', 'crowdsec'],
        {
          encoding: 'utf8',
        },
      );
      expect(chain).toMatch(/ip saddr @crowdsec-blacklists .*drop/);

      const lifted = runCli(['--config', config, 'decisions', 'delete', '--ip', '198.51.100.81']);
      expect(lifted.status, lifted.stderr).toBe(0);
      await waitFor(
        'the element to leave the set',
        () => (elements().includes('198.51.100.81') ? undefined : true),
        30_000,
      );

      bouncer.child.kill('SIGTERM');
      leuko.child.kill('SIGTERM');
      await new Promise((r) => leuko.child.once('exit', r));
    }, 90_000);
  },
);
