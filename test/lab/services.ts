import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Nginx, startNginx } from './services/nginx.js';
import { type Sshd, type SshdLogMode, startSshd } from './services/sshd.js';
import { startRsyslog, type Syslog } from './services/rsyslog.js';
import { createTestUser, type TestUser } from './services/test-user.js';
import type { Lab } from './topology.js';

/** Every log file the victim's services write: what an enforcer (Leuko, fail2ban) tails. */
export interface LabPaths {
  readonly logDir: string;
  /** sshd + PAM lines: rsyslog's auth.log (RFC 3339 stamps) or, in `file` mode, sshd -E output. */
  readonly authLog: string;
  readonly sshdLogMode: SshdLogMode;
  readonly syslog: string | undefined;
  readonly nginxAccessLog: string;
  readonly nginxErrorLog: string;
}

export interface LabServices {
  readonly paths: LabPaths;
  readonly user: TestUser;
  readonly sshd: Sshd;
  readonly nginx: Nginx;
  readonly syslog: Syslog | undefined;
}

export interface StartServicesOptions {
  /** Default `syslog`: sshd -> /dev/log -> rsyslog -> auth.log, like a real host. */
  readonly sshdLogMode?: SshdLogMode;
}

/**
 * Start rsyslog, sshd and nginx inside the victim namespace and create the test user. They
 * are all children of the lab, so `lab.destroy()` stops them; the user is registered with it.
 */
export async function startServices(lab: Lab, opts: StartServicesOptions = {}): Promise<LabServices> {
  const logDir = path.join(lab.dir, 'log');
  mkdirSync(logDir, { recursive: true, mode: 0o755 });
  const sshdLogMode = opts.sshdLogMode ?? 'syslog';
  const syslog = sshdLogMode === 'syslog' ? await startRsyslog(lab, logDir) : undefined;
  const user = await createTestUser(lab);
  const authLog = syslog ? syslog.authLog : path.join(logDir, 'sshd.log');
  const sshd = await startSshd(lab, {
    logMode: sshdLogMode,
    log: authLog,
    authorizedKeysPattern: user.authorizedKeysPattern,
    ...(syslog ? { syslogSocket: syslog.socket } : {}),
  });
  const nginx = await startNginx(lab, logDir);
  return {
    paths: {
      logDir,
      authLog,
      sshdLogMode,
      syslog: syslog?.syslog,
      nginxAccessLog: nginx.accessLog,
      nginxErrorLog: nginx.errorLog,
    },
    user,
    sshd,
    nginx,
    syslog,
  };
}
