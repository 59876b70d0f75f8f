import type { EcsEvent } from '../../core/event.js';
import { WEB_AUTH } from '../shared/stream.js';

/**
 * Refused logins that a PHP application writes to its error log, which PHP-FPM hands to the web
 * server: nginx records them as `FastCGI sent in stderr: "PHP message: TEXT" while reading response
 * header from upstream, client: ADDR, ...`, Apache's mod_proxy_fcgi as `[client ADDR:PORT] AH01071:
 * Got error 'PHP message: TEXT'`. The client is the web server's own field; TEXT, which carries the
 * user name the client typed, only decides whether the record is a refused login:
 * - Baïkal (sabre/dav's basic auth): `user U authentication failure for REALM`;
 * - BookStack (`LOG_FAILED_LOGIN_MESSAGE`, its documented value): `Failed login for U`.
 */
const FAILURES: readonly RegExp[] = [/^user (.+) authentication failure for [^\s']+$/s, /^Failed login for (.+)$/s];

const NGINX = /^FastCGI sent in stderr: "PHP message: (.*)" while (?:reading|sending) /s;
const APACHE = /^Got error 'PHP message: (.*)'$/s;

/**
 * Fill `ev` with the refused login a web server's error message relays from PHP (the client is
 * already the server's own field); false when the message is no such record.
 */
export function fillPhpLoginFailure(ev: EcsEvent, msg: string, server: 'nginx' | 'apache'): boolean {
  const user = phpLoginFailure(msg, server);
  if (user === undefined) return false;
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = 'web_login_failure';
  ev['event.outcome'] = 'failure';
  ev['user.name'] = user;
  return true;
}

/** The user name of a relayed refused login in a web server's error message; undefined when none. */
function phpLoginFailure(msg: string, server: 'nginx' | 'apache'): string | undefined {
  if (msg.length > 4096) return undefined;
  const m = (server === 'nginx' ? NGINX : APACHE).exec(msg);
  if (m === null) return undefined;
  for (const re of FAILURES) {
    const u = re.exec(m[1]!);
    if (u !== null) return u[1]!;
  }
  return undefined;
}
