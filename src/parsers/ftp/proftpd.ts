import type { EcsEvent } from '../../core/event.js';
import { setPeer, parsePeer } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, TYPE_END, TYPE_START } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { ftpLogin } from './login.js';
import { ftpPamRecord } from './pam.js';

/**
 * Where a ProFTPD session record's message starts, after `SERVER (NAME[IP])` and its
 * separator (`: ` in the SystemLog file, ` - ` through syslog), with the client set on `ev`;
 * -1 when the message has no session part (startup, server-wide records). The server name
 * comes first and is the host's, so the first ` (` opens the client group, which
 * ProFTPD writes before anything the client sent: a `(x[IP])` inside a user name is later.
 * NAME is the reverse name or the address itself; it holds no brackets, spaces or parentheses.
 */
function session(m: string, ev: EcsEvent): number {
  const open = m.indexOf(' (');
  // The server is one token (its host name or address); a message read without an envelope
  // that has more before ` (` is some other line.
  if (open <= 0 || m.lastIndexOf(' ', open - 1) >= 0) return -1;
  let k = open + 2;
  for (; k < m.length; k++) {
    const c = m.charCodeAt(k);
    if (c === 91) break;
    if (c === 32 || c === 40 || c === 41 || c === 93) return -1;
  }
  const close = m.indexOf(']', k);
  if (k >= m.length || close < 0 || m.charCodeAt(close + 1) !== 41) return -1;
  let start: number;
  if (m.charCodeAt(close + 2) === 58 && m.charCodeAt(close + 3) === 32) start = close + 4;
  else if (m.startsWith(' - ', close + 2)) start = close + 5;
  else return -1;
  const peer = parsePeer(m.slice(k + 1, close));
  if (peer === undefined) return -1;
  setPeer(ev, peer);
  return start;
}

// The user name is the client's text and may hold any of these phrases: each record is read
// from its end, which ProFTPD writes, and the name is everything between `USER ` and it.
const NO_SUCH_USER = /^USER (.*): no such user found from \S* ?\[[^\]]*\] to \S+$/s;
const LOGIN_FAILED = /^USER (.*) \(Login failed\): (.+)$/s;
const LOGIN_OK = /^(?:USER|ANON) (.*): Login successful\.?$/s;
const ROOT_REFUSED = /^SECURITY VIOLATION: [Rr]oot login attempted\.?$/;
const TOO_MANY = /^Maximum login attempts \(\d+\) exceeded/;
/** `Login failed` reasons that mean the account does not exist. */
const UNKNOWN_ACCOUNT = /^No such user found\.?$/i;
/** Past this length a record is not one of these: skip the backtracking regexes. */
const MAX_RECORD = 8192;

/** ProFTPD (`proftpd[PID] SERVER (NAME[IP]): ...`): logins refused and accepted, root attempts. */
export function createProftpdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'proftpd';
    const pam = ftpPamRecord(env.msg, ev);
    if (pam !== undefined) return pam;
    const start = session(env.msg, ev);
    if (start < 0) return true;
    const m = env.msg.slice(start);
    if (m.length > MAX_RECORD) return true;
    const c = m.charCodeAt(0);
    if (c === 85 || c === 65) {
      let r = NO_SUCH_USER.exec(m);
      if (r !== null) {
        ftpLogin(ev, 'failure', r[1], 'no such user', true);
        return true;
      }
      r = LOGIN_FAILED.exec(m);
      if (r !== null) {
        ftpLogin(ev, 'failure', r[1], r[2], UNKNOWN_ACCOUNT.test(r[2]!));
        return true;
      }
      r = LOGIN_OK.exec(m);
      if (r !== null) ftpLogin(ev, 'success', r[1]);
    } else if (c === 83 && ROOT_REFUSED.test(m)) {
      // RootLogin off: the password may even have been right, but root is not allowed in.
      ftpLogin(ev, 'failure', 'root', 'root login refused');
    } else if (c === 77 && TOO_MANY.test(m)) {
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'ftp_login_limit';
      ev['event.outcome'] = 'failure';
    } else if (m.startsWith('FTP session ')) {
      ev['event.category'] = NETWORK;
      if (m.startsWith('opened', 12)) {
        ev['event.action'] = 'ftp_session_start';
        ev['event.type'] = TYPE_START;
      } else if (m.startsWith('closed', 12)) {
        ev['event.action'] = 'ftp_session_end';
        ev['event.type'] = TYPE_END;
      }
    }
    return true;
  };
}
