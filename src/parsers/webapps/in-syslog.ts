import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { parseJsonObject } from '../json/object.js';
import type { Stream } from '../shared/stream.js';
import { isContainerTag } from '../syslog/container-tag.js';
import { jsonLoginEvent } from './json-logins.js';
import { webAppLoginLine } from './logins.js';
import { selfHostedJsonEvent, selfHostedLoginLine } from './self-hosted.js';
import { autheliaLine, ssoJsonEvent } from './sso.js';

/**
 * A self-hosted application's own log line carried as a syslog or journal message (Docker's
 * syslog and journald drivers, a systemd unit writing to stdout): `host gitea[812]: 2022/03/01
 * 12:57:58 ...SignInPost() [I] Failed authentication attempt for ...`. The message is read by the
 * same readers as the application's own file, so the address comes from the same place; the
 * envelope keeps its time, host and program. Only refused and granted logins are carried over.
 */
const CARRIED = [
  'event.dataset',
  'event.category',
  'event.action',
  'event.outcome',
  'event.reason',
  'source.ip',
  'source.port',
  'source.address',
  'user.name',
  'network.protocol',
] as const;

/** The login one of the applications' readers makes of `msg`; null when it drops it, undefined for none. */
function appLogin(stream: Stream, msg: string): ParsedLine | null | undefined {
  if (msg.charCodeAt(0) === 123) {
    const d = parseJsonObject(msg);
    if (d === undefined) return undefined;
    return ssoJsonEvent(stream, msg, d) ?? jsonLoginEvent(stream, msg, d) ?? selfHostedJsonEvent(stream, msg, d);
  }
  const own = selfHostedLoginLine(stream, msg);
  return own !== undefined ? own : (webAppLoginLine(stream, msg) ?? autheliaLine(stream, msg));
}

/** A program name reduced to letters and digits, lower case (`Uptime-Kuma` as `uptimekuma`). */
function bare(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Whether `program` may carry the application login read from its message: a container's tag,
 * or a name holding the application's own (`gitea`, `authelia-main`, `uptime-kuma`). Any other
 * program may log a client's text first, and that text must not pass for a login from an
 * address it names.
 */
function mayCarry(program: string | undefined, dataset: unknown): boolean {
  if (program === undefined || typeof dataset !== 'string') return false;
  if (isContainerTag(program)) return true;
  const app = bare(dataset.split('.')[0]!);
  return app.length > 0 && bare(program).includes(app);
}

/**
 * Fill `ev` (a syslog record of a program no handler knows) with the application login its
 * message holds, when the program is a container's tag or the application's name. Returns false
 * when the line must be dropped (its reader found the address ambiguous), true otherwise (`ev`
 * untouched when the message is no such login).
 */
export function fillAppLoginMessage(stream: Stream, ev: EcsEvent, msg: string, program: string | undefined): boolean {
  if (program === undefined) return true;
  const r = appLogin(stream, msg);
  if (r === undefined) return true;
  if (r === null) return !isContainerTag(program);
  if (r.event['event.outcome'] === undefined || !mayCarry(program, r.event['event.dataset'])) return true;
  const from = r.event as unknown as Record<string, unknown>;
  const to = ev as unknown as Record<string, unknown>;
  for (const k of CARRIED) if (from[k] !== undefined) to[k] = from[k];
  return true;
}
