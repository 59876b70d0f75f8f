import { setSource } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * `badlogin: [NAME ][ADDR] MECH [USER ]REASON`: NAME is the client's reverse name, which the
 * resolver only returns as a valid host name (no spaces, no brackets), so the first bracket is
 * the address Cyrus saw; the user name and reason after it are the client's text.
 */
const BADLOGIN = /^badlogin: (?:(\S*?) ?)?\[([^\]\s]+)\] (\S+)(?: (.*))?$/;

/** Cyrus IMAP (imapd, pop3d, `cyrus/imap`...): failed logins (fail2ban's cyrus-imap). */
export function createCyrusHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'cyrus';
    const b = BADLOGIN.exec(env.msg);
    if (b === null) return true;
    setSource(ev, b[2]!);
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'mail_auth_failure';
    ev['event.outcome'] = 'failure';
    ev['leuko.auth.method'] = b[3]!;
    // `USER SASL(-13): ...` or `[SASL(-13): ...]` with no user.
    const rest = b[4] ?? '';
    const sp = rest.indexOf(' ');
    // timsieved writes no user: `MECH authentication failure`.
    if (rest.charCodeAt(0) !== 91 && sp > 0 && !rest.startsWith('SASL(') && rest !== 'authentication failure')
      ev['user.name'] = rest.slice(0, sp);
    return true;
  };
}
