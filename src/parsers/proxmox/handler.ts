import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION, type Stream, WEB_AUTH } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Proxmox VE's and Proxmox Backup Server's API logins (the web UI and the API share them):
 * `authentication failure; rhost=ADDR user=USER@REALM msg=REASON`, through syslog from
 * pvedaemon / pveproxy (PVE) and proxmox-backup-proxy / -api (PBS), and in PBS's own
 * `/var/log/proxmox-backup/api/auth.log` after an ISO time and a colon. The address comes right
 * after the fixed words and before the user name the client typed, so that text cannot move it.
 * PVE's `successful auth for user 'U'` names no address: a success with its user only.
 */
const FAILURE = 'authentication failure; rhost=';
const SUCCESS = /^(?:<[^>]*> )?successful auth for user '(.*)'$/;

function fill(ev: EcsEvent, msg: string, at: number): void {
  ev['event.dataset'] = 'proxmox';
  if (!msg.startsWith(FAILURE, at)) {
    const ok = at === 0 ? SUCCESS.exec(msg) : null;
    if (ok === null) return;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'proxmox_login';
    ev['event.outcome'] = 'success';
    if (ok[1]!.length > 0) ev['user.name'] = ok[1]!;
    return;
  }
  const start = at + FAILURE.length;
  const sp = msg.indexOf(' ', start);
  const addr = splitHostPort(msg.slice(start, sp < 0 ? msg.length : sp));
  if (!setSource(ev, addr.host, addr.port)) return;
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = 'proxmox_login_failure';
  ev['event.outcome'] = 'failure';
  if (sp < 0 || !msg.startsWith(' user=', sp)) return;
  // The user name is the client's text: it ends at the first ` msg=` (Proxmox names have no spaces).
  const reason = msg.indexOf(' msg=', sp + 6);
  const user = msg.slice(sp + 6, reason < 0 ? msg.length : reason);
  if (user.length > 0) ev['user.name'] = user;
  if (reason >= 0) ev['event.reason'] = msg.slice(reason + 5);
}

/** pvedaemon, pveproxy, proxmox-backup-proxy and proxmox-backup-api through syslog. */
export function createProxmoxHandler(): ProgramHandler {
  return (env, ev) => {
    fill(ev, env.msg, 0);
    return true;
  };
}

/**
 * A line of PBS's own auth.log, `2026-02-25T11:07:18+01:00: authentication failure; ...`;
 * undefined for any other line (rejected at its first space: an ISO-syslog line has no colon
 * before it).
 */
export function proxmoxAuthLogLine(stream: Stream, line: string): ParsedLine | undefined {
  const sp = line.indexOf(' ');
  if (sp < 20 || sp > 40 || line.charCodeAt(sp - 1) !== 58 || line.charCodeAt(10) !== 84) return undefined;
  if (!line.startsWith(FAILURE, sp + 1)) return undefined;
  const at = isoAt(line, 0, stream.local);
  if (at === undefined || at[1] !== sp - 1) return undefined;
  const ev = stream.event(line, at[0], 'proxmox');
  fill(ev, line, sp + 1);
  return stream.done(ev, at[0]);
}
