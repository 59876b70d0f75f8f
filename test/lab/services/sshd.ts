import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { probeTcp } from '../probe.js';
import { runOk, waitUntil } from '../proc.js';
import type { Lab } from '../topology.js';

/**
 * `syslog`: sshd logs through syslog(3) to rsyslog, as on a real Debian host (RFC 3339
 * timestamps, `victim sshd[pid]:` prefix). `file`: `sshd -E FILE`, which writes the bare
 * message with no timestamp, host or pid (`Failed password for root from ... ssh2`).
 */
export type SshdLogMode = 'syslog' | 'file';

export interface Sshd {
  readonly config: string;
  /** Where sshd's lines land: the syslog auth.log, or the -E file. */
  readonly log: string;
}

export interface SshdOptions {
  readonly logMode: SshdLogMode;
  /** rsyslog socket (mode `syslog`). */
  readonly syslogSocket?: string;
  /** Log file (the auth.log in mode `syslog`, the -E target in mode `file`). */
  readonly log: string;
  readonly authorizedKeysPattern: string;
}

/**
 * A real sshd on victim:22 with its own config and host keys. It runs in a private mount
 * namespace where /run is a fresh tmpfs (its privilege-separation dir /run/sshd must exist,
 * and the host has none) and /dev is a tmpfs of links to the real devices plus
 * /dev/log -> the lab's rsyslog socket: glibc's syslog(3) only knows /dev/log, and the host's
 * own /dev must not change.
 */
export async function startSshd(lab: Lab, opts: SshdOptions): Promise<Sshd> {
  const dir = path.join(lab.dir, 'sshd');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const keys: string[] = [];
  for (const [type, bits] of [
    ['ed25519', []],
    ['rsa', ['-b', '2048']],
  ] as const) {
    const f = path.join(dir, `ssh_host_${type}_key`);
    await runOk(['ssh-keygen', '-q', '-t', type, ...bits, '-N', '', '-f', f], { timeoutMs: 20_000 });
    keys.push(f);
  }
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress ${lab.victim}:22`,
      ...keys.map((k) => `HostKey ${k}`),
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      // Debian defaults: PAM on, passwords allowed, root only by key.
      'UsePAM yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AuthorizedKeysFile ${opts.authorizedKeysPattern}`,
      // The key file lives under /tmp (mode 1777), which StrictModes would refuse.
      'StrictModes no',
      'SyslogFacility AUTH',
      'LogLevel INFO',
      'UseDNS no',
      'PrintMotd no',
      'X11Forwarding no',
      '',
    ].join('\n'),
  );
  const devDir = path.join(dir, 'hostdev');
  mkdirSync(devDir, { recursive: true });
  const sshd = ['/usr/sbin/sshd', '-D', '-f', config, ...(opts.logMode === 'file' ? ['-E', opts.log] : [])];
  if (opts.logMode === 'file') writeFileSync(opts.log, '', { mode: 0o640 });
  const script = [
    'set -eu',
    // Refuse to touch mounts unless we really are in our own mount namespace.
    '[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || { echo "not in a private mount namespace" >&2; exit 97; }',
    'mount -t tmpfs -o mode=0755 lk-run /run',
    'mkdir -m 0755 /run/sshd',
    `mount --rbind /dev '${devDir}'`,
    'mount -t tmpfs -o mode=0755 lk-dev /dev',
    `for f in '${devDir}'/*; do ln -s "$f" "/dev/\${f##*/}"; done`,
    ...(opts.syslogSocket ? [`ln -sf '${opts.syslogSocket}' /dev/log`] : []),
    `exec ${sshd.map((a) => `'${a}'`).join(' ')}`,
  ].join('\n');
  const child = lab.spawn('victim', ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script]);
  let exited = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.once('exit', (code) => {
    exited = `sshd exited with ${code}: ${stderr.trim()}`;
  });
  await waitUntil(
    'sshd listening on victim:22',
    async () => {
      if (exited) throw new Error(exited);
      return (await probeTcp(lab, 'victim', lab.victim, 22, 1)).outcome === 'connected' || undefined;
    },
    15_000,
    100,
  );
  return { config, log: opts.log };
}
