import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canUseNetns } from '../lab/netns.js';
import { createLab, type Lab } from '../lab/topology.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';

const netns = canUseNetns();
const ULOGD = '/usr/sbin/ulogd';
const NMAP = '/usr/bin/nmap';
const PLUGINS = '/usr/lib/x86_64-linux-gnu/ulogd';
const skip = !netns.ok
  ? netns.reason
  : !existsSync(ULOGD)
    ? 'apt-get install ulogd2'
    : !existsSync(NMAP)
      ? 'apt-get install nmap'
      : !existsSync(PLUGINS)
        ? `no ulogd plugins in ${PLUGINS}`
        : undefined;

/** The victim's firewall: log and drop new TCP connections to anything but ssh, via NFLOG. */
const FIREWALL = `table inet labfw {
  chain input {
    type filter hook input priority 10; policy accept;
    tcp dport != 22 tcp flags & (syn | ack) == syn log group 7 prefix "labfw-drop: " drop
  }
}
`;

function ulogdConfig(dir: string): string {
  const plugin = (name: string) => `plugin="${PLUGINS}/ulogd_${name}.so"`;
  return [
    '[global]',
    `logfile="${path.join(dir, 'ulogd.log')}"`,
    'loglevel=3',
    plugin('inppkt_NFLOG'),
    plugin('raw2packet_BASE'),
    plugin('filter_IFINDEX'),
    plugin('filter_IP2STR'),
    plugin('filter_PRINTPKT'),
    plugin('output_LOGEMU'),
    'stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,emu1:LOGEMU',
    '[log1]',
    'group=7',
    '[emu1]',
    `file="${path.join(dir, 'firewall.log')}"`,
    'sync=1',
    '',
  ].join('\n');
}

/**
 * A real nmap SYN scan from the attacker namespace meets the victim's firewall, which logs the
 * dropped packets through NFLOG to ulogd (its LOGEMU file has the kernel's LOG format; the
 * kernel's own LOG target only writes from the initial namespace). `leuko run` tails that file
 * and bans the scanner with nftables in the victim namespace: `leuko/port-scan`, ban verified,
 * the scanner cut off afterwards. The client, which only uses ssh, is never banned.
 */
describe.skipIf(skip !== undefined)(`port scan: nmap against a logging firewall${skip ? ` (${skip})` : ''}`, () => {
  let lab: Lab | undefined;
  const children: ReturnType<typeof spawnCli>[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await lab?.destroy();
  });

  it('bans the scanner, and only the scanner', { timeout: 120_000 }, async () => {
    lab = await createLab({ name: 'port-scan' });
    const { dir } = lab;
    const fwFile = path.join(dir, 'labfw.nft');
    writeFileSync(fwFile, FIREWALL);
    expect((await lab.exec('victim', ['nft', '-f', fwFile])).code).toBe(0);
    const conf = path.join(dir, 'ulogd.conf');
    writeFileSync(conf, ulogdConfig(dir));
    const log = path.join(dir, 'firewall.log');
    writeFileSync(log, '');
    lab.spawn('victim', [ULOGD, '-c', conf]);

    const config = path.join(dir, 'leuko.yaml');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, path: ${log}, format: syslog, start_at: beginning }`,
        `policy: { mode: contain, allowlist: [127.0.0.0/8, "::1", ${lab.victim}] }`,
        `store: { path: ${path.join(dir, 'store')} }`,
        'responders:',
        `  - { type: nftables, netns: ${lab.ns.victim} }`,
      ].join('\n'),
    );
    const leuko = spawnCli(['--config', config, 'run']);
    children.push(leuko);
    await waitFor('leuko to start', () => (existsSync(path.join(dir, 'store')) ? true : undefined), 30_000);

    // The client reaches ssh's port a few times (refused: no sshd here; not logged, not a scan).
    for (let i = 0; i < 3; i++) await lab.exec('client', ['nmap', '-sT', '-Pn', '-n', '-p', '22', lab.victim]);

    const scan = await lab.exec(
      'attacker',
      ['nmap', '-sS', '-Pn', '-n', '-T4', '--max-retries', '0', '-p', '1-300', lab.victim],
      { timeoutMs: 60_000 },
    );
    expect(scan.code, scan.stderr).toBe(0);
    const attacker = lab.attacker;

    const decisions = () =>
      JSON.parse(runCli(['--config', config, 'decisions', '--all', '--json']).stdout) as {
        value: string;
        scenario: string;
        status: string;
      }[];
    const ban = await waitFor(
      'a port-scan ban of the attacker',
      () => decisions().find((d) => d.value === attacker && d.scenario === 'leuko/port-scan'),
      45_000,
    );
    expect(ban, readFileSync(log, 'utf8').slice(0, 2000)).toBeDefined();
    const inSet = () => {
      try {
        const out = execFileSync(
          'ip',
          ['netns', 'exec', lab!.ns.victim, 'nft', '-j', 'list', 'set', 'inet', 'leuko', 'ban4'],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
        return out.includes(`"${attacker}"`) ? true : undefined;
      } catch {
        return undefined;
      }
    };
    await waitFor('the attacker in the ban set', inSet, 30_000);

    // Cut off: a second scan of ssh's port gets no answer at all (filtered), where it was closed.
    const after = await lab.exec('attacker', [
      'nmap',
      '-sS',
      '-Pn',
      '-n',
      '--max-retries',
      '0',
      '-p',
      '22',
      lab.victim,
    ]);
    expect(after.stdout).toMatch(/22\/tcp\s+filtered/);
    expect(decisions().filter((d) => d.value === lab!.client)).toEqual([]);
  });
});
