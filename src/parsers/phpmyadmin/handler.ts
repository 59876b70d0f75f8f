import { setSource } from '../shared/address.js';
import { WEB_AUTH } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * phpMyAdmin's login records (`$cfg['AuthLog'] = 'syslog'`): `user denied: USER (REASON) from
 * ADDR` (mysql-denied, allow-denied, root-denied, empty-denied) and `user accepted: USER from
 * ADDR`. USER is what the visitor typed, so the address is the record's last word.
 */
const DENIED = /^user denied: (.*) \(([a-z-]+)\) from (\S+)\s*$/;
const ACCEPTED = /^user accepted: (.*) from (\S+)\s*$/;

/** phpMyAdmin through syslog (fail2ban's phpmyadmin-syslog). */
export function createPhpMyAdminHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'phpmyadmin';
    const d = DENIED.exec(env.msg);
    if (d !== null) {
      if (!setSource(ev, d[3]!)) return true;
      ev['event.category'] = WEB_AUTH;
      ev['event.action'] = 'web_login_failure';
      ev['event.outcome'] = 'failure';
      ev['event.reason'] = d[2]!;
      if (d[1]!.length > 0) ev['user.name'] = d[1]!;
      return true;
    }
    const a = ACCEPTED.exec(env.msg);
    if (a !== null && setSource(ev, a[2]!)) {
      ev['event.category'] = WEB_AUTH;
      ev['event.action'] = 'web_login';
      ev['event.outcome'] = 'success';
      if (a[1]!.length > 0) ev['user.name'] = a[1]!;
    }
    return true;
  };
}
