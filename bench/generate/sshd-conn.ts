import type { ActorLog } from './ground-truth.js';
import type { Rng } from './rng.js';

/**
 * OpenSSH message dialects. A server runs one version, but parsers meet all of them, so the
 * benchmark mixes them per connection: 7 (7.4: no port on `Invalid user`, `input_userauth_request`,
 * bare `Connection closed by IP`), 8 (8.x: `invalid user X` / `authenticating user X` in the
 * closing lines, `kex_exchange_identification`), 9 (9.0-9.7: `error:` prefixes, PAM
 * keyboard-interactive), 9.8 (the `sshd-session` process name; off by default because
 * fail2ban 1.0.2's filter predates it).
 */
export type SshDialect = '7' | '8' | '9' | '9.8';

export const DEFAULT_DIALECTS: readonly (readonly [SshDialect, number])[] = [
  ['7', 0.15],
  ['8', 0.45],
  ['9', 0.4],
];

/** Everything the sshd actors share. */
export interface SshdWorld {
  readonly rng: Rng;
  readonly host: string;
  readonly start: number;
  readonly spanMs: number;
  readonly dialects: readonly (readonly [SshDialect, number])[];
}

/** One TCP connection to sshd: its own pid and source port, lines a few ms apart. */
export interface SshConn {
  readonly ip: string;
  readonly port: number;
  readonly pid: number;
  readonly dialect: SshDialect;
  /** Time of the last line written (ms). */
  t: number;
  /** Write `msg` from this connection's sshd process, `gapMs` after the previous line. */
  say(msg: string, gapMs?: number): void;
  readonly newStyle: boolean;
}

export function openConn(world: SshdWorld, log: ActorLog, t: number, dialect?: SshDialect): SshConn {
  const { rng } = world;
  const d = dialect ?? rng.weighted(world.dialects);
  const pid = rng.int(1200, 4_194_000);
  const proc = d === '9.8' ? 'sshd-session' : 'sshd';
  const prefix = ` ${world.host} ${proc}[${pid}]: `;
  const conn: SshConn = {
    ip: log.ip,
    port: rng.int(1025, 65535),
    pid,
    dialect: d,
    t,
    newStyle: d !== '7',
    say(msg, gapMs) {
      conn.t += gapMs ?? rng.int(0, 40);
      log.emit(conn.t, '', prefix + msg);
    },
  };
  return conn;
}

/** `ip port N` as sshd prints it after `from`/`by`. */
const at = (c: SshConn): string => `${c.ip} port ${c.port}`;

/** The `invalid user X ` / `authenticating user X ` / `user X ` infix of OpenSSH >= 7.5/8.x lines. */
function who(c: SshConn, user: string | undefined, invalid: boolean, state: 'auth' | 'user'): string {
  if (!c.newStyle || user === undefined) return '';
  if (invalid) return `invalid user ${user} `;
  return state === 'auth' ? `authenticating user ${user} ` : `user ${user} `;
}

export const msg = {
  invalidUser: (c: SshConn, user: string): string =>
    c.newStyle ? `Invalid user ${user} from ${at(c)}` : `Invalid user ${user} from ${c.ip}`,
  inputUserauth: (user: string): string => `input_userauth_request: invalid user ${user} [preauth]`,
  pamUnknown: (): string => 'pam_unix(sshd:auth): check pass; user unknown',
  pamFailure: (c: SshConn, user?: string): string =>
    `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${c.ip}${user === undefined ? '' : `  user=${user}`}`,
  pamMore: (c: SshConn, n: number, user?: string): string =>
    `PAM ${n} more authentication failure${n === 1 ? '' : 's'}; logname= uid=0 euid=0 tty=ssh ruser= rhost=${c.ip}${user === undefined ? '' : `  user=${user}`}`,
  failed: (c: SshConn, method: string, user: string, invalid: boolean): string =>
    `Failed ${method} for ${invalid ? 'invalid user ' : ''}${user} from ${at(c)} ssh2`,
  pamError: (c: SshConn, user: string, invalid: boolean): string =>
    `error: PAM: Authentication failure for ${invalid ? 'illegal user ' : ''}${user} from ${c.ip}`,
  failedPublickey: (c: SshConn, user: string, keyType: string, fp: string): string =>
    `Failed publickey for ${user} from ${at(c)} ssh2: ${keyType} SHA256:${fp}`,
  maxAttempts: (c: SshConn, user: string, invalid: boolean): string =>
    `error: maximum authentication attempts exceeded for ${invalid ? 'invalid user ' : ''}${user} from ${at(c)} ssh2 [preauth]`,
  tooMany: (c: SshConn, user: string, invalid: boolean): string =>
    c.newStyle
      ? `Disconnecting ${who(c, user, invalid, 'auth')}${at(c)}: Too many authentication failures [preauth]`
      : 'Disconnecting: Too many authentication failures [preauth]',
  receivedBye: (c: SshConn, reason: string): string => `Received disconnect from ${at(c)}:11: ${reason} [preauth]`,
  disconnectedPre: (c: SshConn, user?: string, invalid = false): string =>
    `Disconnected from ${who(c, user, invalid, 'auth')}${at(c)} [preauth]`,
  closedPre: (c: SshConn, user?: string, invalid = false): string =>
    `Connection closed by ${who(c, user, invalid, 'auth')}${at(c)} [preauth]`,
  resetPre: (c: SshConn, user?: string, invalid = false): string =>
    `Connection reset by ${who(c, user, invalid, 'auth')}${at(c)} [preauth]`,
  accepted: (c: SshConn, method: string, user: string, key?: string): string =>
    `Accepted ${method} for ${user} from ${at(c)} ssh2${key === undefined ? '' : `: ${key}`}`,
  sessionOpened: (c: SshConn, user: string, uid: number): string =>
    c.newStyle
      ? `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`
      : `pam_unix(sshd:session): session opened for user ${user} by (uid=0)`,
  sessionClosed: (user: string): string => `pam_unix(sshd:session): session closed for user ${user}`,
  receivedByUser: (c: SshConn): string => `Received disconnect from ${at(c)}:11: disconnected by user`,
  disconnectedUser: (c: SshConn, user: string): string => `Disconnected from ${who(c, user, false, 'user')}${at(c)}`,
  noIdent: (c: SshConn): string => `Did not receive identification string from ${at(c)}`,
  kexClosed: (c: SshConn): string =>
    `${c.dialect === '8' ? '' : 'error: '}kex_exchange_identification: Connection closed by remote host`,
  closedPlain: (c: SshConn): string => `Connection closed by ${at(c)}`,
  unableNegotiate: (c: SshConn, what: string, offer: string): string =>
    `Unable to negotiate with ${at(c)}: no matching ${what} found. Their offer: ${offer} [preauth]`,
  bannerInvalid: (c: SshConn): string => `banner exchange: Connection from ${at(c)}: invalid format`,
};
