import type { EcsEvent } from '../../core/event.js';
import { setPeer } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { type PamFailure, parsePamFailure } from './pam-message.js';

/** Fill a PAM authentication failure; false when its rhost is ambiguous (drop the line). */
export function applyPamFailure(f: PamFailure, ev: EcsEvent): boolean {
  if (f.ambiguous !== undefined) return false;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'pam_auth_failure';
  ev['event.outcome'] = 'failure';
  // ruser is who asked (su: the invoking user), user= the account tried (sshd leaves ruser empty).
  const who = f.ruser ?? f.user;
  if (who !== undefined) ev['user.name'] = who;
  if (f.user !== undefined && f.ruser !== undefined && f.user !== f.ruser) ev['user.target.name'] = f.user;
  if (f.peer !== undefined) setPeer(ev, f.peer);
  ev['leuko.pam.module'] = f.module;
  if (f.service !== undefined) ev['leuko.pam.service'] = f.service;
  if (f.tty !== undefined) ev['leuko.pam.tty'] = f.tty;
  return true;
}

/** Any program's PAM `authentication failure;` record (vsftpd, proftpd, dovecot, su...). */
export function createPamHandler(): ProgramHandler {
  return (env, ev) => {
    const f = parsePamFailure(env.msg);
    if (f === null) return true;
    ev['event.dataset'] = 'pam';
    return applyPamFailure(f, ev);
  };
}
