import type { EcsEvent } from '../../core/event.js';
import { parsePeer, setPeer } from '../shared/address.js';
import { NETWORK } from '../shared/stream.js';
import { ctimeAt, digitsAt, type LocalTime } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { ftpLogin } from './login.js';
import { ftpPamRecord } from './pam.js';

const CLIENT = ': Client "';
/** The refusal vsftpd answers a user its user list keeps out, with no FAIL LOGIN record. */
const USERLIST_REFUSAL = ', "530 Permission denied."';

/**
 * A vsftpd record, `[pid N] [USER] KIND: Client "IP"[, ...]` (its own log, or syslog with
 * `syslog_enable`). USER is what the client sent with USER, and the text after the address
 * can be the client's too (FTP commands, anonymous passwords), so a fake `: Client "x"` may
 * sit on either side of the real one and no position tells them apart: a record holding two
 * is dropped. The lone one is vsftpd's.
 */
export function vsftpdRecord(m: string, ev: EcsEvent): boolean {
  const at = m.indexOf(CLIENT);
  if (at < 0) return true;
  if (m.indexOf('Client "', at + CLIENT.length) >= 0 || m.lastIndexOf('Client "', at - 1) >= 0) return false;
  const ipStart = at + CLIENT.length;
  const ipEnd = m.indexOf('"', ipStart);
  if (ipEnd < 0) return true;
  const peer = parsePeer(m.slice(ipStart, ipEnd));
  if (peer === undefined) return true;
  setPeer(ev, peer);
  let i = 0;
  if (m.startsWith('[pid ')) {
    const close = m.indexOf('] ', 5);
    if (close < 0 || digitsAt(m, 5, close - 5) < 0) return true;
    i = close + 2;
  }
  // `[USER] ` when the session has one: the kind is the text after the last `] ` before the
  // address (the user can hold `] ` but not, here, `Client "`).
  let user: string | undefined;
  let kindStart = i;
  if (m.charCodeAt(i) === 91) {
    const close = m.lastIndexOf('] ', at);
    if (close <= i) return true;
    user = m.slice(i + 1, close);
    kindStart = close + 2;
  }
  const kind = m.slice(kindStart, at);
  const tail = m.slice(ipEnd + 1);
  switch (kind) {
    case 'FAIL LOGIN': {
      // vsftpd 3 names its own refusals: `, "User is not in the allow user list."`.
      const reason = /^, "([^"]*)"$/.exec(tail);
      ftpLogin(ev, 'failure', user, reason?.[1]);
      break;
    }
    case 'OK LOGIN':
      ftpLogin(ev, 'success', user);
      break;
    case 'CONNECT':
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'ftp_connection';
      break;
    case 'FTP response':
      if (tail === USERLIST_REFUSAL) ftpLogin(ev, 'failure', user, 'user list refusal');
      break;
    default:
  }
  return true;
}

/** vsftpd through syslog: its records, and PAM's for it. */
export function createVsftpdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'vsftpd';
    return ftpPamRecord(env.msg, ev) ?? vsftpdRecord(env.msg, ev);
  };
}

/**
 * vsftpd's own log (`vsftpd_log_file`, /var/log/vsftpd.log): `Www Mmm d hh:mm:ss yyyy [pid N] ...`,
 * the day of the month space-padded or not. Returns [local time, record start] or null.
 */
export function vsftpdHead(line: string, local: LocalTime): [number, number] | null {
  const at = ctimeAt(line, local);
  if (at === null || line.charCodeAt(at[1]) !== 32 || !line.startsWith('[pid ', at[1] + 1)) return null;
  return [at[0], at[1] + 1];
}
