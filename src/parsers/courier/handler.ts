import type { EcsEvent } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import { AUTHENTICATION, EMAIL, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Courier's IMAP/POP3 login failure: `LOGIN FAILED, user=U, ip=[ADDR]` (or `method=M` instead
 * of the user), maybe `, port=[P]`. The user name comes first; the address the server writes
 * after it, so the last `ip=[` is the real one.
 */
const LOGIN_FAILED = /^LOGIN FAILED, (.*)ip=\[([^\]]+)\](?:, port=\[(\d+)\])?$/;
/** courieresmtpd: `error,relay=ADDR,` first, before anything the client sent. */
const SMTP_ERROR = /^error,relay=([^,]+),(?:port=(\d+),)?(.*)$/;
const SMTP_AUTH_FAILED = /(?:^|,)msg="535 /;
const SMTP_REPLY = /: (\d{3})[ -](.*)$/;
const USER_UNKNOWN = /^User (?:<[^>]*> )?unknown\b/i;

/** Courier's `::ffff:1.2.3.4` (IPv4 clients on an IPv6 socket) as the address. */
function setAddress(ev: EcsEvent, text: string, port: string | undefined): void {
  setSource(ev, text, port === undefined ? undefined : toPort(port));
}

/**
 * Courier mail server: imapd / pop3d (and their -ssl variants, courierpop3login...) login
 * failures, and courieresmtpd's refused recipients and failed SMTP AUTH (fail2ban's
 * courier-auth and courier-smtp).
 */
export function createCourierHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'courier';
    const m = env.msg;
    if (m.startsWith('LOGIN FAILED, ')) {
      const f = LOGIN_FAILED.exec(m);
      if (f === null) return true;
      setAddress(ev, f[2]!, f[3]);
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'mail_auth_failure';
      ev['event.outcome'] = 'failure';
      const user = /(?:^|, )user=([^,]*), /.exec(f[1]!);
      if (user !== null) ev['user.name'] = user[1]!;
      const method = /(?:^|, )method=([\w-]+), /.exec(f[1]!);
      if (method !== null) ev['leuko.auth.method'] = method[1]!;
      return true;
    }
    if (m.startsWith('error,relay=')) {
      const e = SMTP_ERROR.exec(m);
      if (e === null) return true;
      setAddress(ev, e[1]!, e[2]);
      const rest = e[3]!;
      if (SMTP_AUTH_FAILED.test(rest)) {
        ev['event.category'] = [...EMAIL, ...AUTHENTICATION];
        ev['event.action'] = 'smtp_auth_failure';
        ev['event.outcome'] = 'failure';
        return true;
      }
      const reply = SMTP_REPLY.exec(rest);
      if (reply === null) return true;
      const code = Number(reply[1]);
      ev['event.category'] = EMAIL;
      ev['event.type'] = TYPE_DENIED;
      ev['event.action'] = USER_UNKNOWN.test(reply[2]!) ? 'smtp_unknown_recipient' : 'smtp_reject';
      ev['event.outcome'] = 'failure';
      ev['leuko.smtp.code'] = code;
      ev['leuko.smtp.permanent'] = code >= 500;
      ev['event.reason'] = reply[2]!;
      const to = /(?:^|,)to=<([^>]*)>:/.exec(rest);
      if (to !== null) ev['email.to.address'] = to[1]!;
    }
    return true;
  };
}
