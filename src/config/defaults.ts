import { LeukoError } from '../core/errors.js';
import { isGlob } from '../platform/glob.js';
import { LOOPBACK_ALLOWLIST } from './policy.js';
import { deepFreeze, resolveConfig } from './resolve.js';
import { configSchema } from './schema.js';
import { BUILTIN_FORMATS } from './sources.js';
import type { HostProbe, LeukoConfig } from './types.js';

/** Logs that mean "this host runs that service", in the order they are read. */
export const DEFAULT_LOG_FILES: readonly { readonly path: string; readonly format: string; readonly auth?: true }[] = [
  { path: '/var/log/auth.log', format: 'sshd', auth: true },
  { path: '/var/log/secure', format: 'sshd', auth: true },
  { path: '/var/log/nginx/access.log', format: 'nginx' },
  { path: '/var/log/nginx/error.log', format: 'nginx-error' },
  { path: '/var/log/apache2/access.log', format: 'apache' },
  { path: '/var/log/httpd/access_log', format: 'apache' },
  { path: '/var/log/apache2/error.log', format: 'apache-error' },
  // Mail (Postfix, Dovecot) logs through syslog: the syslog format dispatches each program.
  { path: '/var/log/mail.log', format: 'syslog' },
  { path: '/var/log/maillog', format: 'syslog' },
  // Debian's default MTA, Exim, writes its own mainlog instead (not syslog, so no line twice).
  { path: '/var/log/exim4/mainlog', format: 'exim' },
  { path: '/var/log/mysql/error.log', format: 'mysqld' },
  { path: '/var/log/mariadb/mariadb.log', format: 'mysqld' },
  { path: '/var/log/mysqld.log', format: 'mysqld' },
  // FTP servers' own logs (their syslog records land in auth.log or syslog): ProFTPD's
  // SystemLog and vsftpd's log file. Pure-FTPd logs only through syslog.
  { path: '/var/log/proftpd/proftpd.log', format: 'proftpd' },
  { path: '/var/log/vsftpd.log', format: 'vsftpd' },
  // Roundcube webmail's own log (Debian's roundcube package), failed logins included.
  { path: '/var/log/roundcube/errors.log', format: 'auto' },
  // Asterisk's own logs (SIP, IAX2 and AMI refusals; `security` when its security log is on).
  { path: '/var/log/asterisk/messages', format: 'auto' },
  { path: '/var/log/asterisk/security', format: 'auto' },
  // lighttpd's error log (basic-auth failures) and Monit's own log (its web UI's logins).
  { path: '/var/log/lighttpd/error.log', format: 'auto' },
  // LiteSpeed's logs where OpenLiteSpeed and LSWS install them: the error log (realm and
  // WebAdmin console login failures) and the server's access log (combined format).
  { path: '/usr/local/lsws/logs/error.log', format: 'auto' },
  { path: '/usr/local/lsws/logs/access.log', format: 'auto' },
  { path: '/var/log/monit.log', format: 'auto' },
  // MongoDB's own log (JSON from 4.4, text before): failed logins.
  { path: '/var/log/mongodb/mongod.log', format: 'auto' },
  // Self-hosted web applications' own logs: GitLab (omnibus) and Grafana (failed logins).
  { path: '/var/log/gitlab/gitlab-rails/application.log', format: 'auto' },
  { path: '/var/log/grafana/grafana.log', format: 'auto' },
  // Nextcloud's own log where the Debian/Ubuntu guides and the snap put it.
  { path: '/var/www/nextcloud/data/nextcloud.log', format: 'auto' },
  { path: '/var/snap/nextcloud/current/logs/nextcloud.log', format: 'auto' },
  // Home Assistant's log (Core in a venv as the docs install it) and Keycloak's file log
  // (Quarkus distribution, file handler on): refused logins.
  { path: '/home/homeassistant/.homeassistant/home-assistant.log', format: 'auto' },
  { path: '/opt/keycloak/data/log/keycloak.log', format: 'auto' },
  // Proxmox Backup Server's API logins (Proxmox VE's go to syslog and the journal).
  { path: '/var/log/proxmox-backup/api/auth.log', format: 'auto' },
  // fail2ban's own log, where it still runs beside Leuko: its bans feed leuko/fail2ban-recidive.
  { path: '/var/log/fail2ban.log', format: 'auto' },
  // Squid's access log: the requests it refuses (open-proxy hunting, leuko/proxy-abuse).
  { path: '/var/log/squid/access.log', format: 'auto' },
  // PortSentry's record of the scanners it blocked.
  { path: '/var/lib/portsentry/portsentry.history', format: 'auto' },
  // Kernel firewall records (iptables LOG, nftables log, UFW) for port-scan detection; UFW
  // also copies its lines to /var/log/ufw.log, so that file is not followed as well.
  { path: '/var/log/kern.log', format: 'syslog' },
  // Everything else a syslog daemon writes: the services that log through syslog to no file of
  // their own (slapd, xinetd, Webmin, Proxmox, named, NSD...). Debian's and Ubuntu's rsyslog put
  // every facility but auth in /var/log/syslog, mail and kern included: the pipeline skips a
  // line another followed file already gave (pipeline/cross-source-dedup.ts), so mail.log's and
  // kern.log's records count once. Red Hat's /var/log/messages leaves mail and authpriv out.
  { path: '/var/log/syslog', format: 'syslog' },
  { path: '/var/log/messages', format: 'syslog' },
  // Containers' logs, read as their applications wrote them (a web server in a container is a
  // web server): a Kubernetes node's CRI logs, and Docker's json-file logs. Followed when the
  // runtime's directory exists; `leuko run` picks up new containers' files as they appear.
  { path: '/var/log/containers/*.log', format: 'auto' },
  { path: '/var/lib/docker/containers/*/*-json.log', format: 'auto' },
];

/** The directory a pattern's files live under (before its first part with glob characters). */
function patternRoot(pattern: string): string {
  const parts = pattern.split('/');
  const first = parts.findIndex((p) => isGlob(p));
  return first < 0 ? pattern : parts.slice(0, first).join('/') || '/';
}

/**
 * "Protect this host" without a config file: follow whichever of the usual logs exist, in
 * observe mode (nothing is blocked until someone opts in), loopback allowlisted. On hosts
 * that keep auth events only in the journal (no auth.log/secure), read journald instead; with
 * neither, wait for /var/log/auth.log to appear.
 *
 * @example
 * const config = defaultConfig(createHostProbe());
 */
export function defaultConfig(host: HostProbe): LeukoConfig {
  const files = DEFAULT_LOG_FILES.filter((f) => host.exists(isGlob(f.path) ? patternRoot(f.path) : f.path));
  const sources: Record<string, unknown>[] = files.map((f) => ({ type: 'file', path: f.path, format: f.format }));
  if (!files.some((f) => f.auth)) {
    // No auth log yet: read the journal when it has one; otherwise follow the Debian path
    // anyway, so protection starts the moment a syslog daemon creates it.
    if (host.journaldAvailable) sources.push({ type: 'journald' });
    else sources.push({ type: 'file', path: '/var/log/auth.log', format: 'sshd' });
  }
  const raw = { sources, policy: { mode: 'observe', allowlist: [...LOOPBACK_ALLOWLIST] } };
  // The defaults name parsers beyond BUILTIN_FORMATS (mysqld, exim, the FTP servers); defaults.test.ts checks that
  // each is registered, since config/ does not import the parser registry.
  const r = configSchema([...BUILTIN_FORMATS, ...DEFAULT_LOG_FILES.map((f) => f.format)]).safeParse(raw);
  if (!r.success) {
    throw new LeukoError('CONFIG_INVALID', 'built-in default config does not validate', { cause: r.error });
  }
  return deepFreeze(resolveConfig(r.data, '/'));
}
