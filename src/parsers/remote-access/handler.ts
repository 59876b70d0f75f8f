import type { EcsEvent } from '../../core/event.js';
import { setSource, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { Envelope } from '../syslog/envelope.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { SOFTETHER_FAILED, ZNC_LOGIN } from '../webapps/self-hosted.js';

/**
 * Logins to remote-access services that log through syslog: macOS screen sharing
 * (screensharingd), the ZNC IRC bouncer and SoftEther VPN's security log. Each names the user
 * before the address: the address is read where the record's fixed words end the line.
 */

/** screensharingd: `Authentication: FAILED :: User Name: U :: Viewer Address: ADDR :: Type: DH`. */
const SCREEN_SHARING =
  /^Authentication: (FAILED|SUCCEEDED) :: User Name: (.*) :: Viewer Address: ([0-9A-Fa-f:.]+) :: Type: \w+$/;
const ZNC = new RegExp(`^${ZNC_LOGIN}$`);
/** SoftEther's syslog record: `[HOST/VPN/HUB] (TIME) <SECURITY_LOG>: Connection "CID-1": ...`. */
const SOFTETHER = new RegExp(String.raw`^ ?\[[^\]\s]*\] \([\d: .-]+\) <SECURITY_LOG>: ${SOFTETHER_FAILED}$`);

/** A login into `ev`; false, `ev` untouched, when the address is none. */
function login(ev: EcsEvent, addr: string, user: string | undefined, ok: boolean): boolean {
  if (!setSource(ev, splitHostPort(addr).host)) return false;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = ok ? 'login' : 'login_failure';
  ev['event.outcome'] = ok ? 'success' : 'failure';
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
  return true;
}

/** macOS screen sharing (VNC) through syslog. */
export function createScreenSharingHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'screensharingd';
    const m = env.msg.charCodeAt(0) === 65 ? SCREEN_SHARING.exec(env.msg) : null;
    if (m !== null) login(ev, m[3]!, m[2], m[1] === 'SUCCEEDED');
    return true;
  };
}

/** ZNC through syslog (`znc[1]: [U] failed to login from ADDR:PORT`). */
export function createZncHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'znc';
    const m = env.msg.charCodeAt(0) === 91 ? ZNC.exec(env.msg) : null;
    if (m !== null) login(ev, m.groups!.ip!, m.groups!.user, m.groups!.ok !== undefined);
    return true;
  };
}

/** A SoftEther VPN server's record through syslog: no program, its hub in brackets. */
export function isSoftEtherRecord(env: Envelope): boolean {
  return env.program === undefined && env.msg.includes('] (') && env.msg.includes(') <SECURITY_LOG>: ');
}

/** A SoftEther security-log record (see isSoftEtherRecord) into `ev`. */
export function fillSoftEther(ev: EcsEvent, msg: string): void {
  ev['event.dataset'] = 'softethervpn';
  const m = SOFTETHER.exec(msg);
  if (m !== null) login(ev, m.groups!.ip!, m.groups!.user, false);
}
