import { createAsteriskHandler } from '../asterisk/handler.js';
import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { createCourierHandler } from '../courier/handler.js';
import { createCowrieHandler } from '../cowrie/handler.js';
import { createCyrusHandler } from '../cyrus/handler.js';
import { createDovecotHandler } from '../dovecot/handler.js';
import { fillDrupalWatchdog, isDrupalWatchdog } from '../drupal/watchdog.js';
import { createDropbearHandler } from '../dropbear/handler.js';
import { createProftpdHandler } from '../ftp/proftpd.js';
import { createPureFtpdHandler } from '../ftp/pure-ftpd.js';
import { createVsftpdHandler } from '../ftp/vsftpd.js';
import { createGssFtpdHandler, createWuFtpdHandler } from '../ftp/wu-ftpd.js';
import { createEndlesshHandler } from '../endlessh/handler.js';
import { createEximHandler } from '../exim/handler.js';
import { createFail2banLogHandler } from '../fail2ban-log/handler.js';
import { createFreeswitchHandler } from '../freeswitch/handler.js';
import { createHaproxyHandler } from '../haproxy/handler.js';
import { createLighttpdHandler } from '../lighttpd/error.js';
import { createMonitHandler } from '../monit/handler.js';
import { createMurmurHandler } from '../murmur/handler.js';
import { fillRouterOsLogin, isRouterOsLogin } from '../mikrotik/handler.js';
import { parseMysqlMessage } from '../mysqld/message.js';
import { createNamedHandler } from '../named/handler.js';
import { createNrpeHandler } from '../nrpe/handler.js';
import { createNsdHandler } from '../nsd/handler.js';
import { createNetfilterHandler, isPacketRecord } from '../netfilter/handler.js';
import { createPfFilterlogHandler } from '../netfilter/pf.js';
import { createOpenvpnHandler } from '../openvpn/handler.js';
import { createPamHandler } from '../pam/handler.js';
import { createPerditionHandler } from '../perdition/handler.js';
import { createPhpMyAdminHandler } from '../phpmyadmin/handler.js';
import { createPkexecHandler } from '../pkexec/handler.js';
import { createPortsentryHandler } from '../portsentry/handler.js';
import { createAmavisHandler } from '../amavis/handler.js';
import { createPostgresHandler } from '../postgresql/handler.js';
import { createPostfixHandler } from '../postfix/handler.js';
import { createProxmoxHandler } from '../proxmox/handler.js';
import { createQmailHandler } from '../qmail/handler.js';
import { createRoundcubeHandler } from '../roundcube/handler.js';
import { createSambaHandler } from '../samba/handler.js';
import { createScanlogdHandler } from '../scanlogd/handler.js';
import { createSendmailHandler } from '../sendmail/handler.js';
import { createSogoHandler } from '../sogo/handler.js';
import { createSlapdHandler } from '../slapd/handler.js';
import { createSolidPop3dHandler } from '../solid-pop3d/handler.js';
import type { Stream } from '../shared/stream.js';
import { createSshdHandler } from '../sshd/handler.js';
import { createStrongswanHandler } from '../strongswan/handler.js';
import { isContainerTag } from './container-tag.js';
import { createHarborCoreHandler } from '../webapps/harbor.js';
import { fillAppLoginMessage } from '../webapps/in-syslog.js';
import { createStunnelHandler } from '../stunnel/handler.js';
import { createSudoHandler } from '../sudo/handler.js';
import { createSuHandler } from '../su/handler.js';
import { createUwImapHandler, isUwImapRecord } from '../uwimap/handler.js';
import { createWebminHandler } from '../webmin/handler.js';
import { createXinetdHandler } from '../xinetd/handler.js';
import { createBitwardenHandler, createGrafanaHandler } from '../webapps/logins.js';
import { createNextcloudHandler } from '../webapps/nextcloud.js';
import { createGotifyHandler, createWingsHandler } from '../webapps/hosting.js';
import { createCouchdbHandler } from '../couchdb/log.js';
import {
  createScreenSharingHandler,
  createZncHandler,
  fillSoftEther,
  isSoftEtherRecord,
} from '../remote-access/handler.js';
import { createDashboardsHandler, createNtfyHandler } from '../webapps/json-logins.js';
import {
  createArrHandler,
  createFroxlorHandler,
  createHordeHandler,
  createLemonldapHandler,
  fillHorde,
  isHordeFileRecord,
  createMeshcentralHandler,
  createOpnsenseAuditHandler,
  createPhpFpmHandler,
} from '../webapps/syslog-logins.js';
import { parseAccess } from '../web/access.js';
import { fillAccess } from '../web/access-event.js';
import { fillApacheError } from '../web/apache-error.js';
import { fillNginxError, nginxErrorHead } from '../web/nginx-error.js';
import type { Envelope } from './envelope.js';
import type { ProgramHandler } from './handler.js';
import { type LastLine, repeatCount, repeatedLine } from './repeated.js';

/** Program families the syslog dispatcher knows. */
export type Family =
  | 'sshd'
  | 'dropbear'
  | 'endlessh'
  | 'sudo'
  | 'su'
  | 'pkexec'
  | 'samba'
  | 'roundcube'
  | 'asterisk'
  | 'freeswitch'
  | 'postfix'
  | 'exim'
  | 'sendmail'
  | 'dovecot'
  | 'courier'
  | 'cyrus'
  | 'mysqld'
  | 'postgresql'
  | 'named'
  | 'apache'
  | 'nginx'
  | 'haproxy'
  | 'lighttpd'
  | 'monit'
  | 'webmin'
  | 'slapd'
  | 'xinetd'
  | 'nrpe'
  | 'scanlogd'
  | 'portsentry'
  | 'amavis'
  | 'nsd'
  | 'uwimap'
  | 'solid-pop3d'
  | 'perdition'
  | 'qmail'
  | 'stunnel'
  | 'murmur'
  | 'phpmyadmin'
  | 'wu-ftpd'
  | 'ftpd'
  | 'grafana'
  | 'bitwarden'
  | 'nextcloud'
  | 'fail2ban'
  | 'sogo'
  | 'php-fpm'
  | 'opnsense-audit'
  | 'lemonldap'
  | 'arr'
  | 'gotify'
  | 'wings'
  | 'couchdb'
  | 'froxlor'
  | 'horde'
  | 'screensharingd'
  | 'znc'
  | 'meshcentral'
  | 'dashboards'
  | 'ntfy'
  | 'strongswan'
  | 'openvpn'
  | 'harbor-core'
  | 'cowrie'
  | 'proxmox'
  | 'pam'
  | 'proftpd'
  | 'vsftpd'
  | 'pure-ftpd'
  | 'kernel'
  | 'filterlog';

const EXACT: Record<string, Family> = {
  sshd: 'sshd',
  'sshd-session': 'sshd',
  'sshd-auth': 'sshd',
  dropbear: 'dropbear',
  endlessh: 'endlessh',
  sudo: 'sudo',
  su: 'su',
  pkexec: 'pkexec',
  // Samba's daemons as syslog names them (`smb` on distributions that name the unit so).
  smbd: 'samba',
  smb: 'samba',
  samba: 'samba',
  roundcube: 'roundcube',
  asterisk: 'asterisk',
  freeswitch: 'freeswitch',
  // Debian's exim4 package logs to its own files; with syslog it names itself exim or exim4.
  exim: 'exim',
  exim4: 'exim',
  // sendmail logs as sm-mta (Debian), sendmail (Fedora/RHEL), or its listener's process title.
  'sm-mta': 'sendmail',
  sendmail: 'sendmail',
  'sm-acceptingconnections': 'sendmail',
  dovecot: 'dovecot',
  'dovecot-auth': 'dovecot',
  auth: 'dovecot',
  'auth-worker': 'dovecot',
  imap: 'dovecot',
  pop3: 'dovecot',
  lmtp: 'dovecot',
  submission: 'dovecot',
  managesieve: 'dovecot',
  // IMAP/POP3 names other servers use too (Cyrus, Courier): their records are told apart by
  // their first words (see mailFamily).
  imapd: 'dovecot',
  pop3d: 'dovecot',
  imaps: 'dovecot',
  pop3s: 'dovecot',
  'imapd-ssl': 'dovecot',
  'pop3d-ssl': 'dovecot',
  cyrus: 'cyrus',
  courierpop3login: 'courier',
  courierimaplogin: 'courier',
  courieresmtpd: 'courier',
  courieresmtp: 'courier',
  mysqld: 'mysqld',
  // The server's lines also come tagged with the service's name, `mysql` (systemd units, packages).
  mysql: 'mysqld',
  mariadbd: 'mysqld',
  mysqld_safe: 'mysqld',
  mariadb: 'mysqld',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  postmaster: 'postgresql',
  named: 'named',
  httpd: 'apache',
  apache2: 'apache',
  apache: 'apache',
  nginx: 'nginx',
  haproxy: 'haproxy',
  lighttpd: 'lighttpd',
  monit: 'monit',
  webmin: 'webmin',
  usermin: 'webmin',
  slapd: 'slapd',
  xinetd: 'xinetd',
  nrpe: 'nrpe',
  scanlogd: 'scanlogd',
  portsentry: 'portsentry',
  // amavisd-new, the content filter beside Postfix (its verdicts on blocked mail).
  amavis: 'amavis',
  amavisd: 'amavis',
  nsd: 'nsd',
  // UW IMAP's POP3 server; its imapd shares Dovecot's program name (see otherMailServer).
  ipop3d: 'uwimap',
  'solid-pop3d': 'solid-pop3d',
  // qmail's records through splogger (`qmail:`), and rblsmtpd's own.
  qmail: 'qmail',
  rblsmtpd: 'qmail',
  'qmail-smtpd': 'qmail',
  stunnel: 'stunnel',
  stunnel4: 'stunnel',
  murmurd: 'murmur',
  'mumble-server': 'murmur',
  phpMyAdmin: 'phpmyadmin',
  'wu-ftpd': 'wu-ftpd',
  wuftpd: 'wu-ftpd',
  // MIT Kerberos' gssftpd logs as ftpd; only its lock-out record is read.
  ftpd: 'ftpd',
  // Cyrus's sieve daemon writes Cyrus's badlogin records.
  timsieved: 'cyrus',
  sieve: 'cyrus',
  grafana: 'grafana',
  'grafana-server': 'grafana',
  bitwarden: 'bitwarden',
  'Bitwarden-Identity': 'bitwarden',
  // Nextcloud's and ownCloud's syslog tag (its `syslog_tag`, by default); the message is its JSON record.
  Nextcloud: 'nextcloud',
  nextcloud: 'nextcloud',
  ownCloud: 'nextcloud',
  owncloud: 'nextcloud',
  // fail2ban's own records: its bans, another sensor's verdicts.
  'fail2ban-server': 'fail2ban',
  'fail2ban.actions': 'fail2ban',
  // SOGo groupware's server, in its own sogo.log (`sogod [PID]:`) or syslog.
  sogod: 'sogo',
  // Web consoles and portals (webapps/syslog-logins.ts): pfSense's PHP, OPNsense's audit log,
  // LemonLDAP::NG, and Sonarr/Radarr & co. (under mono, or their own names).
  'php-fpm': 'php-fpm',
  audit: 'opnsense-audit',
  LLNG: 'lemonldap',
  'lemonldap-ng': 'lemonldap',
  mono: 'arr',
  Sonarr: 'arr',
  Radarr: 'arr',
  Lidarr: 'arr',
  Readarr: 'arr',
  Prowlarr: 'arr',
  // Gotify's GIN request log, Pterodactyl Wings and CouchDB under systemd (webapps/hosting.ts, couchdb/log.ts).
  gotify: 'gotify',
  wings: 'wings',
  couchdb: 'couchdb',
  Froxlor: 'froxlor',
  froxlor: 'froxlor',
  HORDE: 'horde',
  horde: 'horde',
  // macOS screen sharing (VNC); ZNC, the IRC bouncer.
  screensharingd: 'screensharingd',
  znc: 'znc',
  // MeshCentral's auth log names its server (`https`) as the program; MeshCentralAuth through syslog.
  https: 'meshcentral',
  MeshCentralAuth: 'meshcentral',
  // OpenSearch Dashboards and Kibana (JSON records), ntfy (`log-format: json`).
  'opensearch-dashboards': 'dashboards',
  kibana: 'dashboards',
  ntfy: 'ntfy',
  // strongSwan's IKE daemon.
  charon: 'strongswan',
  'charon-systemd': 'strongswan',
  // OpenVPN (its `ovpn-NAME` tags below).
  openvpn: 'openvpn',
  // Harbor's core service through Harbor's log collector (only its refused logins are read).
  core: 'harbor-core',
  // The Cowrie honeypot.
  cowrie: 'cowrie',
  // Proxmox VE's and Mail Gateway's API daemons, Proxmox Backup Server's proxy and API.
  pvedaemon: 'proxmox',
  pveproxy: 'proxmox',
  pmgdaemon: 'proxmox',
  pmgproxy: 'proxmox',
  'proxmox-backup-proxy': 'proxmox',
  'proxmox-backup-api': 'proxmox',
  proftpd: 'proftpd',
  vsftpd: 'vsftpd',
  'pure-ftpd': 'pure-ftpd',
  // The kernel's own lines: firewall packet records (iptables LOG, nftables log, UFW).
  kernel: 'kernel',
  // pfSense's and OPNsense's packet log.
  filterlog: 'filterlog',
};

/**
 * A record of BIND's own log file written with `print-time` in syslog style and `print-category`
 * / `print-severity`: no host, the category where syslog puts the program (`security:`,
 * `update-security:`), then the severity and a client record.
 */
const BIND_CHANNEL = /^(?:critical|error|warning|notice|info|debug(?: \d+)?|dynamic): client /;
function isBindChannelRecord(env: Envelope): boolean {
  return env.host === undefined && env.pid === undefined && env.program !== undefined && BIND_CHANNEL.test(env.msg);
}

/** Cyrus's, Courier's and UW IMAP's login records, by their first words (Dovecot writes none of them). */
function otherMailServer(msg: string): Family | undefined {
  const c = msg.charCodeAt(0);
  if (c === 98 && msg.startsWith('badlogin: ')) return 'cyrus';
  if (c === 76 && msg.startsWith('LOGIN FAILED, ')) return 'courier';
  if (isUwImapRecord(msg)) return 'uwimap';
  return undefined;
}

/** `postfix/smtpd` -> postfix, `auth-worker(123)` -> dovecot, `imap-login` -> dovecot. */
export function familyOf(program: string): Family | undefined {
  let end = program.length;
  for (let i = 0; i < program.length; i++) {
    const c = program.charCodeAt(i);
    if (c === 47 || c === 40) {
      end = i;
      break;
    }
  }
  const base = end === program.length ? program : program.slice(0, end);
  const hit = EXACT[base];
  if (hit !== undefined) return hit;
  if (base.startsWith('postfix')) return 'postfix';
  if (base.endsWith('-login')) return 'dovecot';
  // perdition names itself after the protocol it proxies: perdition.imaps, perdition.pop3...
  if (base.startsWith('perdition')) return 'perdition';
  // Debian's and Ubuntu's openvpn@NAME units tag each instance `ovpn-NAME`.
  if (base.startsWith('ovpn-')) return 'openvpn';
  return undefined;
}

function mysqldHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'mysqld';
    parseMysqlMessage(env.msg, ev);
    return true;
  };
}

function apacheHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'apache.error';
    fillApacheError(ev, env.msg, 0);
    return true;
  };
}

function nginxHandler(stream: Stream): ProgramHandler {
  return (env, ev) => {
    const head = nginxErrorHead(env.msg, 0, stream.local);
    if (head !== null) {
      ev['event.dataset'] = 'nginx.error';
      return fillNginxError(ev, env.msg, head);
    }
    const a = parseAccess(env.msg);
    if (a !== null) {
      ev['event.dataset'] = 'nginx.access';
      fillAccess(ev, a);
    }
    return true;
  };
}

const FACTORIES: Record<Family, (stream: Stream) => ProgramHandler> = {
  sshd: createSshdHandler,
  dropbear: createDropbearHandler,
  endlessh: createEndlesshHandler,
  sudo: createSudoHandler,
  su: createSuHandler,
  pkexec: createPkexecHandler,
  samba: createSambaHandler,
  roundcube: createRoundcubeHandler,
  asterisk: createAsteriskHandler,
  freeswitch: createFreeswitchHandler,
  postfix: createPostfixHandler,
  exim: createEximHandler,
  sendmail: createSendmailHandler,
  dovecot: createDovecotHandler,
  courier: createCourierHandler,
  cyrus: createCyrusHandler,
  mysqld: mysqldHandler,
  postgresql: createPostgresHandler,
  named: createNamedHandler,
  apache: apacheHandler,
  nginx: nginxHandler,
  haproxy: createHaproxyHandler,
  lighttpd: createLighttpdHandler,
  monit: createMonitHandler,
  webmin: createWebminHandler,
  slapd: createSlapdHandler,
  xinetd: createXinetdHandler,
  nrpe: createNrpeHandler,
  scanlogd: createScanlogdHandler,
  portsentry: createPortsentryHandler,
  amavis: createAmavisHandler,
  nsd: createNsdHandler,
  uwimap: createUwImapHandler,
  'solid-pop3d': createSolidPop3dHandler,
  perdition: createPerditionHandler,
  qmail: createQmailHandler,
  stunnel: createStunnelHandler,
  murmur: createMurmurHandler,
  phpmyadmin: createPhpMyAdminHandler,
  'wu-ftpd': createWuFtpdHandler,
  ftpd: createGssFtpdHandler,
  grafana: createGrafanaHandler,
  bitwarden: createBitwardenHandler,
  nextcloud: createNextcloudHandler,
  fail2ban: createFail2banLogHandler,
  sogo: createSogoHandler,
  'php-fpm': createPhpFpmHandler,
  'opnsense-audit': createOpnsenseAuditHandler,
  lemonldap: createLemonldapHandler,
  arr: createArrHandler,
  gotify: createGotifyHandler,
  wings: createWingsHandler,
  couchdb: createCouchdbHandler,
  froxlor: createFroxlorHandler,
  horde: createHordeHandler,
  screensharingd: createScreenSharingHandler,
  znc: createZncHandler,
  meshcentral: createMeshcentralHandler,
  dashboards: createDashboardsHandler,
  ntfy: createNtfyHandler,
  strongswan: createStrongswanHandler,
  openvpn: createOpenvpnHandler,
  'harbor-core': createHarborCoreHandler,
  cowrie: createCowrieHandler,
  proxmox: createProxmoxHandler,
  pam: createPamHandler,
  proftpd: createProftpdHandler,
  vsftpd: createVsftpdHandler,
  'pure-ftpd': createPureFtpdHandler,
  kernel: createNetfilterHandler,
  filterlog: createPfFilterlogHandler,
};

const RECENT = 6;
/** The snapshot key of the stream's last line (see repeated.ts); no family is named so. */
const LAST_LINE_KEY = '@last';

export interface SyslogDispatcher {
  /** Event for an enveloped line; `family` forces the handler (bare messages of a format). */
  handle(line: string, env: Envelope, family?: Family): ParsedLine | null;
  /** What the stream's handlers remember (sshd connections...) by family; undefined when nothing. */
  snapshot(): Record<string, unknown> | undefined;
  /** Take back a `snapshot`: each family's part goes to a fresh handler of that family. */
  restore(state: unknown): void;
}

/**
 * Program names of web servers the dispatcher has no family for (`openresty`, `caddy`,
 * `ingress-nginx`, `angie`...).
 */
const WEB_SERVER_NAME = /nginx|apache|httpd|caddy|traefik|openresty|angie|tengine|ingress|lighttpd|litespeed|lsws/i;

/**
 * A web server's access line under a container's tag or another web server's name. The line's
 * own structure (the client first, then the bracketed time and the quoted request) decides, as
 * for an access log file. Only those names: any other program may log a client's text at the
 * start of its message, and that text must not pass for a request from an address it names.
 * False when the message is not read as an access line (the event stays a plain syslog one).
 */
function fillTaggedAccess(program: string | undefined, msg: string, ev: EcsEvent): boolean {
  if (program === undefined || msg.indexOf('] "') < 0) return false;
  if (!isContainerTag(program) && !WEB_SERVER_NAME.test(program)) return false;
  const a = parseAccess(msg);
  if (a === null) return false;
  ev['event.dataset'] = 'nginx.access';
  fillAccess(ev, a);
  return true;
}

/**
 * One stream's program dispatch: each family's handler is created on first use and keeps
 * its state (sshd connections) for the stream. Lines of programs without a handler become
 * `syslog` events, or `pam` events when they are PAM authentication failures.
 */
export function createSyslogDispatcher(stream: Stream): SyslogDispatcher {
  const handlers = new Map<Family, ProgramHandler>();
  const handlerFor = (f: Family): ProgramHandler => {
    let h = handlers.get(f);
    if (h === undefined) {
      h = FACTORIES[f](stream);
      handlers.set(f, h);
    }
    return h;
  };
  // A log file names the same few programs on most lines: remember the handlers of the last
  // RECENT ones (a short scan of equal strings beats a hash look-up of a fresh one).
  const recentPrograms: string[] = [];
  const recentHandlers: (ProgramHandler | undefined)[] = [];
  const handlerOfProgram = (program: string): ProgramHandler | undefined => {
    for (let k = 0; k < recentPrograms.length; k++) if (recentPrograms[k] === program) return recentHandlers[k];
    const fam = familyOf(program);
    const h = fam === undefined ? undefined : handlerFor(fam);
    if (recentPrograms.length >= RECENT) {
      recentPrograms.pop();
      recentHandlers.pop();
    }
    recentPrograms.unshift(program);
    recentHandlers.unshift(h);
    return h;
  };
  /**
   * The stream's last line, which a repeat notice (`last message repeated 3 times`) stands for;
   * one record rewritten per line, `event` undefined when there is none.
   */
  const last: { -readonly [K in keyof LastLine]: LastLine[K] } = {
    host: undefined,
    msg: '',
    event: undefined,
  };
  const read = (line: string, env: Envelope, family: Family | undefined): ParsedLine | null => {
    const repeat = env.repeat;
    const ev = stream.syslogEvent(line, env.time, env.host, env.program, env.pid, env.facility, env.severity);
    let h: ProgramHandler | undefined;
    if (family !== undefined) h = handlerFor(family);
    else if (env.program !== undefined) {
      h = handlerOfProgram(env.program);
      // `imap[42]: badlogin: ...` is Cyrus, `imapd: LOGIN FAILED, ...` Courier, `imapd: Login failed
      // user=...` UW IMAP, under names Dovecot uses too.
      if (h !== undefined && h === handlers.get('dovecot')) {
        const other = otherMailServer(env.msg);
        if (other !== undefined) h = handlerFor(other);
      }
    }
    if (h !== undefined) {
      if (!h(env, ev)) return null;
    } else if (isPacketRecord(env.msg)) {
      // A firewall packet record written by ulogd (LOGEMU), not the kernel.
      if (!handlerFor('kernel')(env, ev)) return null;
    } else if (env.msg.indexOf('authentication failure;') >= 0) {
      if (!handlerFor('pam')(env, ev)) return null;
    } else if (isDrupalWatchdog(env.msg)) {
      // Drupal's watchdog under the site's own syslog name.
      fillDrupalWatchdog(ev, env.msg);
    } else if (isRouterOsLogin(env)) {
      // MikroTik RouterOS: no program, the record led by its log topics.
      fillRouterOsLogin(ev, env.msg);
    } else if (isHordeFileRecord(env)) {
      // Horde's own log file: its ident where syslog has the host.
      fillHorde(ev, env.msg);
    } else if (isSoftEtherRecord(env)) {
      // SoftEther VPN's records through syslog: no program, the hub in brackets.
      fillSoftEther(ev, env.msg);
    } else if (isBindChannelRecord(env)) {
      // BIND's own file channel with syslog-style times: `security: info: client ...`.
      if (!handlerFor('named')(env, ev)) return null;
    } else if (!fillTaggedAccess(env.program, env.msg, ev)) {
      // A self-hosted application's own log line as the message, under a container's tag or the
      // application's own name (Docker's syslog driver, journald); null when its reader drops it.
      if (!fillAppLoginMessage(stream, ev, env.msg, env.program)) return null;
    }
    if (repeat > 1) {
      ev['leuko.repeated'] = repeat;
      return { ...stream.done(ev, env.time), repeat };
    }
    return stream.done(ev, env.time);
  };
  return {
    handle(line, env, family) {
      const times = repeatCount(env, last);
      // The notice repeats the last line; that line stays the one a further notice repeats.
      if (times > 0 && last.event !== undefined) return repeatedLine(line, env.time, last.event, times);
      const r = read(line, env, family);
      // A dropped line (ambiguous address) is not repeated either: a notice after it reads as plain text.
      last.host = env.host;
      last.msg = env.msg;
      last.event = r?.event;
      return r;
    },
    snapshot() {
      let out: Record<string, unknown> | undefined;
      for (const [family, h] of handlers) {
        const state = h.snapshot?.();
        if (state !== undefined) (out ??= {})[family] = state;
      }
      if (last.event !== undefined) (out ??= {})[LAST_LINE_KEY] = { ...last };
      return out;
    },
    restore(state) {
      if (typeof state !== 'object' || state === null) return;
      for (const [family, part] of Object.entries(state))
        if (Object.hasOwn(FACTORIES, family)) handlerFor(family as Family).restore?.(part);
      const prev = lastLineOf((state as Record<string, unknown>)[LAST_LINE_KEY]);
      last.host = prev?.host;
      last.msg = prev?.msg ?? '';
      last.event = prev?.event;
    },
  };
}

/** A snapshot's last line, when it has that shape (an older snapshot has none). */
function lastLineOf(v: unknown): LastLine | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.msg !== 'string' || typeof o.event !== 'object' || o.event === null) return undefined;
  if (o.host !== undefined && typeof o.host !== 'string') return undefined;
  return { host: o.host as string | undefined, msg: o.msg, event: o.event as EcsEvent };
}
