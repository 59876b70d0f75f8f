import type { EcsEvent } from '../../core/event.js';
import { AUTHENTICATION, TYPE_START } from '../shared/stream.js';

/**
 * One FTP login attempt as the auth-* scenarios read it: category authentication, action
 * `ftp_login`, the outcome and the account tried. An account the server does not know is
 * also marked `leuko.ftp.invalid_user` (sshd's `leuko.ssh.invalid_user`), so enumeration
 * stands out from a mistyped password.
 */
export function ftpLogin(
  ev: EcsEvent,
  outcome: 'failure' | 'success',
  user: string | undefined,
  reason?: string,
  invalidUser?: boolean,
): void {
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'ftp_login';
  ev['event.outcome'] = outcome;
  if (outcome === 'success') ev['event.type'] = TYPE_START;
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
  if (reason !== undefined && reason.length > 0) ev['event.reason'] = reason;
  if (invalidUser === true) ev['leuko.ftp.invalid_user'] = true;
}
