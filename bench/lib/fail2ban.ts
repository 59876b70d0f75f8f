import { measure } from './measure.js';

/** One fail2ban jail: its filter and the thresholds the jail applies to the filter's matches. */
export interface JailSpec {
  readonly filter: string;
  readonly maxretry: number;
  /** Seconds. */
  readonly findtime: number;
  /** Seconds. */
  readonly bantime: number;
}

/** Debian's jail.conf defaults: maxretry 5, findtime 10m, bantime 10m. */
export const SSHD_JAILS: readonly JailSpec[] = [{ filter: 'sshd', maxretry: 5, findtime: 600, bantime: 600 }];

/**
 * The fail2ban filters that read an nginx access log. fail2ban has no SQL injection, XSS,
 * traversal, Log4Shell or command injection filter; `nginx-botsearch` bans 404s on webmail,
 * phpMyAdmin and WordPress admin paths, `apache-badbots` e-mail harvester user agents (jail:
 * maxretry 1, bantime 48h), `nginx-bad-request` requests nginx answered with 400.
 */
export const NGINX_JAILS: readonly JailSpec[] = [
  { filter: 'nginx-botsearch', maxretry: 5, findtime: 600, bantime: 600 },
  { filter: 'apache-badbots', maxretry: 1, findtime: 600, bantime: 172_800 },
  { filter: 'nginx-bad-request', maxretry: 5, findtime: 600, bantime: 600 },
];

export interface Failure {
  readonly ip: string;
  /** Epoch seconds. */
  readonly time: number;
}

export interface Ban {
  readonly ip: string;
  readonly time: number;
}

/** A `-o row` line: `['203.0.113.9',\t1770905421.0,\t{...}],` */
const ROW = /^\['([^']+)',\s*(\d+(?:\.\d+)?),/;

export function parseRow(line: string): Failure | undefined {
  const m = ROW.exec(line);
  return m ? { ip: m[1] as string, time: Number(m[2]) } : undefined;
}

/**
 * What a fail2ban 1.0 jail would ban given the filter's failures in log order: FailManager
 * keeps a retry count per address, scaled down by rate when the failures span more than
 * findtime (FailTicket.adjustTime), forgets an address idle for findtime, bans at maxretry,
 * and ignores an address while its ban lasts (its traffic is blocked then).
 */
export function simulateJail(failures: Iterable<Failure>, jail: JailSpec): Ban[] {
  const tickets = new Map<string, { first: number; last: number; retry: number }>();
  const bannedUntil = new Map<string, number>();
  const bans: Ban[] = [];
  for (const f of failures) {
    const until = bannedUntil.get(f.ip);
    if (until !== undefined && f.time < until) continue;
    let t = tickets.get(f.ip);
    if (t !== undefined && t.last <= f.time - jail.findtime) t = undefined;
    if (t === undefined) {
      t = { first: f.time, last: f.time, retry: 1 };
      tickets.set(f.ip, t);
    } else {
      if (f.time > t.last) {
        if (t.first < f.time - jail.findtime) {
          t.retry = Math.round((t.retry / (f.time - t.first)) * jail.findtime);
          t.first = f.time - jail.findtime;
        }
        t.last = f.time;
      }
      t.retry += 1;
    }
    if (t.retry >= jail.maxretry) {
      tickets.delete(f.ip);
      bannedUntil.set(f.ip, f.time + jail.bantime);
      bans.push({ ip: f.ip, time: f.time });
    }
  }
  return bans;
}

export interface Fail2banRun {
  readonly jail: JailSpec;
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly peakRssMb: number;
  readonly failures: number;
  readonly bans: readonly Ban[];
}

/** Run `fail2ban-regex -o row FILE FILTER`, time it, and apply the jail to its rows. */
export async function runFail2ban(binary: string, file: string, jail: JailSpec): Promise<Fail2banRun> {
  const failures: Failure[] = [];
  const m = await measure(binary, ['-o', 'row', file, jail.filter], {
    // Syslog lines carry no zone; the generator writes UTC.
    env: { ...process.env, TZ: 'UTC' },
    onLine: (line) => {
      const f = parseRow(line);
      if (f) failures.push(f);
    },
  });
  if (m.exitCode !== 0) {
    throw new Error(`fail2ban-regex ${jail.filter} exited with ${m.exitCode}: ${m.stderrTail.slice(-2000)}`);
  }
  return {
    jail,
    seconds: m.seconds,
    cpuSeconds: m.cpuSeconds,
    peakRssMb: m.peakRssMb,
    failures: failures.length,
    bans: simulateJail(failures, jail),
  };
}

export interface Fail2banSpeed {
  readonly filter: string;
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly peakRssMb: number;
}

/**
 * Time `fail2ban-regex FILE FILTER` exactly as a user types it (default output: it keeps the
 * matched lines for its summary, which is what makes its memory grow). Bans cannot be read
 * from this output, so the ban scores come from the `-o row` run of the same file.
 */
export async function timeFail2banDefault(binary: string, file: string, filter: string): Promise<Fail2banSpeed> {
  const m = await measure(binary, [file, filter], { env: { ...process.env, TZ: 'UTC' }, onLine: () => undefined });
  if (m.exitCode !== 0)
    throw new Error(`fail2ban-regex ${filter} exited with ${m.exitCode}: ${m.stderrTail.slice(-2000)}`);
  return { filter, seconds: m.seconds, cpuSeconds: m.cpuSeconds, peakRssMb: m.peakRssMb };
}
