import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BanTrigger, Enforcer } from '../enforcer.js';
import { victimSetsHolding } from '../nft-sets.js';
import { run, waitUntil } from '../proc.js';
import type { LabPaths } from '../services.js';
import type { Lab } from '../topology.js';

/** fail2ban's nftables actions keep every jail's set in this table (action.d/nftables.conf). */
export const F2B_TABLE = { family: 'inet', table: 'f2b-table' } as const;

export interface Fail2banOptions {
  /** Stock defaults: 5 failures within 10 minutes. */
  readonly maxretry?: number;
  readonly findtime?: string;
  readonly bantime?: string;
}

/** The jail.local the lab uses: stock filters and the stock nftables actions on the lab logs. */
export function fail2banJailLocal(paths: LabPaths, o: Fail2banOptions = {}): string {
  return `[DEFAULT]
banaction = nftables-multiport
banaction_allports = nftables-allports
# auto picks pyinotify (apt: python3-pyinotify) when installed: lines are read as they are
# written instead of on a 1 s polling tick, the fairest baseline.
backend = auto
bantime = ${o.bantime ?? '10m'}
findtime = ${o.findtime ?? '10m'}
maxretry = ${o.maxretry ?? 5}
ignoreip = 127.0.0.1/8 ::1

[sshd]
enabled = true
port = ssh
mode = normal
logpath = ${paths.authLog}

[nginx-http-auth]
enabled = true
port = http,https
logpath = ${paths.nginxErrorLog}

[nginx-botsearch]
enabled = true
port = http,https
logpath = ${paths.nginxAccessLog}
`;
}

/**
 * fail2ban from apt as the baseline: fail2ban-server in the foreground inside the victim
 * namespace, with a private copy of /etc/fail2ban (minus the distribution's jail.d, which
 * would switch sshd to the systemd backend) and its socket, pid file and database in the lab
 * dir. Its nft actions therefore change only the victim namespace's ruleset.
 */
export function createFail2banEnforcer(opts: Fail2banOptions = {}): Enforcer {
  let lab: Lab | undefined;
  let dir = '';
  let sock = '';
  const self: Enforcer & { logFile: string } = {
    name: 'fail2ban',
    tools: ['fail2ban-server', 'fail2ban-client'],
    logFile: '',
    async start(l, paths) {
      lab = l;
      dir = path.join(l.dir, 'fail2ban');
      const conf = path.join(dir, 'etc');
      mkdirSync(dir, { recursive: true });
      cpSync('/etc/fail2ban', conf, { recursive: true });
      rmSync(path.join(conf, 'jail.d'), { recursive: true, force: true });
      mkdirSync(path.join(conf, 'jail.d'));
      sock = path.join(dir, 'fail2ban.sock');
      self.logFile = path.join(dir, 'fail2ban.log');
      writeFileSync(
        path.join(conf, 'fail2ban.local'),
        `[Definition]
loglevel = INFO
logtarget = ${self.logFile}
socket = ${sock}
pidfile = ${path.join(dir, 'fail2ban.pid')}
dbfile = ${path.join(dir, 'fail2ban.sqlite3')}
`,
      );
      writeFileSync(path.join(conf, 'jail.local'), fail2banJailLocal(paths, opts));
      const child = l.spawn('victim', [
        'fail2ban-server',
        '-f',
        '-x',
        '-c',
        conf,
        '-s',
        sock,
        '-p',
        path.join(dir, 'fail2ban.pid'),
      ]);
      let exited = '';
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      child.once('exit', (code) => {
        exited = `fail2ban-server exited with ${code}: ${stderr.trim()}`;
      });
      // Ready when every jail reports in (the server reads its config and starts the jails).
      await waitUntil(
        'fail2ban jails',
        async () => {
          if (exited) throw new Error(exited);
          if (!existsSync(sock)) return undefined;
          const r = await run(['fail2ban-client', '-s', sock, 'status'], { timeoutMs: 5000 });
          return /Number of jail:\s+3/.test(r.stdout) || undefined;
        },
        30_000,
        200,
      );
    },
    async stop() {
      if (!lab || !sock) return;
      await run(['fail2ban-client', '-s', sock, 'stop'], { timeoutMs: 10_000 });
      sock = '';
    },
    async isBanned(addr) {
      if (!lab) return false;
      return (await victimSetsHolding(lab, addr, F2B_TABLE)).length > 0;
    },
    async trigger(addr, since) {
      return fail2banTrigger(readFail2banLog(self), addr, since, opts.maxretry ?? 5);
    },
  };
  return self;
}

/** fail2ban's own log, for reports. */
export function readFail2banLog(e: Enforcer): string {
  return e.logFile && existsSync(e.logFile) ? readFileSync(e.logFile, 'utf8') : '';
}

const F2B_LINE = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) \S+\s+\[\d+\]:\s+\w+\s+\[([^\]]+)\] (Found|Ban) (\S+)/;

/**
 * fail2ban's own account of a ban, from its log: the jail that banned `addr` first after
 * `since`, and when it logged the failure that reached maxretry (its "Found" lines carry the
 * server's wall-clock time in ms, local time, which is the lab's clock on the same host).
 * fail2ban never says which log line that was; the lab takes the attacker's last line before.
 */
export function fail2banTrigger(log: string, addr: string, since: number, maxretry: number): BanTrigger | undefined {
  const found = new Map<string, number[]>();
  for (const line of log.split('\n')) {
    const m = F2B_LINE.exec(line);
    if (!m || m[6] !== addr) continue;
    const at = new Date(`${m[1]}T${m[2]}.${m[3]}`).getTime();
    // The log has ms resolution: a line from the same ms as `since` still counts.
    if (at < since - 1) continue;
    const jail = m[4]!;
    if (m[5] === 'Found') {
      const list = found.get(jail) ?? [];
      list.push(at);
      found.set(jail, list);
    } else {
      const list = found.get(jail) ?? [];
      const detectedAt = list[Math.min(maxretry, list.length) - 1] ?? at;
      return { detectedAt, rule: `${jail} jail` };
    }
  }
  return undefined;
}
