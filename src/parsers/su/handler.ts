import type { EcsEvent } from '../../core/event.js';
import { applyPamFailure } from '../pam/handler.js';
import { parsePamFailure } from '../pam/pam-message.js';
import { AUTHENTICATION, SESSION, TYPE_END, TYPE_START } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

function result(ev: EcsEvent, ok: boolean, user: string | undefined, target: string | undefined): void {
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = ok ? 'su_session' : 'su_auth_failure';
  ev['event.outcome'] = ok ? 'success' : 'failure';
  if (ok) ev['event.type'] = TYPE_START;
  if (user !== undefined) ev['user.name'] = user;
  if (target !== undefined) ev['user.target.name'] = target;
}

/**
 * su from util-linux (`FAILED SU (to root) alice on pts/0`, `(to root) alice on pts/0`),
 * shadow-utils (`FAILED su for root by alice`, `Successful su for root by alice`, `+ pts/0
 * alice:root`) and its PAM records.
 */
export function parseSuMessage(msg: string, ev: EcsEvent): boolean {
  let m = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)$/.exec(msg);
  if (m !== null) {
    result(ev, m[1] === undefined, m[3], m[2]);
    ev['leuko.tty'] = m[4]!;
    return true;
  }
  m = /^(FAILED|Successful) su for (\S+) by (\S+)$/.exec(msg);
  if (m !== null) {
    result(ev, m[1] === 'Successful', m[3], m[2]);
    return true;
  }
  m = /^([+-]) (\S+) ([^:\s]+):(\S+)$/.exec(msg);
  if (m !== null) {
    result(ev, m[1] === '+', m[3], m[4]);
    ev['leuko.tty'] = m[2]!;
    return true;
  }
  if (msg.startsWith('pam_authenticate: ')) {
    result(ev, false, undefined, undefined);
    ev['event.reason'] = msg.slice(18);
    return true;
  }
  return false;
}

export function createSuHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'su';
    const msg = env.msg;
    if (msg.startsWith('pam_') && !msg.startsWith('pam_authenticate: ')) {
      const f = parsePamFailure(msg);
      if (f !== null) return applyPamFailure(f, ev);
      const s =
        /^pam_\w+\(su(?:-l)?:session\): session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by (\S*?)(?:\(uid=\d+\))?)?$/.exec(
          msg,
        );
      if (s !== null) {
        ev['event.category'] = SESSION;
        ev['event.type'] = s[1] === 'opened' ? TYPE_START : TYPE_END;
        ev['event.action'] = s[1] === 'opened' ? 'su_session_start' : 'su_session_end';
        ev['user.target.name'] = s[2]!;
        if (s[3]) ev['user.name'] = s[3];
      }
      return true;
    }
    parseSuMessage(msg, ev);
    return true;
  };
}
