import { setSource } from '../shared/address.js';
import { WEB_AUTH } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Webmin's and Usermin's web server (miniserv) logging a login: `Invalid login as USER from
 * ADDR` (wrong password), `Non-existent login as USER from ADDR` (unknown user), `Successful
 * login as USER from ADDR`. The user name is what the visitor typed (spaces, ` from `, an
 * address), so the address is the word after the line's last ` from `, which miniserv writes
 * after the name; a name that plants a later ` from ADDR` cannot, since nothing follows ADDR.
 */
const LOGIN = /^(Invalid|Non-existent|Successful) login as (.*) from (\S+)\s*$/;

/** webmin / usermin through syslog (fail2ban's webmin-auth). */
export function createWebminHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'webmin';
    const m = LOGIN.exec(env.msg);
    if (m === null || !setSource(ev, m[3]!)) return true;
    ev['event.category'] = WEB_AUTH;
    if (m[2]!.length > 0) ev['user.name'] = m[2]!;
    if (m[1] === 'Successful') {
      ev['event.action'] = 'web_login';
      ev['event.outcome'] = 'success';
      return true;
    }
    ev['event.action'] = 'web_login_failure';
    ev['event.outcome'] = 'failure';
    return true;
  };
}
