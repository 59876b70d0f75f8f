/**
 * One failed login of each self-hosted application Leuko reads (src/parsers/webapps/self-hosted.ts),
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
    redmine: (t: number, ip: string, user = 'admin') => {
      const p = at(t);
      return `W, [${p.date}T${p.time}.245316 #1]  WARN -- : Failed login for '${user}' from ${ip} at ${p.date} ${p.time} UTC`;
    },
  };
}
