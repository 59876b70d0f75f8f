import type { EcsEvent } from '../../core/event.js';
import { normalizeIp, setSource } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { Envelope } from '../syslog/envelope.js';

/**
 * MikroTik RouterOS's remote syslog: no program, the message led by its topics
 * (`system,error,critical login failure for user U from ADDR via winbox`, `system,info,account
 * user U logged in from ADDR via ssh`). The user name is the client's text and comes first, so
 * the address is read from the record's fixed end (`from ADDR via SERVICE`).
 */
const TOPICS = /^[a-z]+(?:,[a-z]+)* /;
const FAILURE = /^login failure for user (.*) from (\S+) via ([\w-]+)$/;
const SUCCESS = /^user (.*) logged in from (\S+) via ([\w-]+)$/;

/** Whether a program-less record is RouterOS's login record (a cheap test first). */
export function isRouterOsLogin(env: Envelope): boolean {
  return (
    env.program === undefined && (env.msg.includes(' login failure for user ') || env.msg.includes(' logged in from '))
  );
}

/** Fill RouterOS's login record; false when it is not one (left a plain event). */
export function fillRouterOsLogin(ev: EcsEvent, msg: string): boolean {
  const t = TOPICS.exec(msg);
  if (t === null) return false;
  const text = msg.slice(t[0].length);
  const f = FAILURE.exec(text);
  const m = f ?? SUCCESS.exec(text);
  if (m === null) return false;
  const ip = normalizeIp(m[2]!);
  if (ip === undefined) return false;
  ev['event.dataset'] = 'mikrotik';
  setSource(ev, ip);
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = f === null ? 'routeros_login' : 'routeros_login_failure';
  ev['event.outcome'] = f === null ? 'success' : 'failure';
  if (m[1]!.length > 0) ev['user.name'] = m[1]!;
  ev['leuko.routeros.service'] = m[3]!;
  return true;
}
