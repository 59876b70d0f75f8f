import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { isoAt, type LocalTime } from '../shared/time.js';
import { guacamoleClient } from './guacamole.js';
import { parseLogfmt } from './logfmt.js';
import { webLoginFailure } from './logins.js';

/**
 * Failed logins (and the successful ones where the same record writes them) of self-hosted
 * applications that write one line per refusal in their own log:
 * Webmin (its action log), HestiaCP, Redmine, Uptime Kuma and Dockge, Technitium DNS, Stirling-PDF,
 * SABnzbd, qBittorrent, Immich, Jellyfin, Emby, Paperless-ngx, Calibre-Web, Mealie, TheHive, Mailu's admin,
 * ZoneMinder, Apereo CAS, Sonarr/Radarr and the other *arr applications, Centreon, DirectAdmin,
 * Group-Office, ZNC, SquirrelMail (squirrel_logger), Tine 2.0, SoftEther VPN, Gitea, AdGuard Home, Joplin
 * Server, Firefly III, Overseerr/Jellyseerr, ISPConfig and RomM; below the table,
 * Audiobookshelf's JSON and Navidrome's logfmt. Each reader checks its fixed words first (cheap: `auto` tries them on lines of
 * every log) and takes the address from a place the client's own text cannot reach: before the
 * user name, or last on the line after fixed words with the user name read greedily before it.
 */
interface AppLogin {
  readonly dataset: string;
  /** The line's first character: a digit (0), `[`, `(`, `W`, `E`, `F` or `I`; `x` a hex digit (0-9, a-f). */
  readonly first: '0' | '[' | '(' | 'W' | 'E' | 'F' | 'I' | 'x';
  /** Not a web login (an IRC bouncer, a VPN): plain authentication. */
  readonly service?: true;
  /** Fixed words at fixed places (or the line's end), tested before the pattern. */
  readonly head: (line: string) => boolean;
  /**
   * Groups: `time`, `ip` (or, when the line has no `ip`, `peer`) and, when the line names it, `user`;
   * `ok` set marks a successful login.
   */
  readonly pattern: RegExp;
  /** Epoch ms of the `time` group; undefined when it does not read. */
  readonly time: (text: string, local: LocalTime) => number | undefined;
  /** `event.action` when the record is not a plain refused login (a limiter's refusal). */
  readonly action?: string;
  /**
   * The text that leads the address, when the client's text can also follow it (a reason that
   * repeats the user name): found more than once, the line is ambiguous and dropped.
   */
  readonly once?: RegExp;
  /** The client from the groups when it is not `ip` itself (a forwarded list); undefined: drop the line. */
  readonly client?: (g: Record<string, string | undefined>) => string | undefined;
}

const iso = (text: string, local: LocalTime): number | undefined => isoAt(text, 0, local)?.[0];
/** `2025-07-28 05:34:01 UTC` and other ISO forms with a zone name after a space. */
const isoUtc = (text: string, local: LocalTime): number | undefined =>
  text.endsWith(' UTC') ? isoAt(`${text.slice(0, -4)}Z`, 0, local)?.[0] : iso(text, local);
/** Webmin's `1690466804.2161960.0`: epoch seconds, then its pid and a counter. */
const epochSeconds = (text: string): number | undefined => {
  const s = Number(text.slice(0, text.indexOf('.')));
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
};
/** Immich's `08/02/2023, 7:32:47 PM` (month first, 12-hour clock, local). */
const usDateTime = (text: string, local: LocalTime): number | undefined => {
  const m = /^(\d\d)\/(\d\d)\/(\d{4}), (\d{1,2}):(\d\d):(\d\d) ([AP])M$/.exec(text);
  if (m === null) return undefined;
  const h = (Number(m[4]) % 12) + (m[7] === 'P' ? 12 : 0);
  return local(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6]), 0);
};
/**
 * ZoneMinder's `01/25/22 16:08:02.393003`, or with PHP 8's formatting `12/17/22, 10:31:29 PM
 * MST.557710` (month first, two-digit year; read as local time: zone abbreviations are ambiguous).
 */
const zmDateTime = (text: string, local: LocalTime): number | undefined => {
  const m =
    /^(\d\d)\/(\d\d)\/(\d\d)(?:, (\d{1,2}):(\d\d):(\d\d) ([AP])M [A-Z]+| (\d\d):(\d\d):(\d\d))(?:\.(\d+))?$/.exec(text);
  if (m === null) return undefined;
  const h = m[4] === undefined ? Number(m[8]) : (Number(m[4]) % 12) + (m[7] === 'P' ? 12 : 0);
  const mi = Number(m[5] ?? m[9]);
  const s = Number(m[6] ?? m[10]);
  const ms = m[11] === undefined ? 0 : Math.floor(Number(`0.${m[11]}`) * 1000);
  return local(2000 + Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, mi, s, ms);
};

/** DirectAdmin's `2014:07:02-00:17:45` (local). */
const colonDate = (text: string, local: LocalTime): number | undefined =>
  iso(`${text.slice(0, 4)}-${text.slice(5, 7)}-${text.slice(8, 10)} ${text.slice(11)}`, local);
/** SquirrelMail's squirrel_logger `10/06/2013 15:50:41` (month first, local). */
const usDate = (text: string, local: LocalTime): number | undefined =>
  iso(`${text.slice(6, 10)}-${text.slice(0, 2)}-${text.slice(3, 5)} ${text.slice(11)}`, local);

/** Whether `words` follow the first space after `from` (a level word's end, say). */
const afterSpace = (line: string, from: number, words: string): boolean => {
  const sp = line.indexOf(' ', from);
  return sp > 0 && sp < from + 12 && line.startsWith(words, sp);
};

/** IP-ish text (no space, bracket or quote): what the `ip` groups accept. */
const IP = String.raw`[0-9A-Fa-f:.]+`;

/** SoftEther VPN's refused user, in its security log and through syslog. */
export const SOFTETHER_FAILED = String.raw`Connection "[^"]*": User authentication failed\. The user name that has been provided was "(?<user>.*)", from (?<ip>${IP})\.`;
/** ZNC's logins (its adminlog module), in its own file and through syslog: the address ends the line. */
export const ZNC_LOGIN = String.raw`\[(?<user>.*)\] (?:failed to login|(?<ok>connected to ZNC)) from (?<ip>${IP})`;

/** SABnzbd's `...,797::WARNING::[interface:657] Unsuccessful login attempt from `. */
const afterColons = (line: string): boolean =>
  line.startsWith('::WARNING::[interface:', 23) && line.includes('] Unsuccessful login attempt from ', 45);

const APPS: readonly AppLogin[] = [
  {
    // ISPConfig's auth log: `Failed login for user 'U' from ADDR at 2026-01-21 07:33:27` (the name read greedily
    // before the address and the time that end the line).
    dataset: 'ispconfig',
    first: 'F',
    head: (l) => l.startsWith("Failed login for user '") && l.charCodeAt(l.length - 20) === 32,
    pattern: new RegExp(
      String.raw`^Failed login for user '(?<user>.*)' from (?<ip>${IP}) at (?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$`,
    ),
    time: iso,
  },
  {
    // RomM's nginx: `INFO:     [RomM][nginx][2026-09-28 23:25:53] PEER | X-FORWARDED-FOR | POST /api/login 401 | ...`.
    // The forwarded header is the client's text unless the peer is a proxy in front (an internal address), whose entry
    // is the list's last: the client as for Guacamole's lists; an unreadable list drops the line.
    dataset: 'romm',
    first: 'I',
    head: (l) => l.startsWith('INFO:     [RomM][nginx][') && l.includes(' | POST /api/login 401 | '),
    pattern: new RegExp(
      String.raw`^INFO: +\[RomM\]\[nginx\]\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\] (?<peer>${IP}) \| (?<xff>[^|]*?) \| POST /api/login 401 \| `,
    ),
    time: iso,
    client: (g) => {
      const xff = g.xff!.trim();
      return xff === '' || xff === '-' ? g.peer : guacamoleClient(`[${xff}, ${g.peer}]`);
    },
  },
  {
    // Gitea (and Forgejo): `2022/03/01 12:57:58 ...ers/web/auth/auth.go:200:SignInPost() [I] [REQID ]Failed authentication
    // attempt for U from ADDR:PORT: REASON`; REASON can repeat the name (`user does not exist [uid: 0, name: U]`), so a
    // second ` from ADDR:PORT: ` anywhere drops the line.
    dataset: 'gitea',
    first: '0',
    head: (l) =>
      l.charCodeAt(4) === 47 &&
      l.charCodeAt(19) === 32 &&
      l.includes('() [I] ') &&
      l.includes(' Failed authentication attempt for '),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \S+:\d+:\w+\(\) \[I\] (?:\[[0-9a-f-]+\] )?Failed authentication attempt for (?<user>.*) from (?<ip>\[?${IP}\]?:\d+): `,
    ),
    time: (text, local) => iso(text.replaceAll('/', '-'), local),
    once: new RegExp(String.raw` from \[?${IP}\]?:\d+: `, 'g'),
  },
  {
    // AdGuard Home's web UI: `2023/02/21 08:05:56.233208 [error] POST ADDR /control/login: invalid username or password`
    // (the method and client before the path; a refusal, never the client's text, after it).
    // Since 0.107.44 behind a trusted proxy: `POST PEER /control/login: from ip ADDR: invalid ...`, AdGuard's own
    // reading of the forwarded client (its trusted_proxies).
    dataset: 'adguardhome',
    first: '0',
    head: (l) => l.charCodeAt(4) === 47 && l.charCodeAt(19) === 46 && l.includes(' /control/login: '),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)?) \[\w+\] POST (?<peer>${IP}) /control/login: (?:from ip (?<ip>${IP}): )?invalid username or password$`,
    ),
    time: (text, local) => iso(text.replaceAll('/', '-'), local),
  },
  {
    // Joplin Server: `2023-09-23 10:33:45: [error] App: 403: POST /api/sessions: ADDR: Invalid username or password: {"email":"U"}`.
    dataset: 'joplin-server',
    first: '0',
    head: (l) => l.charCodeAt(19) === 58 && l.startsWith(': [error] App: 403: POST /api/sessions: ', 19),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d): \[error\] App: 403: POST /api/sessions: (?<ip>${IP}): Invalid username or password(?:: \{"email":"(?<user>.*)"\})?$`,
    ),
    time: iso,
  },
  {
    // Firefly III's audit lines in its Laravel log: `[2026-02-05 12:34:56] local.WARNING: AUDIT: Login failed. Attempt
    // for user "U" failed. (ADDR -> POST:URL)`; the URL has no space, so the user name (read greedily) cannot stand in
    // for the last parenthesis.
    dataset: 'fireflyiii',
    first: '[',
    head: (l) => l.charCodeAt(20) === 93 && l.includes('.WARNING: AUDIT: Login failed. Attempt for user "'),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\] \w+\.WARNING: AUDIT: Login failed\. Attempt for user "(?<user>.*)" failed\. \((?<ip>${IP}) -> [A-Z]+:\S+\)$`,
    ),
    time: iso,
  },
  {
    // Firefly III's second factor refused: `[...] local.INFO: AUDIT: MFA failure count is set to 1. (ADDR (U) -> POST:URL)`:
    // the address comes before the user name.
    dataset: 'fireflyiii',
    first: '[',
    head: (l) => l.charCodeAt(20) === 93 && l.includes(': AUDIT: MFA failure count is set to '),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\] \w+\.\w+: AUDIT: MFA failure count is set to \d+\. \((?<ip>${IP}) \((?<user>.*)\) -> [A-Z]+:\S+\)$`,
    ),
    time: iso,
  },
  {
    // Overseerr and Jellyseerr: `2022-06-20T09:52:17.637Z [warn][API]: Failed sign-in attempt using invalid Overseerr password
    // {"ip":"ADDR","email":"U"}` (or `[info][Auth]: Failed login attempt from user with incorrect Jellyfin credentials
    // {"account":{"ip":...}}`): the address is the first key of the JSON after the fixed message; the name, a JSON
    // string, follows it.
    dataset: 'overseerr',
    first: '0',
    head: (l) =>
      l.charCodeAt(10) === 84 &&
      (l.includes(']: Failed sign-in attempt ') || l.includes(']: Failed login attempt from user ')),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) \[\w+\]\[\w+\]: Failed (?:sign-in|login) attempt [\w -]+ \{(?:"account":\{)?"ip":"(?<ip>${IP})","email":"(?<user>(?:[^"\\]|\\.)*)"`,
    ),
    time: iso,
  },
  {
    // Webmin's action log (/var/webmin/webmin.log): `1690466804.2161960.0 [27/Jul/2023 16:06:44] USER - ADDR global miniserv.pl "failed" "-" "REASON"`.
    dataset: 'webmin',
    first: '0',
    head: (l) => l.charCodeAt(10) === 46 && l.endsWith('"') && l.includes(' global miniserv.pl "failed" "-" "'),
    pattern: new RegExp(
      String.raw`^(?<time>\d{9,11}\.\d+\.\d+) \[[^\]]*\] (?<user>.*) - (?<ip>${IP}) global miniserv\.pl "failed" "-" "[a-z]+"$`,
    ),
    time: epochSeconds,
  },
  {
    // HestiaCP's auth.log: `2025-01-22 01:26:30 USER ADDR failed to login`.
    dataset: 'hestiacp',
    first: '0',
    head: (l) => l.charCodeAt(10) === 32 && l.endsWith(' failed to login'),
    pattern: new RegExp(String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?<user>.*) (?<ip>${IP}) failed to login$`),
    time: iso,
  },
  {
    // Uptime Kuma and Dockge: `2022-04-25T15:08:29.098Z [AUTH] WARN: Incorrect username or password for user U. IP=ADDR`.
    dataset: 'uptime-kuma',
    first: '0',
    head: (l) => l.charCodeAt(10) === 84 && afterSpace(l, 19, ' [AUTH] WARN: '),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?) \[AUTH\] WARN: (?:Incorrect username or password|Invalid token provided) for user (?<user>.*)\. IP=(?<ip>${IP})$`,
    ),
    time: iso,
  },
  {
    // Stirling-PDF: `2024-10-10 12:59:53,237 ERROR s.s.S.c.s.CustomAuthenticationFailureHandler [T] Failed login attempt from IP: [ADDR]`.
    dataset: 'stirling-pdf',
    first: '0',
    head: (l) => l.charCodeAt(19) === 44 && l.includes('CustomAuthenticationFailureHandler ['),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) \w+ +\S*CustomAuthenticationFailureHandler \[[^\]]*\] Failed login attempt from IP: \[?(?<ip>${IP})\]?(?: for user: (?<user>.*))?$`,
    ),
    time: iso,
  },
  {
    // SABnzbd: `2024-07-20 12:27:52,797::WARNING::[interface:657] Unsuccessful login attempt from ADDR [AGENT]`;
    // an X-Forwarded-For list after the address is the client's text.
    dataset: 'sabnzbd',
    first: '0',
    head: (l) => l.charCodeAt(19) === 44 && afterColons(l),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)::WARNING::\[interface:\d+\] Unsuccessful login attempt from (?<ip>${IP})(?: |$)`,
    ),
    time: iso,
  },
  {
    // Emby: `2022-02-14 18:01:07.092 Warn Server: AUTH-ERROR: ADDR - Invalid username or password entered.`.
    dataset: 'emby',
    first: '0',
    head: (l) => l.charCodeAt(10) === 32 && l.includes(' Server: AUTH-ERROR: '),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) \w+ Server: AUTH-ERROR: (?<ip>${IP}) - `,
    ),
    time: iso,
  },
  {
    // ZoneMinder: `01/25/22 16:08:02.393003 web_php[118770].ERR [ADDR] [Could not retrieve user U details] at ...auth.php line 313`,
    // and `[Login denied for user "U"]`.
    dataset: 'zoneminder',
    first: '0',
    head: (l) => l.charCodeAt(2) === 47 && l.charCodeAt(5) === 47 && l.includes(' web_php['),
    pattern: new RegExp(
      String.raw`^(?<time>\d\d/\d\d/\d\d(?:, \d{1,2}:\d\d:\d\d [AP]M [A-Z]+| \d\d:\d\d:\d\d)(?:\.\d+)?) web_php\[\d+\]\.\w+ \[(?<ip>${IP})\] \[(?:Could not retrieve user (?<user>.*) details|Login denied for user "(?<denied>.*)")\] at \S+ line \d+$`,
    ),
    time: zmDateTime,
  },
  {
    // Technitium DNS: `[2025-07-28 05:34:01 UTC] [ADDR:PORT] DnsServerCore.DnsWebServiceException: Invalid username or password for user: U`.
    dataset: 'technitium',
    first: '[',
    head: (l) => l.includes('] DnsServerCore.DnsWebServiceException: Invalid username or password'),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?: UTC)?)\] \[(?<ip>\[?${IP}\]?:\d+)\] DnsServerCore\.DnsWebServiceException: Invalid username or password for user: (?<user>.*)$`,
    ),
    time: isoUtc,
  },
  {
    // Jellyfin: `[2023-02-12 12:16:05.729 +01:00] [INF] [79] Jellyfin.Server.Implementations.Users.UserManager: Authentication request for "U" has been denied (IP: "ADDR").`.
    dataset: 'jellyfin',
    first: '[',
    head: (l) => l.includes('.UserManager: Authentication request for "'),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? ?(?:Z|[+-]\d\d:?\d\d)?)\] \[\w+\] \[\d+\] [\w.]+\.UserManager: Authentication request for "(?<user>.*)" has been denied \(IP: "(?<ip>${IP})"\)\.$`,
    ),
    time: (text, local) => iso(text.replace(/ ([+-]\d\d:?\d\d)$/, '$1'), local),
  },
  {
    // Paperless-ngx: `[2023-06-30 15:17:36,332] [INFO] [paperless.auth] Login failed for user `U` from [private ]IP `ADDR`.`.
    dataset: 'paperless-ngx',
    first: '[',
    head: (l) => l.includes('] [paperless.auth] Login failed for user `'),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)\] \[\w+\] \[paperless\.auth\] Login failed for user \x60(?<user>.*)\x60 from (?:private )?IP \x60(?<ip>${IP}?)\.?\x60\.?$`,
    ),
    time: iso,
  },
  {
    // Mailu's admin (Flask): `[2023-03-28 03:09:25,112] WARNING in limiter: Authentication attempt from ADDR
    // [for U ]has been rate-limited.`: its limiter refusing an address (or an account from it) that
    // failed too often, a verdict rather than one attempt.
    dataset: 'mailu',
    first: '[',
    head: (l) => l.startsWith('] WARNING in limiter: Authentication attempt from ', 24),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)\] WARNING in limiter: Authentication attempt from (?<ip>${IP})(?: for (?<user>.*))? has been rate-limited\.$`,
    ),
    time: iso,
    action: 'auth_rate_limited',
  },
  {
    // Calibre-Web: `[2025-07-17 13:17:11,562]  WARN {cps.web:1475} Login failed for user "U" IP-address: ADDR`.
    dataset: 'calibre-web',
    first: '[',
    head: (l) => l.includes('} Login failed for user "'),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)\] +\w+ \{cps\.web:\d+\} Login failed for user "(?<user>.*)" IP-address: (?<ip>${IP})$`,
    ),
    time: iso,
  },
  {
    // Immich: `[Nest] 7  - 08/02/2023, 7:32:47 PM    WARN [AuthService] Failed login attempt for user U from ip address ADDR`.
    dataset: 'immich',
    first: '[',
    head: (l) => l.startsWith('[Nest] ') && l.includes('[AuthService] Failed login attempt for user '),
    pattern: new RegExp(
      String.raw`^\[Nest\] \d+ +- (?<time>\d\d/\d\d/\d{4}, \d{1,2}:\d\d:\d\d [AP]M) +\w+ \[AuthService\] Failed login attempt for user (?<user>.*) from ip address (?<ip>${IP})$`,
    ),
    time: usDateTime,
  },
  {
    // TheHive: `[info] o.t.s.AccessLogFilter [ids] ADDR POST /api/v1/login took 8ms and returned 401 65 bytes`.
    dataset: 'thehive',
    first: '[',
    head: (l) => l.startsWith('[info] o.t.s.AccessLogFilter [') && l.includes('/login took '),
    pattern: new RegExp(
      String.raw`^\[info\] o\.t\.s\.AccessLogFilter \[[^\]]*\] (?<ip>${IP}) POST /api(?:/v\d)?/login took \d+ms and returned 401 \d+ bytes$`,
    ),
    // No time on the line: the clock's.
    time: () => undefined,
  },
  {
    // Mealie: `[ERROR|auth|L83] 2025-07-16T19:43:16: Incorrect username or password from ADDR`.
    dataset: 'mealie',
    first: '[',
    head: (l) => l.includes('|auth|L') && l.includes(' Incorrect username or password from '),
    pattern: new RegExp(
      String.raw`^\[\w+\|auth\|L\d+\] (?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d): Incorrect username or password from (?<ip>${IP})$`,
    ),
    time: iso,
  },
  {
    // Mealie's console format: `ERROR    2025-07-16T20:12:38 - Incorrect username or password from ADDR`.
    dataset: 'mealie',
    first: 'E',
    head: (l) => l.startsWith('ERROR ') && l.includes(' - Incorrect username or password from '),
    pattern: new RegExp(
      String.raw`^ERROR +(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d) - Incorrect username or password from (?<ip>${IP})$`,
    ),
    time: iso,
  },
  {
    // qBittorrent: `(W) 2024-11-26T13:37:02 - WebAPI login failure. Reason: invalid credentials, attempt count: 1, IP: ADDR, username: U`.
    dataset: 'qbittorrent',
    first: '(',
    head: (l) => l.startsWith('(W) ') && l.includes(' - WebAPI login failure. '),
    pattern: new RegExp(
      String.raw`^\(W\) (?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d) - WebAPI login failure\. Reason: [^,]*(?:, attempt count: \d+)?, IP: (?<ip>${IP})(?:, username: (?<user>.*))?$`,
    ),
    time: iso,
  },
  {
    // Apereo CAS's audit trail: `2021-10-11 09:01:35,116 INFO [org.apereo.inspektr.audit.support.Slf4jLoggingAuditTrailManager] -
    // WHEN|APP|WHAT|AUTHENTICATION_FAILED|U|CLIENT|SERVER`. WHAT repeats the credentials the client
    // sent: the fields are read from the end.
    dataset: 'apereo-cas',
    first: '0',
    head: (l) => l.charCodeAt(19) === 44 && l.includes('|AUTHENTICATION_FAILED|'),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) \w+ +\[org\.apereo\.inspektr\.audit\.support\.\w+\] - .*\|AUTHENTICATION_FAILED\|(?<user>.*)\|(?<ip>${IP})\|[0-9A-Fa-f:.]+$`,
    ),
    time: iso,
  },
  {
    // Sonarr, Radarr and the other *arr applications' own log: `2021-10-09 11:55:12.5|Warn|Auth|Auth-Failure ip ADDR username 'U'`.
    dataset: 'arr',
    first: '0',
    head: (l) => l.charCodeAt(10) === 32 && l.includes('|Auth|Auth-Failure ip '),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\|Warn\|Auth\|Auth-Failure ip (?<ip>${IP}) username '(?<user>.*)'$`,
    ),
    time: iso,
  },
  {
    // Redmine (Ruby Logger): `W, [2023-03-13T09:25:23.245316 #1]  WARN -- : Failed login for 'U' from ADDR at 2023-03-13 09:25:23 UTC`.
    dataset: 'redmine',
    first: 'W',
    head: (l) => l.startsWith('W, [') && l.includes(' -- : Failed login for '),
    pattern: new RegExp(
      String.raw`^W, \[(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?) #\d+\] +WARN -- : Failed login for '(?<user>.*)' from (?<ip>${IP}) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$`,
    ),
    time: iso,
  },
  {
    // Centreon's login.log: `2019-10-21 18:55:15|-1|0|0|[WEB] [ADDR] Authentication failed for 'U' : password mismatch`
    // (the source, then the client, before the name), `Authentication succeeded for 'U'`.
    dataset: 'centreon',
    first: '0',
    head: (l) => l.charCodeAt(19) === 124 && l.includes('] Authentication '),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\|-?\d+\|-?\d+\|-?\d+\|\[[^\]]*\] \[(?<ip>${IP})\] Authentication (?:failed|(?<ok>succeeded)) for '(?<user>.*)'(?: : [^']*)?$`,
    ),
    time: iso,
  },
  {
    // DirectAdmin's login.log: `2014:07:02-13:07:40: 'ADDR' 13 failed login attempts. Account 'U'` (or `Invalid
    // account 'U'`, `... via 'RESELLER'`), `'ADDR' successful login to 'U' after 1 attempts`.
    dataset: 'directadmin',
    first: '0',
    head: (l) => l.charCodeAt(4) === 58 && l.charCodeAt(10) === 45 && l.startsWith(": '", 19),
    pattern: new RegExp(
      String.raw`^(?<time>\d{4}:\d\d:\d\d-\d\d:\d\d:\d\d): '(?<ip>${IP})' (?:\d+ failed login attempts?\. (?:Invalid account|Account) '(?<user>.*?)'(?: via '[^']*')?|(?<ok>successful) login to '(?<okuser>.*)' after \d+ attempts?)$`,
    ),
    time: colonDate,
  },
  {
    // SquirrelMail's squirrel_logger plugin: `10/06/2013 15:50:41 [LOGIN_ERROR] U (DOMAIN) from ADDR: Unknown user or
    // password incorrect.`; the fixed message after the address ends the line.
    dataset: 'squirrelmail',
    first: '0',
    head: (l) => l.charCodeAt(2) === 47 && l.charCodeAt(10) === 32 && l.startsWith(' [LOGIN_ERROR] ', 19),
    pattern: new RegExp(
      String.raw`^(?<time>\d\d/\d\d/\d{4} \d\d:\d\d:\d\d) \[LOGIN_ERROR\] (?<user>.*) \([^()\s]*\) from (?<ip>${IP}): Unknown user or password incorrect\.$`,
    ),
    time: usDate,
  },
  {
    // SoftEther VPN's security log (security_log/HUB/sec_*.log): `2020-05-12 10:53:19.781 Connection "CID-72": User
    // authentication failed. The user name that has been provided was "U", from ADDR.`
    dataset: 'softethervpn',
    first: '0',
    service: true,
    head: (l) => l.charCodeAt(19) === 46 && l.startsWith(' Connection "', 23),
    pattern: new RegExp(String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) ${SOFTETHER_FAILED}$`),
    time: iso,
  },
  {
    // Tine 2.0: `78017 00cff -- none -- - 2014-01-13T05:02:22+00:00 WARN (4): Tinebase_Controller::login::106 Login with
    // username U from ADDR failed (-1)!` (two 5-digit hex ids first).
    dataset: 'tine20',
    first: 'x',
    head: (l) => l.charCodeAt(5) === 32 && l.includes(' Tinebase_Controller::login::'),
    pattern: new RegExp(
      String.raw`^[0-9a-f]{5} [0-9a-f]{5} .*? - (?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:?\d\d)?) WARN \(4\): Tinebase_Controller::login::\d+ Login with username (?<user>.*) from (?<ip>${IP}) failed \(-?\d+\)!$`,
    ),
    time: iso,
  },
  {
    // Group-Office: `[2014-01-06 10:59:38]LOGIN FAILED for user: "U" from IP: ADDR`, `LOGIN SUCCESS` likewise.
    dataset: 'groupoffice',
    first: '[',
    head: (l) => l.charCodeAt(20) === 93 && l.startsWith('LOGIN ', 21),
    pattern: new RegExp(
      String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\]LOGIN (?:FAILED|(?<ok>SUCCESS)) for user: "(?<user>.*)" from IP: (?<ip>${IP})$`,
    ),
    time: iso,
  },
  {
    // ZNC's adminlog module: `[2018-10-27 01:40:55] [U] failed to login from ADDR[:PORT]`, `[U] connected to ZNC from ADDR`.
    dataset: 'znc',
    first: '[',
    service: true,
    head: (l) =>
      l.charCodeAt(20) === 93 &&
      l.startsWith(' [', 21) &&
      (l.includes('] failed to login from ') || l.includes('] connected to ZNC from ')),
    pattern: new RegExp(String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\] ${ZNC_LOGIN}$`),
    time: iso,
  },
];

const BY_FIRST = new Map<string, AppLogin[]>();
const add = (key: string, app: AppLogin): void => {
  BY_FIRST.set(key, [...(BY_FIRST.get(key) ?? []), app]);
};
for (const app of APPS) {
  if (app.first !== 'x') add(app.first, app);
  else for (const key of ['0', 'a', 'b', 'c', 'd', 'e', 'f']) add(key, app);
}

/** A login of `app` into `ev`: a failure, or a success when the line says so (`ok`). */
function appLogin(ev: EcsEvent, app: AppLogin, g: Record<string, string | undefined>): boolean {
  const user = g.user ?? g.denied ?? g.okuser;
  const client = app.client === undefined ? (g.ip ?? g.peer) : app.client(g);
  if (client === undefined || !webLoginFailure(ev, client, user, true)) return false;
  if (g.ok !== undefined) {
    ev['event.action'] = app.service === true ? 'login' : 'web_login';
    ev['event.outcome'] = 'success';
  } else if (app.service === true) ev['event.action'] = 'login_failure';
  if (app.service === true) ev['event.category'] = AUTHENTICATION;
  return true;
}

/**
 * A login record of one of these applications' logs; null when its address does not read as one
 * (dropped); undefined for any other line.
 */
export function selfHostedLoginLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const c = line.charCodeAt(0);
  const apps = c >= 48 && c <= 57 ? BY_FIRST.get('0') : BY_FIRST.get(line[0] ?? '');
  if (apps === undefined) return undefined;
  for (const app of apps) {
    if (!app.head(line)) continue;
    const m = app.pattern.exec(line);
    if (m === null) return undefined;
    if (app.once !== undefined && (line.match(app.once)?.length ?? 0) > 1) return null;
    const g = m.groups!;
    const stamp = g.time;
    const at = stamp === undefined ? undefined : app.time(stamp, stream.local);
    const time = at === undefined || !Number.isFinite(at) ? stream.ctx.clock.now() : at;
    const ev = stream.event(line, time, app.dataset);
    if (!appLogin(ev, app, g)) return null;
    if (app.action !== undefined) ev['event.action'] = app.action;
    return stream.done(ev, time);
  }
  return undefined;
}

/** Audiobookshelf's JSON log: `[Auth] Failed login attempt for username "U" from ip ADDR (REASON)`. */
const AUDIOBOOKSHELF = new RegExp(
  String.raw`^\[Auth\] Failed login attempt for username "(?<user>.*)" from ip (?<ip>${IP}) \((?:Invalid password|User not found|[A-Za-z ]+)\)$`,
);

/** A failed login of a self-hosted application's JSON log (Audiobookshelf); undefined when none. */
export function selfHostedJsonEvent(
  stream: Stream,
  line: string,
  doc: Record<string, unknown>,
): ParsedLine | undefined {
  const msg = doc.message;
  if (typeof msg !== 'string' || typeof doc.source !== 'string' || !msg.startsWith('[Auth] Failed login'))
    return undefined;
  const m = AUDIOBOOKSHELF.exec(msg);
  if (m === null) return undefined;
  const at = typeof doc.timestamp === 'string' ? isoAt(doc.timestamp, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'audiobookshelf');
  return webLoginFailure(ev, m.groups!.ip!, m.groups!.user, true) ? stream.done(ev, time) : undefined;
}

/**
 * Navidrome's request log (logfmt): a POST to `/auth/login` answered 401, the client in its own
 * `remoteAddr` key. null when that record's address does not read (dropped), undefined for any
 * other line.
 */
export function navidromeLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (!line.startsWith('time="') || !line.includes(' httpStatus=401 ')) return undefined;
  const f = parseLogfmt(line);
  const msg = f?.get('msg');
  if (f === undefined || msg === undefined || !/^HTTP: POST \S*\/auth\/login$/.test(msg)) return undefined;
  const t = f.get('time');
  const at = t === undefined ? undefined : isoAt(t, 0, stream.local);
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'navidrome');
  const addr = f.get('remoteAddr');
  return addr !== undefined && webLoginFailure(ev, addr, undefined, true) ? stream.done(ev, time) : null;
}
