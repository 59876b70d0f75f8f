import { setSource } from '../shared/address.js';
import { WEB_AUTH } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { guacamoleClient } from './guacamole.js';

/**
 * Harbor's core service through its log collector (syslog tag `core`): `TIME [ERROR]
 * [/server/middleware/security/basic_auth.go:72][client IP="XFF, PEER" requestID="..." user
 * agent="..."]: failed to authenticate user:U, error:...`. The client bracket comes first, before
 * the user agent and the name; it holds the X-Forwarded-For list Harbor's own nginx builds, whose
 * last entry is the peer that nginx saw: that one, unless it is an internal proxy (Docker's
 * gateway), then the entry before it (as with Guacamole's lists). Other `core` records stay plain.
 */
const REFUSED =
  /^\S+ \[\w+\] \[[^\]\s]*\]\[client IP="([^"]*)" requestID="[^"]*" user agent=".*"\]: failed to authenticate user:(.*), error:(?:Failed to authenticate user, due to error '(.*)'|.*)$/s;

export function createHarborCoreHandler(): ProgramHandler {
  return (env, ev) => {
    if (!env.msg.includes('][client IP="') || !env.msg.includes(']: failed to authenticate user:')) return true;
    const m = REFUSED.exec(env.msg);
    if (m === null) return true;
    const client = guacamoleClient(m[1]!.includes(', ') ? `[${m[1]}]` : m[1]!);
    if (client === undefined || !setSource(ev, client)) return false;
    ev['event.dataset'] = 'harbor';
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = 'web_login_failure';
    ev['event.outcome'] = 'failure';
    if (m[2]!.length > 0) ev['user.name'] = m[2]!;
    if (m[3] !== undefined) ev['event.reason'] = m[3];
    return true;
  };
}
