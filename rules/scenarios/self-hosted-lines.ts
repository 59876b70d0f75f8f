/**
 * One failed login of each self-hosted application Leuko reads (src/parsers/webapps/self-hosted.ts,
 * hosting.ts, logins.ts, sso.ts, json-logins.ts; PHP applications' refusals in the web server's error
 * log, src/parsers/web/php-logins.ts; OpenVPN; Exchange's protocol logs, src/parsers/exchange),
 * as its own log writes it, `ms` after `start`: samples for the auth-* scenario tests.
 */
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The parts of a UTC time the formats below are made of. */
function parts(at: number) {
  const d = new Date(at);
  return {
    iso: d.toISOString(),
    date: d.toISOString().slice(0, 10),
    time: d.toISOString().slice(11, 19),
    ms: pad(d.getUTCMilliseconds(), 3),
    y: d.getUTCFullYear(),
    mo: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    h: d.getUTCHours(),
    /** C's ctime() `Mon Mar  2 08:00:00 2026`. */
    ctime: `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]} ${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} ${d.getUTCFullYear()}`,
  };
}

/** A CSV field as Exchange writes it: quoted, quotes doubled, when it holds a comma or quote. */
const csv = (text: string) => (/[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** The same through syslog (webapps/syslog-logins.ts, remote-access), with the stamp `syslogAt` gives. */
export function syslogAppLines(syslogAt: (ms: number) => string) {
  return {
    pfsense: (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} fw1 php-fpm[374]: /index.php: webConfigurator authentication error for user '${user}' from: ${ip}`,
    opnsense: (t: number, ip: string, user = 'root') =>
      `${syslogAt(t)} fw2 audit[24409]: /index.php: Web GUI authentication error for '${user}' from ${ip}`,
    'lemonldap-ng': (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} sso1 LLNG[73088]: [warn] Bad password for ${user} (${ip})`,
    mikrotik: (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} 10.120.127.1 system,error,critical login failure for user ${user} from ${ip} via winbox`,
    drupal: (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} web1 example.org: https://example.org|1430068525|user|${ip}|https://example.org/user/login|https://example.org/user/login|0||Login attempt failed from ${user}.`,
    meshcentral: (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} meshcentral https[26880]: Failed password for ${user} from ${ip} port 57951`,
    'opensearch-dashboards': (t: number, ip: string, agent = 'Mozilla/5.0') =>
      `${syslogAt(t)} siem1 opensearch-dashboards[9400]: ${JSON.stringify({ type: 'response', '@timestamp': '2026-03-02T08:00:00Z', tags: [], pid: 9400, method: 'post', statusCode: 401, req: { url: `/auth/login?next=${encodeURIComponent(agent)}`, method: 'post', headers: { 'user-agent': agent, 'x-forwarded-for': '10.66.66.66' }, remoteAddress: ip, userAgent: agent }, res: { statusCode: 401 }, message: 'POST /auth/login 401 333ms - 9.0B' })}`,
    'arr-syslog': (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} media1 Sonarr[125]: [Warn] Auth: Auth-Failure ip ${ip} username '${user}'`,
    froxlor: (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} panel1 Froxlor: [Login Action ${ip}] User '${user}' tried to login with wrong password.`,
    horde: (t: number, ip: string, user = 'info@example.org') =>
      `${syslogAt(t)} HORDE [error] [imp] FAILED LOGIN for ${user} [${ip}] to {imap.example.org:993 [imap/ssl]} [pid 68394 on line 139 of "/usr/share/horde/imp/lib/Auth/imp.php"]`,
    screensharingd: (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} mac1 screensharingd[1170]: Authentication: FAILED :: User Name: ${user} :: Viewer Address: ${ip} :: Type: DH`,
    'znc-syslog': (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} irc1 znc[37232]: [${user}] failed to login from ${ip}:65009`,
    harbor: (t: number, ip: string, user = 'admin') =>
      `${syslogAt(t)} 172.25.0.1 core[1160]: 2026-03-02T08:00:00Z [ERROR] [/server/middleware/security/basic_auth.go:72][client IP="${ip}, 172.18.0.1" requestID="9b1f2c1e" user agent="docker/24.0.7 go/go1.20.10"]: failed to authenticate user:${user}, error:Failed to authenticate user, due to error 'Invalid credentials'`,
    'softethervpn-syslog': (t: number, ip: string, user = 'vpnuser') =>
      `${syslogAt(t)} vpn1 [vpn1.example.org/VPN/DEFAULT] (2026-03-02 08:00:00.591) <SECURITY_LOG>: Connection "CID-594": User authentication failed. The user name that has been provided was "${user}", from ${ip}.`,
  };
}

export function selfHostedLines(start: number) {
  const at = (ms: number) => parts(start + ms);
  return {
    webmin: (t: number, ip: string, user = 'admin') =>
      `${Math.floor((start + t) / 1000)}.2161960.0 [02/Mar/2026 08:00:00] ${user} - ${ip} global miniserv.pl "failed" "-" "wrongpass"`,
    hestiacp: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `${p.date} ${p.time} ${user} ${ip} failed to login`;
    },
    'uptime-kuma': (t: number, ip: string, user = 'admin') =>
      `${at(t).iso} [AUTH] WARN: Incorrect username or password for user ${user}. IP=${ip}`,
    'stirling-pdf': (t: number, ip: string) => {
      const p = at(t);
      return `${p.date} ${p.time},${p.ms} ERROR s.s.S.c.s.CustomAuthenticationFailureHandler [qtp877788296-102] Failed login attempt from IP: ${ip}`;
    },
    sabnzbd: (t: number, ip: string) => {
      const p = at(t);
      return `${p.date} ${p.time},${p.ms}::WARNING::[interface:657] Unsuccessful login attempt from ${ip} [Mozilla/5.0]`;
    },
    emby: (t: number, ip: string) => {
      const p = at(t);
      return `${p.date} ${p.time}.${p.ms} Warn Server: AUTH-ERROR: ${ip} - Invalid username or password entered.`;
    },
    zoneminder: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `${p.mo}/${p.d}/${String(p.y).slice(2)} ${p.time}.393003 web_php[118770].ERR [${ip}] [Could not retrieve user ${user} details] at /usr/share/zoneminder/www/includes/auth.php line 313`;
    },
    technitium: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `[${p.date} ${p.time} UTC] [${ip}:50051] DnsServerCore.DnsWebServiceException: Invalid username or password for user: ${user}`;
    },
    jellyfin: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `[${p.date} ${p.time}.${p.ms} +00:00] [INF] [79] Jellyfin.Server.Implementations.Users.UserManager: Authentication request for "${user}" has been denied (IP: "${ip}").`;
    },
    'paperless-ngx': (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `[${p.date} ${p.time},${p.ms}] [INFO] [paperless.auth] Login failed for user \`${user}\` from IP \`${ip}\`.`;
    },
    'calibre-web': (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `[${p.date} ${p.time},${p.ms}]  WARN {cps.web:1475} Login failed for user "${user}" IP-address: ${ip}`;
    },
    immich: (t: number, ip: string, user = 'admin@example.org') => {
      const p = at(t);
      const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
      return `[Nest] 7  - ${p.mo}/${p.d}/${p.y}, ${h12}:${p.time.slice(3)} ${p.h < 12 ? 'AM' : 'PM'}    WARN [AuthService] Failed login attempt for user ${user} from ip address ${ip}`;
    },
    thehive: (_t: number, ip: string) =>
      `[info] o.t.s.AccessLogFilter [1e60d1e5e2a1741f|2989d0704d3c364c] ${ip} POST /api/v1/login took 8ms and returned 401 65 bytes`,
    mealie: (t: number, ip: string) =>
      `[ERROR|auth|L83] ${at(t).iso.slice(0, 19)}: Incorrect username or password from ${ip}`,
    qbittorrent: (t: number, ip: string, user = 'admin') =>
      `(W) ${at(t).iso.slice(0, 19)} - WebAPI login failure. Reason: invalid credentials, attempt count: 1, IP: ${ip}, username: ${user}`,
    'apereo-cas': (t: number, ip: string, user = 'john.doe') => {
      const p = at(t);
      return `${p.date} ${p.time},${p.ms} INFO [org.apereo.inspektr.audit.support.Slf4jLoggingAuditTrailManager] - Mon Mar 02 08:00:00 UTC 2026|CAS|Supplied credentials: [UsernamePasswordCredential(username=${user}, source=null, customFields={})]|AUTHENTICATION_FAILED|${user}|${ip}|192.0.2.10`;
    },
    arr: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `${p.date} ${p.time}.5|Warn|Auth|Auth-Failure ip ${ip} username '${user}'`;
    },
    audiobookshelf: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return JSON.stringify({
        timestamp: `${p.date} ${p.time}.${p.ms}`,
        source: 'Auth.js:888',
        message: `[Auth] Failed login attempt for username "${user}" from ip ${ip} (Invalid password)`,
        levelName: 'ERROR',
        level: 4,
      });
    },
    navidrome: (t: number, ip: string) =>
      `time="${at(t).iso}" level=warning msg="HTTP: POST http://music.example.org/auth/login" elapsedTime="792.538µs" httpStatus=401 remoteAddr=${ip} requestId=nd/YzKDTM4yVE-001467 responseSize=40 userAgent="Mozilla/5.0"`,
    ejabberd: (t: number, ip: string, user = 'admin@example.org') => {
      const p = at(t);
      return `${p.date} ${p.time}.${p.ms} [info] <0.585.0>@ejabberd_c2s:wait_for_sasl_response:965 ({socket_state,p1_tls,{tlssock,#Port<0.6434>,#Port<0.6436>},<0.584.0>}) Failed authentication for ${user} from ${ip}`;
    },
    gotify: (t: number, ip: string) => {
      const p = at(t);
      return `[GIN] ${p.y}/${p.mo}/${p.d} - ${p.time} | 401 |     505.317µs |  ${ip.padStart(15)} | POST     "/client"`;
    },
    cpanel: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `[${p.date} ${p.time} +0000] info [cpaneld] ${ip} - ${user} "POST /login/?login_only=1 HTTP/1.1" FAILED LOGIN cpaneld: access denied for root, reseller, and user password`;
    },
    'pterodactyl-wings': (t: number, ip: string, user = 'admin') => {
      const d = new Date(start + t);
      const month = d.toUTCString().slice(8, 11);
      const p = at(t);
      return `WARN: [${month} ${String(d.getUTCDate()).padStart(2)} ${p.time}.${p.ms}] failed to validate user credentials (invalid username or password) ip=${ip}:28050 subsystem=sftp username=${user}`;
    },
    'exchange-smtp': (t: number, ip: string) =>
      `${at(t).iso},EXCHANGE-1\\Default Frontend EXCHANGE-1,08DA4F7C1147${String(t).padStart(4, '0').slice(-4)},9,192.0.2.25:25,${ip}:53722,>,535 5.7.3 Authentication unsuccessful,`,
    'exchange-imap': (t: number, ip: string, user = 'info') =>
      `${at(t).iso},000000000000000E,2,192.0.2.25:143,${ip}:35070,${csv(user)},168,31,31,authenticate,PLAIN,${csv(`R="2 NO AUTHENTICATE failed.";Msg="AuthFailed:LogonDenied,User: ${user}";ErrMsg=AuthFailed:LogonDenied`)},`,
    guacamole: (t: number, ip: string, user = 'guacadmin') =>
      `guacamole_compose  | ${at(t).iso.replace('.', ',')} [http-nio-8080-exec-5] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [${ip}, 172.18.0.2] for user "${user}" failed.`,
    // Windows Security's 4625 as an XML line (the user name escaped, as Windows renders it).
    'windows.security': (t: number, ip: string, user = 'administrator') =>
      `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-a5ba-3e3b0328c30d}" /><EventID>4625</EventID><TimeCreated SystemTime="${at(t).iso}" /><Computer>dc1.example.org</Computer></System><EventData><Data Name="TargetUserName">${user.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</Data><Data Name="TargetDomainName">EXAMPLE</Data><Data Name="Status">0xc000006d</Data><Data Name="SubStatus">0xc000006a</Data><Data Name="LogonType">3</Data><Data Name="WorkstationName">WS1</Data><Data Name="IpAddress">${ip}</Data><Data Name="IpPort">0</Data></EventData></Event>`,
    ntfy: (t: number, ip: string) =>
      JSON.stringify({
        time: at(t).iso,
        level: 'DEBUG',
        message: 'Connection closed with HTTP 401 (ntfy error 40101)',
        error: 'unauthorized',
        error_code: 40101,
        http_method: 'GET',
        http_path: '/alerts/auth',
        http_status: 401,
        tag: 'http',
        visitor_id: `ip:${ip}`,
        visitor_ip: ip,
      }),
    mailu: (t: number, ip: string) => {
      const p = at(t);
      return `[${p.date} ${p.time},${p.ms}] WARNING in limiter: Authentication attempt from ${ip} has been rate-limited.`;
    },
    redmine: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `W, [${p.date}T${p.time}.245316 #1]  WARN -- : Failed login for '${user}' from ${ip} at ${p.date} ${p.time} UTC`;
    },
    centreon: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `${p.date} ${p.time}|-1|0|0|[WEB] [${ip}] Authentication failed for '${user}' : password mismatch`;
    },
    directadmin: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `${p.date.replace(/-/g, ':')}-${p.time}: '${ip}' 3 failed login attempts. Account '${user}'`;
    },
    squirrelmail: (t: number, ip: string, user = 'info') => {
      const p = at(t);
      return `${p.mo}/${p.d}/${p.y} ${p.time} [LOGIN_ERROR] ${user} (example.org) from ${ip}: Unknown user or password incorrect.`;
    },
    softethervpn: (t: number, ip: string, user = 'vpnuser') => {
      const p = at(t);
      return `${p.date} ${p.time}.${p.ms} Connection "CID-72": User authentication failed. The user name that has been provided was "${user}", from ${ip}.`;
    },
    tine20: (t: number, ip: string, user = 'admin') =>
      `a8e03 ffff3 -- none -- - ${at(t).iso.slice(0, 19)}+00:00 WARN (4): Tinebase_Controller::login::106 Login with username ${user} from ${ip} failed (-3)!`,
    groupoffice: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `[${p.date} ${p.time}]LOGIN FAILED for user: "${user}" from IP: ${ip}`;
    },
    openwebmail: (t: number, ip: string, user = 'admin') =>
      `${at(t).ctime} - [72926] (${ip}) ${user} - login error - auth_unix.pl, ret -4, Password incorrect`,
    monitorix: (t: number, ip: string) => `${at(t).ctime} - AUTHERR - [${ip}] Authentication error: /monitorix/`,
    domino: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `${p.date} ${p.time}   smtp: ${user} [${ip}] authentication failure using internet password`;
    },
    hlds: (t: number, ip: string, pass = 'admin') => {
      const p = at(t);
      return `L ${p.mo}/${p.d}/${p.y} - ${p.time}: Bad Rcon: "rcon 1146003691 "${pass}" status" from "${ip}:57370"`;
    },
    mssql: (t: number, ip: string, user = 'sa') => {
      const p = at(t);
      return `${p.date} ${p.time}.${p.ms.slice(0, 2)} Logon       Login failed for user '${user}'. Reason: Password did not match that for the login provided. [CLIENT: ${ip}]`;
    },
    kerio: (t: number, ip: string, user = 'info@example.org') => {
      const p = at(t);
      const mon = new Date(start + t).toUTCString().slice(8, 11);
      return `[${p.d}/${mon}/${p.y} ${p.time}] SMTP: User ${user} doesn't exist. Attempt from IP address ${ip}.`;
    },
    znc: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `[${p.date} ${p.time}] [${user}] failed to login from ${ip}:65001`;
    },
    adguardhome: (t: number, ip: string) => {
      const p = at(t);
      return `${p.y}/${p.mo}/${p.d} ${p.time}.${p.ms}123 [error] POST ${ip} /control/login: invalid username or password`;
    },
    gitea: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `${p.y}/${p.mo}/${p.d} ${p.time} ...ers/web/auth/auth.go:200:SignInPost() [I] Failed authentication attempt for ${user} from ${ip.includes(':') ? `[${ip}]` : ip}:40112: user's password is invalid [uid: 1, name: ${user}]`;
    },
    'joplin-server': (t: number, ip: string, user = 'admin@example.org') => {
      const p = at(t);
      return `${p.date} ${p.time}: [error] App: 403: POST /api/sessions: ${ip}: Invalid username or password: ${JSON.stringify({ email: user })}`;
    },
    fireflyiii: (t: number, ip: string, user = 'admin@example.org') => {
      const p = at(t);
      return `[${p.date} ${p.time}] production.WARNING: AUDIT: Login failed. Attempt for user "${user}" failed. (${ip} -> POST:https://money.example.org/login)`;
    },
    'fireflyiii-mfa': (t: number, ip: string, user = 'admin@example.org') => {
      const p = at(t);
      return `[${p.date} ${p.time}] production.INFO: AUDIT: MFA failure count is set to 2. (${ip} (${user}) -> POST:https://money.example.org/two-factor/submit)`;
    },
    overseerr: (t: number, ip: string, user = 'admin@example.org') =>
      `${at(t).iso} [warn][API]: Failed sign-in attempt using invalid Overseerr password ${JSON.stringify({ ip: `::ffff:${ip}`, email: user })}`,
    jellyseerr: (t: number, ip: string, user = 'admin') =>
      `${at(t).iso} [info][Auth]: Failed login attempt from user with incorrect Jellyfin credentials ${JSON.stringify({ account: { ip, email: user, password: '__REDACTED__' } })}`,
    ombi: (t: number, ip: string) => {
      const p = at(t);
      return `${p.date} ${p.time}.${p.ms} +00:00 [Warning] Failed login attempt by IP: ${ip}`;
    },
    'vaultwarden-admin': (t: number, ip: string) => {
      const p = at(t);
      return `[${p.date} ${p.time}.${p.ms}][vaultwarden::api::admin][ERROR] Invalid admin token. IP: ${ip}`;
    },
    'vaultwarden-totp': (t: number, ip: string) => {
      const p = at(t);
      return `[${p.date} ${p.time}.${p.ms}][vaultwarden::api::core::two_factor::authenticator][ERROR] Invalid TOTP code! Server time: ${p.date} ${p.time} UTC IP: ${ip}`;
    },
    'grafana-10': (t: number, ip: string) =>
      `logger=context userId=0 orgId=0 uname= t=${at(t).iso} level=info msg=Unauthorized error="[password-auth.failed] failed to authenticate identity: [password-auth.invalid] invalid password" remote_addr=${ip} traceID=`,
    ispconfig: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `Failed login for user '${user}' from ${ip} at ${p.date} ${p.time}`;
    },
    romm: (t: number, ip: string) => {
      const p = at(t);
      return `INFO:     [RomM][nginx][${p.date} ${p.time}] 172.18.0.13 | ${ip} | POST /api/login 401 | 43 | Firefox | 0.008`;
    },
    'grafana-json': (t: number, ip: string) =>
      JSON.stringify({
        logger: 'context',
        userId: 0,
        orgId: 0,
        uname: '',
        t: at(t).iso,
        level: 'info',
        msg: 'Unauthorized',
        error:
          '[password-auth.failed] failed to authenticate identity: [identity.not-found] no user found: user not found',
        remote_addr: ip,
      }),
    'gitlab-json': (t: number, ip: string, user = 'root') =>
      JSON.stringify({
        method: 'POST',
        path: '/users/sign_in',
        format: 'html',
        controller: 'SessionsController',
        action: 'create',
        status: 0,
        time: at(t).iso,
        params: [
          { key: 'authenticity_token', value: '[FILTERED]' },
          { key: 'user', value: { login: user, password: '[FILTERED]', remember_me: '0' } },
        ],
        remote_ip: ip,
        ua: 'Mozilla/5.0',
      }),
    miniflux: (t: number, ip: string, user = 'admin') =>
      `miniflux  | time=${at(t).iso} level=WARN msg="Incorrect username or password" authentication_failed=true client_ip=${ip} user_agent="Mozilla/5.0 (X11; Linux x86_64)" username=${user} error="store: unable to find this user: ${user}"`,
    authelia: (t: number, ip: string, user = 'admin') =>
      // logrus quotes a value as Go's %q does: JSON.stringify's escapes for these characters.
      `time="${at(t).iso}" level=error msg=${JSON.stringify(`Unsuccessful 1FA authentication attempt by user '${user}': user not found`)} method=POST path=/api/firstfactor remote_ip=${ip} stack="..."`,
    'authelia-json': (t: number, ip: string, user = 'admin') =>
      JSON.stringify({
        error: 'user not found',
        level: 'error',
        method: 'POST',
        msg: `Error occurred getting details for user with username input '${user}' which usually indicates they do not exist`,
        path: '/api/firstfactor',
        remote_ip: ip,
        time: at(t).iso,
      }),
    authentik: (t: number, ip: string, user = 'admin') =>
      JSON.stringify({
        action: 'login_failed',
        auth_via: 'unauthenticated',
        client_ip: ip,
        context: { password: '********', username: user },
        event: 'Created Event',
        level: 'info',
        logger: 'authentik.events.models',
        timestamp: at(t).iso.slice(0, 23),
      }),
    'authentik-identifier': (t: number, ip: string, user = 'admin') =>
      JSON.stringify({
        action: 'invalid_identifier',
        client_ip: ip,
        event: 'invalid_login',
        identifier: user,
        level: 'info',
        logger: 'authentik.flows.stage',
        timestamp: at(t).iso.slice(0, 23),
      }),
    sftpgo: (t: number, ip: string, user = 'admin') =>
      JSON.stringify({
        level: 'debug',
        time: at(t).iso.slice(0, 23),
        sender: 'connection_failed',
        client_ip: ip,
        username: user,
        login_type: 'password',
        protocol: 'SSH',
        error: 'invalid credentials',
      }),
    baikal: (t: number, ip: string, user = 'admin') =>
      `[${at(t).ctime.slice(0, 8)}${at(t).d} ${at(t).time}.428126 ${at(t).y}] [proxy_fcgi:error] [pid 1178:tid 1397] [client ${ip}:55309] AH01071: Got error 'PHP message: user ${user} authentication failure for BaikalDAV', referer: https://dav.example.org/admin/`,
    bookstack: (t: number, ip: string, user = 'admin@example.org') => {
      const p = at(t);
      return `${p.y}/${p.mo}/${p.d} ${p.time} [error] 298#298: *1093 FastCGI sent in stderr: "PHP message: Failed login for ${user}" while reading response header from upstream, client: ${ip}, server: _, request: "POST /login HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "wiki.example.org", referrer: "https://wiki.example.org/login"`;
    },
    openvpn: (t: number, ip: string, user = 'alice') => {
      const p = at(t);
      return `${p.date} ${p.time} ${user}/${ip}:45321 TLS Auth Error: Auth Username/Password verification failed for peer`;
    },
  };
}
