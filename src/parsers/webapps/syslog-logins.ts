import type { EcsEvent } from '../../core/event.js';
import type { Envelope } from '../syslog/envelope.js';
import { normalizeIp } from '../shared/address.js';
import { WEB_AUTH } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { webLoginFailure } from './logins.js';

/**
 * Failed logins of web consoles and single sign-on portals that log through syslog, each read
 * from its own program's messages:
 * - pfSense (php-fpm): `/index.php: webConfigurator authentication error for user 'U' from: ADDR`;
 * - OPNsense (audit): `/index.php: Web GUI authentication error for 'U' from ADDR`;
 * - LemonLDAP::NG (LLNG, lemonldap-ng): `[warn] Bad password for U (ADDR)`, `U was not found in
 *   LDAP directory (ADDR)`, after `Lemonldap::NG : ` in older releases;
 * - Sonarr, Radarr and the other *arr applications (mono, or their own names):
 *   `[Warn] Auth: Auth-Failure ip ADDR username 'U'`;
 * - Froxlor: `[Login Action ADDR] Unknown user 'U' tried to login.`, `User 'U' tried to login with
 *   wrong password.` (the address first);
 * - Horde (and IMP): `[horde] FAILED LOGIN for U [ADDR] to Horde [on line 116 of "FILE"]`, in its
 *   own file `Nov 11 18:57:57 HORDE [error] [horde] ...` (the ident where syslog has the host).
 * - MeshCentral's auth log (its `authLog` file, syslog-shaped with the host `meshcentral` and the
 *   server as program, or syslog): `Failed password for U from ADDR port N`, `Accepted ...`.
 * The user name is the client's text: where it comes before the address, the address is the
 * fixed end of the message, read from the end.
 */
const PFSENSE = /^\/index\.php: webConfigurator authentication error for user '(.*)' from: ([^\s']+)$/;
const OPNSENSE = /^\/index\.php: Web GUI authentication error for '(.*)' from ([^\s']+)$/;
const LLNG =
  /^(?:\[\w+\] |Lemonldap::NG : )(?:(?:Bad password for (?<bad>.*))|(?:(?<unknown>.*) was not found in LDAP directory)) \((?<ip>[^()\s]+)\)$/;
const FROXLOR =
  /^\[Login Action ([^\]\s]+)\] (?:Unknown user '(.*)' tried to login|User '(.*)' tried to login with wrong password)\.$/;
/**
 * The server after ` to ` is Horde itself or IMP's `{host:port [flags]}` (no brace inside), then
 * where the message was written; the name is read greedily, so the address is the last one
 * followed by that fixed tail.
 */
const HORDE =
  /^(?:\[\w+\] )?\[\w+\] FAILED LOGIN for (.*) \[([0-9A-Fa-f:.]+)\] to (?:Horde|\{[^{}]*\}) \[(?:pid \d+ )?on line \d+ of "?[^"\]]*"?\]$/;
const ARR = /^\[Warn\] Auth: Auth-Failure ip (\S+) username '(.*)'$/;
const MESHCENTRAL = /^(Failed|Accepted) password for (.*) from (\S+) port (\d{1,5})$/;

function failure(ev: EcsEvent, dataset: string, ip: string, user: string | undefined): void {
  ev['event.dataset'] = dataset;
  webLoginFailure(ev, ip, user, true);
}

/** php-fpm: pfSense's web configurator refusing a login; other PHP messages stay plain events. */
export function createPhpFpmHandler(): ProgramHandler {
  return (env, ev) => {
    const m = env.msg.charCodeAt(0) === 47 ? PFSENSE.exec(env.msg) : null;
    if (m !== null) failure(ev, 'pfsense', m[2]!, m[1]);
    return true;
  };
}

/** OPNsense's `audit` program: its web GUI refusing a login. */
export function createOpnsenseAuditHandler(): ProgramHandler {
  return (env, ev) => {
    const m = env.msg.charCodeAt(0) === 47 ? OPNSENSE.exec(env.msg) : null;
    if (m !== null) failure(ev, 'opnsense', m[2]!, m[1]);
    return true;
  };
}

/** LemonLDAP::NG's portal (LLNG, lemonldap-ng). */
export function createLemonldapHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'lemonldap-ng';
    const m = LLNG.exec(env.msg);
    if (m !== null) failure(ev, 'lemonldap-ng', m.groups!.ip!, m.groups!.bad ?? m.groups!.unknown);
    return true;
  };
}

/** Sonarr, Radarr, Lidarr, Readarr, Prowlarr (under mono, or their own names). */
export function createArrHandler(): ProgramHandler {
  return (env, ev) => {
    const m = env.msg.charCodeAt(0) === 91 ? ARR.exec(env.msg) : null;
    if (m !== null) failure(ev, 'arr', m[1]!, m[2]);
    return true;
  };
}

/** Froxlor's server panel (`Froxlor:`). */
export function createFroxlorHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'froxlor';
    const m = env.msg.charCodeAt(0) === 91 ? FROXLOR.exec(env.msg) : null;
    if (m !== null) failure(ev, 'froxlor', m[1]!, m[2] ?? m[3]);
    return true;
  };
}

/** Horde's own log file: `HORDE` where syslog has the host, no program, the priority in brackets. */
export function isHordeFileRecord(env: Envelope): boolean {
  return env.program === undefined && env.host === 'HORDE' && env.msg.charCodeAt(0) === 91;
}

/** Horde through syslog (`HORDE[1]:`), or a record of its own file (see isHordeFileRecord). */
export function fillHorde(ev: EcsEvent, msg: string): void {
  ev['event.dataset'] = 'horde';
  const m = msg.includes('] FAILED LOGIN for ') ? HORDE.exec(msg) : null;
  if (m !== null) failure(ev, 'horde', m[2]!, m[1]);
}

export function createHordeHandler(): ProgramHandler {
  return (env, ev) => {
    fillHorde(ev, env.msg);
    return true;
  };
}

/** MeshCentral's auth log (programs `https`, `MeshCentralAuth`): its refused and accepted logins. */
export function createMeshcentralHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'meshcentral';
    const c = env.msg.charCodeAt(0);
    const m = c === 70 || c === 65 ? MESHCENTRAL.exec(env.msg) : null;
    if (m === null) return true;
    if (m[1] === 'Failed') {
      webLoginFailure(ev, m[3]!, m[2], true);
      return true;
    }
    const ip = normalizeIp(m[3]!);
    if (ip === undefined) return true;
    ev['source.ip'] = ip;
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = 'web_login';
    ev['event.outcome'] = 'success';
    if (m[2]!.length > 0) ev['user.name'] = m[2]!;
    return true;
  };
}
