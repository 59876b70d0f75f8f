import type { EcsEvent } from '../../core/event.js';
import { applyPamFailure } from '../pam/handler.js';
import { parsePamFailure } from '../pam/pam-message.js';

/**
 * An FTP daemon's own PAM `authentication failure;` record (vsftpd and ProFTPD authenticate
 * through PAM). It stays a `pam` event, as before these daemons had handlers: the module wrote
 * it, with the fields of any PAM record, and fail2ban's pam-generic jail counts it as such.
 * Returns undefined when the message is not one; else the handler's verdict.
 */
export function ftpPamRecord(msg: string, ev: EcsEvent): boolean | undefined {
  const c = msg.charCodeAt(0);
  if (!((c === 112 && msg.startsWith('pam_')) || (c === 40 && msg.startsWith('(pam_')))) return undefined;
  const f = parsePamFailure(msg);
  if (f === null) return undefined;
  ev['event.dataset'] = 'pam';
  return applyPamFailure(f, ev);
}
