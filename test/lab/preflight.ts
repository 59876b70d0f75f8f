import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Debian package of each binary the lab runs: what CI must `apt-get install`. */
export const APT_PACKAGE: Readonly<Record<string, string>> = {
  ip: 'iproute2',
  nft: 'nftables',
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  nginx: 'nginx-light',
  rsyslogd: 'rsyslog',
  'fail2ban-server': 'fail2ban',
  'fail2ban-client': 'fail2ban',
  hydra: 'hydra',
  sqlmap: 'sqlmap',
  nmap: 'nmap',
  wapiti: 'wapiti',
  curl: 'curl',
  stdbuf: 'coreutils',
  timeout: 'coreutils',
  unshare: 'util-linux',
  mount: 'mount',
  useradd: 'passwd',
  chpasswd: 'passwd',
  userdel: 'passwd',
  bash: 'bash',
};

/** Binaries every lab run needs, whatever the attacks and the enforcer. */
export const BASE_TOOLS = [
  'ip',
  'nft',
  'sshd',
  'ssh',
  'ssh-keygen',
  'nginx',
  'rsyslogd',
  'curl',
  'stdbuf',
  'timeout',
  'unshare',
  'mount',
  'useradd',
  'chpasswd',
  'userdel',
  'bash',
] as const;

function onPath(bin: string): boolean {
  const dirs = (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  return dirs.some((d) => {
    try {
      accessSync(path.join(d, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Throw one error naming every missing binary and the apt packages that provide them. */
export function requireTools(bins: readonly string[]): void {
  const missing = [...new Set(bins)].filter((b) => !onPath(b));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((b) => APT_PACKAGE[b] ?? b))];
  throw new Error(`the lab needs ${missing.join(', ')}: apt-get install -y ${pkgs.join(' ')}`);
}
