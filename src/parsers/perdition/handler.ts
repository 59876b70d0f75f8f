import { setSource, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * perdition, the IMAP/POP3 proxy, names the connection first, `CLIENT:PORT->SERVER:PORT`,
 * before anything the client sent:
 * - `Auth: CONN client-secure=.. authorisation_id=.. authentication_id="USER" server="S"
 *   protocol=P server-secure=.. status="ok|failed: REASON"` (the status its last field);
 * - `Fatal Error reading authentication information from client CONN: Exiting child`: the
 *   client hung up or spoke garbage instead of logging in.
 */
const AUTH = /^Auth: (\S+?)->\S+ (.*) status="([^"]*)"$/;
const USER = / authentication_id="(.*?)" server="/;
const NO_AUTH = /^Fatal Error reading authentication information from client (\S+?)->\S+: Exiting child$/;

function client(text: string): { host: string; port: number | undefined } {
  return splitHostPort(text, true);
}

/** perdition (perdition.imap4, perdition.imaps, perdition.pop3...) through syslog (fail2ban's perdition). */
export function createPerditionHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'perdition';
    const a = AUTH.exec(env.msg);
    if (a !== null) {
      const c = client(a[1]!);
      if (!setSource(ev, c.host, c.port)) return true;
      ev['event.category'] = AUTHENTICATION;
      const user = USER.exec(a[2]!)?.[1];
      if (user !== undefined && user.length > 0) ev['user.name'] = user;
      if (a[3] === 'ok') {
        ev['event.action'] = 'mail_login';
        ev['event.outcome'] = 'success';
      } else if (a[3]!.startsWith('failed')) {
        ev['event.action'] = 'mail_auth_failure';
        ev['event.outcome'] = 'failure';
        ev['event.reason'] = a[3]!;
      }
      return true;
    }
    const n = NO_AUTH.exec(env.msg);
    if (n !== null) {
      const c = client(n[1]!);
      if (!setSource(ev, c.host, c.port)) return true;
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'mail_auth_aborted';
      ev['event.outcome'] = 'failure';
    }
    return true;
  };
}
