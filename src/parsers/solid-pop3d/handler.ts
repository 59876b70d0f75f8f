import { setSource } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * solid-pop3d's refused logins, each ending ` - ADDR` after the user name the client sent
 * (which may hold ` - ` and an address of its own): the address is the record's last word.
 */
const FAILED =
  /^(?:authentication failed: (?:no such user|can't map user name): (.*)|(?:APOP )?authentication failed for (?:mapped )?user (.*)|can't find APOP secret for user (.*)|(root) login not allowed) - (\S+)$/;

/** solid-pop3d through syslog (fail2ban's solid-pop3d). */
export function createSolidPop3dHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'solid-pop3d';
    const f = FAILED.exec(env.msg);
    if (f === null || !setSource(ev, f[5]!)) return true;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'mail_auth_failure';
    ev['event.outcome'] = 'failure';
    const user = f[1] ?? f[2] ?? f[3] ?? f[4];
    if (user !== undefined && user.length > 0) ev['user.name'] = user;
    return true;
  };
}
