import { setSource } from '../shared/address.js';
import { WEB_AUTH } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * SOGo's logins (sogod, its own sogo.log or syslog): `SOGoRootPage Login from 'ADDR' for user
 * 'U' might not have worked - password policy: ...` for a refused one, `SOGoRootPage successful
 * login from 'ADDR' for user 'U' - ...` for a granted one. The address comes before the user name.
 * Behind a proxy SOGo may write the X-Forwarded-For list (`'A, B'`): its first entries are the
 * client's own text, so such a record is dropped rather than read.
 */
const LOGIN = /^SOGoRootPage (Login|successful login) from '([^']*)' for user '(.*)' (?:might not have worked|-)/;

export function createSogoHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'sogo';
    const m = env.msg.charCodeAt(0) === 83 ? LOGIN.exec(env.msg) : null;
    if (m === null) return true;
    if (m[2]!.includes(',') || !setSource(ev, m[2]!.trim())) return false;
    const failed = m[1] === 'Login';
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = failed ? 'web_login_failure' : 'web_login';
    ev['event.outcome'] = failed ? 'failure' : 'success';
    if (m[3]!.length > 0) ev['user.name'] = m[3]!;
    return true;
  };
}
