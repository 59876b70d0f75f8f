import { setSource } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * UW IMAP's imapd and ipop3d end each login record with `host=NAME [ADDR]` (NAME the reverse
 * lookup, maybe absent), after the user and authentication names the client sent, which may hold
 * anything: the address is the bracket at the record's end.
 */
const FAILED =
  /^(?:Login (failed|excessive login failures|disabled|SYSTEM BREAK-IN ATTEMPT) user=|Failed (\S+) override of user=)(.*)$/;
const HOST_AT_END = / host=(?:\S* )?\[([^\]\s]+)\]\s*$/;
/** The user of a failure: up to ` auth=` (imapd, ipop3d) or ` host=` (an override). */
const USER = /^(.*?) (?:auth=|\s*host=)/;
/** A login that worked names an existing account (no spaces); ipop3d adds the mailbox counts. */
const LOGGED_IN =
  /^(?:Login|Auth|Authenticated|Preauthenticated) user=(\S+) host=(?:\S* )?\[([^\]\s]+)\](?: nmsgs=\d+\/\d+)?\s*$/;

/** Whether a record under imapd / pop3d names (Dovecot's names too) is UW IMAP's. */
export function isUwImapRecord(msg: string): boolean {
  const c = msg.charCodeAt(0);
  if (c === 76) return msg.startsWith('Login ');
  if (c === 65) return msg.startsWith('Auth user=') || msg.startsWith('Authenticated user=');
  if (c === 70) return msg.startsWith('Failed ') && msg.includes(' override of user=');
  return c === 80 && msg.startsWith('Preauthenticated user=');
}

/** UW IMAP (imapd, ipop3d) through syslog: failed and successful logins (fail2ban's uwimap-auth). */
export function createUwImapHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'uwimap';
    const m = env.msg;
    const f = FAILED.exec(m);
    if (f !== null) {
      const h = HOST_AT_END.exec(m);
      if (h === null || !setSource(ev, h[1]!)) return true;
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'mail_auth_failure';
      ev['event.outcome'] = 'failure';
      ev['event.reason'] = f[1] === undefined ? `${f[2]} override` : f[1];
      const u = USER.exec(f[3]!);
      if (u !== null && u[1]!.length > 0) ev['user.name'] = u[1]!;
      return true;
    }
    const ok = LOGGED_IN.exec(m);
    if (ok !== null && setSource(ev, ok[2]!)) {
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'mail_login';
      ev['event.outcome'] = 'success';
      ev['user.name'] = ok[1]!;
    }
    return true;
  };
}
