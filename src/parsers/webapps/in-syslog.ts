import type { EcsEvent, ParsedLine } from '../../core/event.js';
import type { Stream } from '../shared/stream.js';
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
    let doc: unknown;
    try {
      doc = JSON.parse(msg);
    } catch {
      return undefined;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
    const d = doc as Record<string, unknown>;
    return ssoJsonEvent(stream, msg, d) ?? jsonLoginEvent(stream, msg, d) ?? selfHostedJsonEvent(stream, msg, d);
  }
  const own = selfHostedLoginLine(stream, msg);
  return own !== undefined ? own : (webAppLoginLine(stream, msg) ?? autheliaLine(stream, msg));
}

/**
 * Fill `ev` (a syslog record of a program no handler knows) with the application login its
 * message holds. Returns false when the line must be dropped (its reader found the address
 * ambiguous), true otherwise (`ev` untouched when the message is no such login).
 */
export function fillAppLoginMessage(stream: Stream, ev: EcsEvent, msg: string): boolean {
  const r = appLogin(stream, msg);
  if (r === null) return false;
  if (r === undefined || r.event['event.outcome'] === undefined) return true;
  const from = r.event as unknown as Record<string, unknown>;
  const to = ev as unknown as Record<string, unknown>;
  for (const k of CARRIED) if (from[k] !== undefined) to[k] = from[k];
  return true;
}
