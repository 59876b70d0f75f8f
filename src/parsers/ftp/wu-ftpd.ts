import type { EcsEvent } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { ftpPamRecord } from './pam.js';

/** wu-ftpd: `failed login from NAME [ADDR]`, NAME the reverse lookup; the address the record's closing bracket. */
const WU_FAILED = /^failed login from (?:\S+ )?\[([^\]\s]+)\]\s*$/;
/** MIT Kerberos' gssftpd (`ftpd`): `repeated login failures from ADDR (NAME)`. */
const GSS_REPEATED = /^repeated login failures from (\S+) \(\S*\)$/;

function failed(ev: EcsEvent, addr: string, action: string): void {
  if (!setSource(ev, addr)) return;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = action;
  ev['event.outcome'] = 'failure';
}

/** wu-ftpd through syslog (fail2ban's wuftpd; its PAM records go to the PAM reader). */
export function createWuFtpdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'wu-ftpd';
    const pam = ftpPamRecord(env.msg, ev);
    if (pam !== undefined) return pam;
    const w = WU_FAILED.exec(env.msg);
    if (w !== null) failed(ev, w[1]!, 'ftp_login_failure');
    return true;
  };
}

/** gssftpd (syslog name `ftpd`) (fail2ban's gssftpd): the server's lock-out after repeated failures. */
export function createGssFtpdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'ftpd';
    // Other FTP servers log as ftpd too: their PAM records stay PAM's.
    const pam = ftpPamRecord(env.msg, ev);
    if (pam !== undefined) return pam;
    const g = GSS_REPEATED.exec(env.msg);
    if (g !== null) failed(ev, g[1]!, 'ftp_repeated_login_failures');
    return true;
  };
}
