import { normalizeIp, toPort } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

const REMOTE = ' remote host [';

/** NT status codes of a logon refused for the client's credentials, by what they say. */
const UNKNOWN_USER = new Set(['NT_STATUS_NO_SUCH_USER']);
const BAD_CREDENTIALS = new Set([
  'NT_STATUS_WRONG_PASSWORD',
  'NT_STATUS_LOGON_FAILURE',
  'NT_STATUS_ACCOUNT_LOCKED_OUT',
  'NT_STATUS_ACCOUNT_DISABLED',
  'NT_STATUS_PASSWORD_EXPIRED',
  'NT_STATUS_PASSWORD_MUST_CHANGE',
  'NT_STATUS_INVALID_LOGON_HOURS',
  'NT_STATUS_INVALID_WORKSTATION',
  'NT_STATUS_ACCOUNT_RESTRICTION',
]);

/** `ipv4:192.0.2.7:62419`, `ipv6:2001:db8::7:445`: the address before the last colon. */
function remoteAddress(text: string): { ip: string; port: number | undefined } | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const family = text.slice(0, colon);
  if (family !== 'ipv4' && family !== 'ipv6') return undefined;
  const rest = text.slice(colon + 1);
  const last = rest.lastIndexOf(':');
  const ip = normalizeIp(last < 0 ? rest : rest.slice(0, last));
  if (ip === undefined) return undefined;
  return { ip, port: last < 0 ? undefined : toPort(rest.slice(last + 1)) };
}

/**
 * Samba's authentication audit (`log level = 1 auth_audit:3`, on by default for failures):
 *
 *   Auth: [SMB2,(null)] user [DOMAIN]\[toto] at [Fri, 24 Sep 2021 10:04:52.030937 UTC] with
 *   [NTLMv2] status [NT_STATUS_NO_SUCH_USER] workstation [WS] remote host [ipv4:1.2.3.4:62419]
 *   mapped to [DOMAIN]\[toto]. local host [ipv4:10.1.1.1:445]
 *
 * The user, domain and workstation are the client's text, written raw between brackets, so a
 * user name can itself read ` remote host [ipv4:...]`: a line naming a remote host more than
 * once is dropped rather than guessed at.
 */
export function createSambaHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'samba';
    const m = env.msg;
    if (!m.startsWith('Auth: [')) return true;
    const at = m.indexOf(REMOTE);
    if (at < 0) return true;
    if (m.indexOf(REMOTE, at + 1) >= 0) return false;
    const close = m.indexOf(']', at + REMOTE.length);
    const remote = close < 0 ? undefined : remoteAddress(m.slice(at + REMOTE.length, close));
    if (remote === undefined) return true;
    ev['source.ip'] = remote.ip;
    if (remote.port !== undefined) ev['source.port'] = remote.port;
    const status = / status \[(NT_STATUS_[A-Z_]+)\] workstation \[/.exec(m.slice(0, at));
    const user = /^Auth: \[[^\]]*\] user \[([^\]]*)\]\\\[([^\]]*)\] at \[/.exec(m);
    if (user !== null && user[2] !== '') ev['user.name'] = user[2]!;
    if (user !== null && user[1] !== '') ev['user.domain'] = user[1]!;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'smb_login';
    if (status === null) return true;
    const code = status[1]!;
    ev['event.reason'] = code;
    if (code === 'NT_STATUS_OK') ev['event.outcome'] = 'success';
    else if (UNKNOWN_USER.has(code) || BAD_CREDENTIALS.has(code)) ev['event.outcome'] = 'failure';
    return true;
  };
}
