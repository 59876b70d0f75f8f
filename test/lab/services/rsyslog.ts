import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../proc.js';
import type { Lab } from '../topology.js';

export interface Syslog {
  /** The unix datagram socket daemons log to (sshd sees it as /dev/log). */
  readonly socket: string;
  /** auth,authpriv.* as on Debian: sshd and PAM lines. */
  readonly authLog: string;
  /** Everything else. */
  readonly syslog: string;
}

/**
 * rsyslogd from apt with its own config, listening on a socket in the lab dir (never the
 * host's /dev/log). Debian 12's default file template, RSYSLOG_FileFormat, so lines look
 * exactly like a bookworm /var/log/auth.log:
 * `2026-05-14T10:00:00.123456+00:00 victim sshd[123]: Failed password for root from ...`.
 * The timestamp is taken on reception (imuxsock's default), with microseconds.
 */
export async function startRsyslog(lab: Lab, logDir: string): Promise<Syslog> {
  const dir = path.join(lab.dir, 'rsyslog');
  mkdirSync(dir, { recursive: true });
  mkdirSync(logDir, { recursive: true, mode: 0o755 });
  const socket = path.join(dir, 'log.sock');
  const authLog = path.join(logDir, 'auth.log');
  const syslog = path.join(logDir, 'syslog');
  const conf = path.join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}" localHostName="victim")`,
      'module(load="builtin:omfile" template="RSYSLOG_FileFormat")',
      'module(load="imuxsock" SysSock.Use="off")',
      // Rate limiting off: a brute force must not be summarised away as "messages lost".
      `input(type="imuxsock" Socket="${socket}" CreatePath="on" RateLimit.Interval="0")`,
      `auth,authpriv.* action(type="omfile" file="${authLog}")`,
      `*.*;auth,authpriv.none action(type="omfile" file="${syslog}")`,
      '',
    ].join('\n'),
  );
  writeFileSync(authLog, '', { mode: 0o640 });
  writeFileSync(syslog, '', { mode: 0o640 });
  const child = lab.spawn('victim', ['rsyslogd', '-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid')]);
  let exited = '';
  child.once('exit', (code) => {
    exited = `rsyslogd exited with ${code}`;
  });
  await waitUntil(
    'rsyslog socket',
    () => (exited ? Promise.reject(new Error(exited)) : existsSync(socket) || undefined),
    10_000,
  );
  return { socket, authLog, syslog };
}
