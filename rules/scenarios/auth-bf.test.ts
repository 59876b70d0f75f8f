import { describe, expect, it } from 'vitest';
import { postfixLine } from './postfix-lines.js';
import { selfHostedLines, syslogAppLines } from './self-hosted-lines.js';
import { fired, M, parsed, S, times } from './test-kit.js';

/**
 * The auth-* scenarios read what the real parsers make of each service's own log lines, so
 * these samples are real lines through `parsed` rather than hand-built events.
 */
const START = Date.UTC(2026, 2, 2, 8, 0, 0);

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Syslog stamp `Mar  2 08:00:00` of START + ms. */
function syslogAt(ms: number): string {
  const d = new Date(START + ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
function isoAt(ms: number): string {
  return new Date(START + ms).toISOString().replace('Z', '000Z');
}
/** Exim mainlog stamp `2026-03-02 08:00:00`. */
function eximAt(ms: number): string {
  return new Date(START + ms).toISOString().slice(0, 19).replace('T', ' ');
}
/** nginx error-log stamp `2026/03/02 08:00:00`. */
function nginxAt(ms: number): string {
  return new Date(START + ms).toISOString().slice(0, 19).replace(/-/g, '/').replace('T', ' ');
}
/** Apache error-log stamp `Mon Mar 02 08:00:00.000000 2026`. */
function apacheAt(ms: number): string {
  const d = new Date(START + ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  return `${day} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000000 ${d.getUTCFullYear()}`;
}

/** ProFTPD's SystemLog stamp `2026-03-02 08:00:00,000`. */
function proftpdAt(ms: number): string {
  return new Date(START + ms).toISOString().slice(0, 23).replace('T', ' ').replace('.', ',');
}
/** vsftpd.log's stamp `Mon Mar  2 08:00:00 2026`. */
function vsftpdAt(ms: number): string {
  const d = new Date(START + ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  return `${day} ${syslogAt(ms)} ${d.getUTCFullYear()}`;
}

/** One failed login per service, as that service logs it. */
const failure = {
  postfix: (t: number, ip: string) =>
    `${syslogAt(t)} mx1 postfix/smtpd[2311]: warning: unknown[${ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`,
  exim: (t: number, ip: string, user = 'info@example.org') =>
    `${eximAt(t)} dovecot_login authenticator failed for (User) [${ip}]:55379: 535 Incorrect authentication data (set_id=${user})`,
  dovecot: (t: number, ip: string, user = 'info@example.org') =>
    `${syslogAt(t)} mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<${user}>, method=PLAIN, rip=${ip}, lip=192.0.2.1, TLS, session=<x${t}>`,
  mysqld: (t: number, ip: string, user = 'root') =>
    `${isoAt(t)} 344 [Note] Access denied for user '${user}'@'${ip}' (using password: YES)`,
  // The server's lines through syslog under the service's name.
  'mysqld (syslog, mysql[pid])': (t: number, ip: string, user = 'root') =>
    `${syslogAt(t)} db1 mysql[2769]: ${isoAt(t)} 344 [Note] Access denied for user '${user}'@'${ip}' (using password: YES)`,
  postgresql: (t: number, ip: string, user = 'postgres') =>
    `${ip} ${isoAt(t).replace('T', ' ').replace('000Z', ' UTC')} [53962] ${user}@postgres FATAL:  password authentication failed for user "${user}"`,
  sendmail: (t: number, ip: string, user = 'info') =>
    `${syslogAt(t)} mx1 sendmail[16664]: 06I02CNi016764: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=${user}, relay=[${ip}]`,
  lighttpd: (t: number, ip: string, user = 'admin') =>
    `${isoAt(t).slice(0, 19).replace('T', ' ')}: (mod_auth.c.828) password doesn't match for /secure/ username: ${user}, IP: ${ip}`,
  // LiteSpeed's error log: a realm's refusal, and the WebAdmin console's (an HTTP/2 stream).
  litespeed: (t: number, ip: string, user = 'admin') =>
    `${isoAt(t).slice(0, 23).replace('T', ' ')}123 [INFO] [4242] [${ip}:51234-7#example] User '${user}' failed to authenticate.`,
  'litespeed-webadmin': (t: number, ip: string, user = 'admin') =>
    `${isoAt(t).slice(0, 23).replace('T', ' ')}456 [NOTICE] [4242] [${ip}:51234:HTTP2-3#_AdminVHost] [STDERR] [WebAdmin Console] Failed Login Attempt - username:${user} ip:${ip} url:`,
  monit: (t: number, ip: string, user = 'admin') =>
    `${syslogAt(t)} mx1 monit[5731]: HttpRequest: access denied -- client ${ip}: wrong password for user '${user}'`,
  webmin: (t: number, ip: string, user = 'root') =>
    `${syslogAt(t)} mx1 webmin[25875]: Invalid login as ${user} from ${ip}`,
  murmur: (t: number, ip: string, user = 'guest') =>
    `<W>${isoAt(t).slice(0, 23).replace('T', ' ')} 1 => <4:${user}(-1)> Rejected connection from ${ip}:29530: Invalid server password`,
  stunnel: (t: number, ip: string) =>
    `${isoAt(t).slice(0, 19).replace(/-/g, '.').replace('T', ' ')} LOG3[28228:140093368055552]: SSL_accept from ${ip}:33454 : 140890C7: error:140890C7:SSL routines:SSL3_GET_CLIENT_CERTIFICATE:peer did not return a certificate`,
  phpmyadmin: (t: number, ip: string, user = 'root') =>
    `${syslogAt(t)} web1 phpMyAdmin[16358]: user denied: ${user} (mysql-denied) from ${ip}`,
  'wu-ftpd': (t: number, ip: string) =>
    `${syslogAt(t)} ftp1 wu-ftpd[18760]: failed login from client.example.net [${ip}]`,
  gitlab: (t: number, ip: string, user = 'root') =>
    `${isoAt(t).replace('000Z', 'Z')}: Failed Login: username=${user} ip=${ip}`,
  vaultwarden: (t: number, ip: string, user = 'admin@example.org') =>
    `[${isoAt(t).slice(0, 23).replace('T', ' ')}][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: ${ip}. Username: ${user}.`,
  grafana: (t: number, ip: string, user = 'admin') =>
    `logger=context userId=0 orgId=0 uname=${user} t=${isoAt(t).replace('000Z', 'Z')} level=error msg="Invalid username or password" error="invalid username or password" remote_addr=${ip} traceID=`,
  proxmox: (t: number, ip: string, user = 'root@pam') =>
    `${syslogAt(t)} pve1 pvedaemon[3483744]: authentication failure; rhost=::ffff:${ip} user=${user} msg=Authentication failure`,
  'proxmox-backup': (t: number, ip: string, user = 'root@pam') =>
    `${isoAt(t).replace('.000Z', '+00:00')}: authentication failure; rhost=[::ffff:${ip}]:47414 user=${user} msg=authentication failed`,
  nextcloud: (t: number, ip: string, user = 'admin') =>
    JSON.stringify({
      reqId: `r${t}`,
      level: 2,
      time: isoAt(t),
      remoteAddr: ip,
      user: '--',
      app: 'no app in context',
      method: 'POST',
      url: '/login',
      message: `Login failed: ${user} (Remote IP: ${ip})`,
      userAgent: 'Mozilla/5.0',
      version: '28.0.1.1',
    }),
  'home-assistant': (t: number, ip: string) =>
    `${isoAt(t).slice(0, 23).replace('T', ' ')} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${ip} (${ip}). Requested URL: '/auth/login_flow/69d9550b'. (Mozilla/5.0)`,
  keycloak: (t: number, ip: string, user = 'admin') =>
    `${isoAt(t).slice(0, 23).replace('T', ' ').replace('.', ',')} WARN  [org.keycloak.events] (executor-thread-1) type=LOGIN_ERROR, realmId=master, clientId=account-console, userId=null, ipAddress=${ip}, error=invalid_user_credentials, auth_method=openid-connect, username=${user}`,
  zimbra: (t: number, ip: string, user = 'admin@example.org') =>
    `${isoAt(t).slice(0, 23).replace('T', ' ').replace('.', ',')} INFO  [qtp93314457-137:https://mail.example.org:7071/service/admin/soap/AuthRequest] [name=${user};oip=${ip};port=52016;ua=ZimbraWebClient;soapId=9fd8101;] SoapEngine - handler exception: authentication failed for [${user}], invalid password`,
  teleport: (t: number, ip: string, user = 'admin') =>
    JSON.stringify({
      ei: 0,
      event: 'user.login',
      uid: `u${t}`,
      code: 'T1000W',
      time: isoAt(t),
      user,
      success: false,
      error: 'invalid username, password or second factor',
      method: 'local',
      'addr.remote': `${ip}:34204`,
    }),
  courier: (t: number, ip: string, user = 'info@example.org') =>
    `${syslogAt(t)} mx1 imapd: LOGIN FAILED, user=${user}, ip=[::ffff:${ip}]`,
  uwimap: (t: number, ip: string, user = 'info') =>
    `${syslogAt(t)} mx1 imapd[666]: Login failed user=${user} auth=${user} host=client.example.net [${ip}]`,
  'solid-pop3d': (t: number, ip: string, user = 'info') =>
    `${syslogAt(t)} mx1 solid-pop3d[3822]: authentication failed for user ${user} - ${ip}`,
  perdition: (t: number, ip: string, user = 'info') =>
    `${syslogAt(t)} mx1 perdition.imaps[3194]: Auth: ${ip}:2274->192.0.2.9:993 client-secure=ssl authorisation_id=NONE authentication_id="${user}" server="imap.example.org:993" protocol=IMAP4S server-secure=ssl status="failed: local authentication failure"`,
  cyrus: (t: number, ip: string, user = 'info') =>
    `${syslogAt(t)} mx1 cyrus/imaps[7568]: badlogin: client.example.net [${ip}] PLAIN ${user} SASL(-13): authentication failure: checkpass failed`,
  nginx: (t: number, ip: string, user = 'admin') =>
    `${nginxAt(t)} [error] 812#812: *${t} user "${user}": password mismatch, client: ${ip}, server: example.org, request: "GET /admin/ HTTP/1.1", host: "example.org"`,
  apache: (t: number, ip: string, user = 'admin') =>
    `[${apacheAt(t)}] [auth_basic:error] [pid 901] [client ${ip}:51234] AH01617: user ${user}: authentication failure for "/private": Password Mismatch`,
  pam: (t: number, ip: string, user = 'ftpuser') =>
    `${syslogAt(t)} ftp1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=${user} rhost=${ip}  user=${user}`,
  roundcube: (t: number, ip: string, user = 'info@example.org') =>
    `${syslogAt(t)} web1 roundcube: IMAP Error: Login failed for ${user} from ${ip}. AUTHENTICATE PLAIN: A0002 NO Login failed. in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /?_task=login&_action=login)`,
  asterisk: (t: number, ip: string, user = '301') =>
    `${syslogAt(t)} pbx asterisk[1638]: NOTICE[1640]: chan_sip.c:23417 in handle_request_register: Registration from '<sip:${user}@example.com>' failed for '${ip}:5060' - Wrong password`,
  samba: (t: number, ip: string, user = 'administrator') =>
    `${syslogAt(t)} fs1 smbd[2725]: Auth: [SMB2,(null)] user [WORKGROUP]\\[${user}] at [Mon, 02 Mar 2026 08:00:00.030937 UTC] with [NTLMv2] status [NT_STATUS_WRONG_PASSWORD] workstation [WIN-1] remote host [ipv4:${ip}:62419] mapped to [WORKGROUP]\\[${user}]. local host [ipv4:10.1.1.1:445]`,
  proftpd: (t: number, ip: string, user = 'admin') =>
    `${syslogAt(t)} ftp1 proftpd[${4000 + t / S}]: ftp1 (${ip}[${ip}]) - USER ${user} (Login failed): Incorrect password`,
  vsftpd: (t: number, ip: string, user = 'admin') =>
    `${vsftpdAt(t)} [pid ${4000 + t / S}] [${user}] FAIL LOGIN: Client "::ffff:${ip}"`,
  'pure-ftpd': (t: number, ip: string, user = 'admin') =>
    `${syslogAt(t)} ftp1 pure-ftpd: (?@${ip}) [WARNING] Authentication failed for user [${user}]`,
  ...selfHostedLines(START),
  ...syslogAppLines(syslogAt),
} as const;

/** ProFTPD's record of a user name it does not know, from its own log file. */
const proftpdUnknown = (t: number, ip: string, user: string) =>
  `${proftpdAt(t)} ftp1 proftpd[498625] ftp1 (${ip}[${ip}]): USER ${user}: no such user found from ${ip} [${ip}] to ::ffff:192.0.2.23:21`;

const success = {
  exim: (t: number, ip: string, user = 'info@example.org') =>
    `${eximAt(t)} 1oIc1A-0002Qx-Tb <= ${user} H=(laptop) [${ip}]:50012 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:${user} S=1234 id=x${t}@laptop`,
  dovecot: (t: number, ip: string, user = 'info@example.org') =>
    `${syslogAt(t)} mx1 dovecot: imap-login: Login: user=<${user}>, method=PLAIN, rip=${ip}, lip=192.0.2.1, mpid=4411, TLS, session=<y${t}>`,
  postfix: (t: number, ip: string, user = 'info@example.org') =>
    `${syslogAt(t)} mx1 postfix/smtpd[2312]: 4BqZ7R1x2Y${t}: client=unknown[${ip}], sasl_method=PLAIN, sasl_username=${user}`,
  vsftpd: (t: number, ip: string, user = 'alice') =>
    `${vsftpdAt(t)} [pid ${5000 + t / S}] [${user}] OK LOGIN: Client "${ip}"`,
};

describe('leuko/auth-bf', () => {
  // OpenVPN's refusals have their own scenario (leuko/openvpn-bf, which leaves out packets
  // without the tls-auth key: over UDP anyone can send those in another's name).
  const services = (Object.keys(failure) as (keyof typeof failure)[]).filter((k) => k !== 'openvpn');
  it.each(services)('fires on a fast guessing run against %s', (svc) => {
    const ev = parsed(times(8, (i) => failure[svc](i * 2 * S, '203.0.113.50')));
    expect(fired('leuko/auth-bf', ev)).toEqual(['203.0.113.50']);
  });
  it("fires on a guessing run against strongSwan (the peer named by the IKE_SA's packets)", () => {
    const charon = (t: number, rest: string) =>
      `${syslogAt(t)} vpn1 charon[3253]: 08[IKE] <rw|${1000 + t / S}> ${rest}`;
    const ev = parsed(
      times(8, (i) => [
        charon(i * 2 * S, "XAuth authentication of 'admin' failed"),
        charon(i * 2 * S, 'sending packet: from 192.0.2.1[4500] to 203.0.113.50[28821] (92 bytes)'),
      ]).flat(),
    );
    expect(fired('leuko/auth-bf', ev)).toEqual(['203.0.113.50']);
  });
  it('fires on a guessing run over one slapd connection (the client named by its ACCEPT only)', () => {
    const slapd = (t: number, rest: string) => `${syslogAt(t)} ldap1 slapd[1183]: conn=1022 ${rest}`;
    const ev = parsed([
      slapd(0, 'fd=21 ACCEPT from IP=203.0.113.50:45011 (IP=0.0.0.0:389)'),
      ...times(8, (i) => [
        slapd(i * 2 * S, `op=${i} BIND dn="uid=u${i},ou=people,dc=example,dc=com" method=128`),
        slapd(i * 2 * S, `op=${i} RESULT tag=97 err=49 text=`),
      ]).flat(),
    ]);
    expect(fired('leuko/auth-bf', ev)).toEqual(['203.0.113.50']);
    expect(fired('leuko/auth-user-enum', ev)).toEqual(['203.0.113.50']);
  });
  it("fires on an application's own lines carried as syslog messages (Docker's syslog driver, journald)", () => {
    const own = selfHostedLines(START);
    const ev = parsed(
      times(8, (i) => `${syslogAt(i * 2 * S)} docker1 gitea[812]: ${own.gitea(i * 2 * S, '203.0.113.54')}`),
    );
    expect(fired('leuko/auth-bf', ev)).toEqual(['203.0.113.54']);
  });
  it('counts each address apart and stays quiet for a few failures', () => {
    const ev = parsed([
      ...times(4, (i) => failure.dovecot(i * S, '203.0.113.51')),
      ...times(4, (i) => failure.postfix(i * S, '203.0.113.52')),
    ]);
    expect(fired('leuko/auth-bf', ev)).toEqual([]);
  });
  it('stays quiet for an ssh failure: ssh has its own scenarios', () => {
    const ev = parsed(
      times(8, (i) => `${syslogAt(i * S)} web1 sshd[4001]: Failed password for root from 203.0.113.53 port 4022 ssh2`),
    );
    expect(fired('leuko/auth-bf', ev)).toEqual([]);
  });
});

describe('leuko/auth-slow-bf', () => {
  it('fires on one failure a minute', () => {
    const ev = parsed(times(30, (i) => failure.mysqld(i * M, '198.51.100.60')));
    // Fires again after each blackhole while the run goes on (a live run has banned it by then).
    expect(new Set(fired('leuko/auth-slow-bf', ev))).toEqual(new Set(['198.51.100.60']));
  });
  it('stays quiet for a stale mail client failing every 5 minutes all day', () => {
    const ev = parsed(times(288, (i) => failure.dovecot(i * 5 * M, '198.51.100.61', 'bob@example.org')));
    expect(fired('leuko/auth-slow-bf', ev)).toEqual([]);
    expect(fired('leuko/auth-bf', ev)).toEqual([]);
  });
  it('starts over when the address logs in successfully (an office behind one NAT address)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(failure.dovecot(i * 2 * M, '198.51.100.62', 'bob@example.org'));
      if (i % 5 === 4) lines.push(success.dovecot(i * 2 * M + 30 * S, '198.51.100.62', 'carol@example.org'));
    }
    expect(fired('leuko/auth-slow-bf', parsed(lines))).toEqual([]);
    // The same failures without the colleagues' logins are a slow brute force.
    const alone = lines.filter((l) => l.includes('auth failed'));
    expect(new Set(fired('leuko/auth-slow-bf', parsed(alone)))).toEqual(new Set(['198.51.100.62']));
  });
  it('a vsftpd login counts as a success', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(failure.vsftpd(i * 2 * M, '198.51.100.64', 'bob'));
      if (i % 5 === 4) lines.push(success.vsftpd(i * 2 * M + 30 * S, '198.51.100.64'));
    }
    expect(fired('leuko/auth-slow-bf', parsed(lines))).toEqual([]);
    const alone = lines.filter((l) => l.includes('FAIL LOGIN'));
    expect(new Set(fired('leuko/auth-slow-bf', parsed(alone)))).toEqual(new Set(['198.51.100.64']));
  });
  it('an Exim login (an arrival with A=) counts as a success', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(failure.exim(i * 2 * M, '198.51.100.64', 'bob@example.org'));
      if (i % 5 === 4) lines.push(success.exim(i * 2 * M + 30 * S, '198.51.100.64', 'carol@example.org'));
    }
    expect(fired('leuko/auth-slow-bf', parsed(lines))).toEqual([]);
  });
  it('a Postfix SASL login counts as a success', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(failure.postfix(i * 2 * M, '198.51.100.63'));
      if (i % 5 === 4) lines.push(success.postfix(i * 2 * M + 30 * S, '198.51.100.63'));
    }
    expect(fired('leuko/auth-slow-bf', parsed(lines))).toEqual([]);
  });
  it('counts a Dovecot attempt once however many records it writes (PAM, auth_verbose, the login process)', () => {
    const attempt = (t: number, ip: string) => [
      `${syslogAt(t)} mx1 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=bob rhost=${ip}  user=bob`,
      `${syslogAt(t)} mx1 dovecot: auth-worker(304): pam(bob,${ip},<a${t}>): pam_authenticate() failed: Authentication failure (password mismatch?)`,
      `${syslogAt(t + 2 * S)} mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=${ip}, lip=192.0.2.1, TLS, session=<b${t}>`,
    ];
    // A phone with a stale password, every 4 minutes for two hours: one attempt each time.
    const stale = parsed(times(30, (i) => attempt(i * 4 * M, '198.51.100.70')).flat());
    expect(fired('leuko/auth-slow-bf', stale)).toEqual([]);
    // A guessing run still is one.
    const run = parsed(times(8, (i) => attempt(i * 3 * S, '203.0.113.71')).flat());
    expect(fired('leuko/auth-bf', run)).toEqual(['203.0.113.71']);
  });
});

describe('leuko/auth-user-enum', () => {
  it('fires on account names an FTP server does not know, tried from one address', () => {
    const names = ['asd', 'foo', 'bar', 'foobar', 'root', 'admin'];
    const ev = parsed(names.map((u, i) => proftpdUnknown(i * S, '192.0.2.142', u)));
    expect(ev.every((o) => o.event['leuko.ftp.invalid_user'] === true)).toBe(true);
    expect(fired('leuko/auth-user-enum', ev)).toEqual(['192.0.2.142']);
  });
  it('fires on many mailboxes tried from one address', () => {
    const ev = parsed(times(8, (i) => failure.dovecot(i * 5 * S, '192.0.2.70', `user${i}@example.org`)));
    expect(fired('leuko/auth-user-enum', ev)).toEqual(['192.0.2.70']);
  });
  it('stays quiet for one account tried again', () => {
    const ev = parsed(times(8, (i) => failure.dovecot(i * 20 * S, '192.0.2.71', 'bob@example.org')));
    expect(fired('leuko/auth-user-enum', ev)).toEqual([]);
  });
  it('counts the recipients Exim refuses as unknown with the accounts tried by AUTH', () => {
    const rcpt = (t: number, to: string) =>
      `${eximAt(t)} H=imfo.test.com [192.0.2.72]:35328 F=<x@test.com> rejected RCPT <${to}>: No Such User Here`;
    const ev = parsed([
      ...times(3, (i) => failure.exim(i * S, '192.0.2.72', `info${i}@example.org`)),
      ...times(3, (i) => rcpt((3 + i) * S, `sales${i}@example.org`)),
    ]);
    expect(fired('leuko/auth-user-enum', ev)).toEqual(['192.0.2.72']);
    // Refused for other reasons (a blocklist, relaying), recipients name no account.
    const relay = parsed(
      times(
        8,
        (i) =>
          `${eximAt(i * S)} H=(x) [192.0.2.73]:4000 F=<a@b.example> rejected RCPT <r${i}@elsewhere.example>: relay not permitted`,
      ),
    );
    expect(fired('leuko/auth-user-enum', relay)).toEqual([]);
  });
  it('counts Postfix recipients refused as unknown (a directory harvest), one mailbox each', () => {
    const harvest = parsed(times(6, (i) => postfixLine.unknownUser(i * 5, '203.0.113.90', `user${i}@example.org`)));
    expect(fired('leuko/auth-user-enum', harvest)).toEqual(['203.0.113.90']);
    const sameMailbox = parsed(times(8, (i) => postfixLine.unknownUser(i * 5, '203.0.113.91')));
    expect(fired('leuko/auth-user-enum', sameMailbox)).toEqual([]);
    const greylisted = parsed(times(8, (i) => postfixLine.greylisted(i * 5, '203.0.113.92')));
    expect(fired('leuko/auth-user-enum', greylisted)).toEqual([]);
  });
});

describe('leuko/auth-time-based-user-enum', () => {
  it('fires on distinct mailboxes tried half an hour apart', () => {
    const ev = parsed(
      times(4, (i) =>
        failure.dovecot(i * 30 * M, '198.51.100.1', `${['admin', 'info', 'webmaster', 'test'][i]}@example.org`),
      ),
    );
    expect(fired('leuko/auth-time-based-user-enum', ev)).toEqual(['198.51.100.1']);
  });
  it('fires on distinct FTP accounts tried half an hour apart', () => {
    const ev = parsed(
      times(4, (i) => failure['pure-ftpd'](i * 30 * M, '198.51.100.3', ['admin', 'ftp', 'www', 'test'][i])),
    );
    expect(fired('leuko/auth-time-based-user-enum', ev)).toEqual(['198.51.100.3']);
  });
  it('stays quiet for a stale client retrying one account every half hour', () => {
    const ev = parsed(times(10, (i) => failure.dovecot(i * 30 * M, '198.51.100.2', 'bob@example.org')));
    expect(fired('leuko/auth-time-based-user-enum', ev)).toEqual([]);
  });
});

/** Axigen's own log: the client named by the session's accept (or a trusted proxy's update). */
const axigenAt = (t: number) => `${isoAt(t).slice(0, 19).replace('T', ' ')} +0000 08 mail.example.org`;
const axigenSession = (t: number, ip: string, n: number, user = 'alice@example.org') => [
  `${axigenAt(t)} IMAP:${n.toString(16).padStart(8, '0')}: [192.0.2.10:993] connection accepted from [${ip}:${50000 + n}]`,
  `${axigenAt(t)} IMAP:${n.toString(16).padStart(8, '0')}: Authentication error for user '${user}': invalid credentials`,
];
const axigenWebmail = (t: number, ip: string, n: number, code = 401) => [
  `${axigenAt(t)} WEBMAIL:${n.toString(16).padStart(8, '0')}: [192.0.2.10:5443] connection accepted from [192.0.2.254:${50000 + n}]`,
  `${axigenAt(t)} WEBMAIL:${n.toString(16).padStart(8, '0')}: Remote address updated from '192.0.2.254' to '${ip}'`,
  `${axigenAt(t)} WEBMAIL:${n.toString(16).padStart(8, '0')}: <> POST /api/v1/login/cookie HTTP/1.1 u= code=${code} time=100`,
];

describe('Axigen (sessions named once)', () => {
  it('counts failed logins of IMAP, POP3 and SMTP sessions for the address each session was accepted from', () => {
    const ev = parsed(times(7, (i) => axigenSession(i * 2 * S, '203.0.113.90', i + 1)).flat());
    expect(fired('leuko/auth-bf', ev)).toEqual(['203.0.113.90']);
    const enumeration = parsed(
      times(6, (i) => axigenSession(i * S, '203.0.113.91', 100 + i, `user${i}@example.org`)).flat(),
    );
    expect(fired('leuko/auth-user-enum', enumeration)).toEqual(['203.0.113.91']);
  });
  it('counts WebMail logins refused behind a proxy for the client the proxy named, not the proxy', () => {
    const ev = parsed(times(7, (i) => axigenWebmail(i * 3 * S, '198.51.100.92', 200 + i)).flat());
    expect(fired('leuko/auth-bf', ev)).toEqual(['198.51.100.92']);
  });
  it('takes no address for a failure whose session it did not see accepted, or one a proxy update does not fit', () => {
    const orphan = parsed(
      times(
        7,
        (i) =>
          `${axigenAt(i * S)} IMAP:0000ff0${i}: Authentication error for user 'alice@example.org': invalid credentials`,
      ),
    );
    expect(orphan.filter((e) => e.event['source.ip'] !== undefined)).toEqual([]);
    // An update from an address the session does not have: the session forgets its client.
    const odd = parsed([
      `${axigenAt(0)} WEBMAIL:00000abc: [192.0.2.10:5443] connection accepted from [192.0.2.254:50001]`,
      `${axigenAt(0)} WEBMAIL:00000abc: Remote address updated from '192.0.2.253' to '198.51.100.93'`,
      `${axigenAt(0)} WEBMAIL:00000abc: <> POST /api/v1/login/cookie HTTP/1.1 u= code=401 time=100`,
    ]);
    expect(odd.map((e) => e.event['source.ip'])).toEqual(['192.0.2.254', undefined, undefined]);
  });
});
