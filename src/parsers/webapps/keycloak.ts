import type { ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { type Stream, WEB_AUTH } from '../shared/stream.js';
import { javaLevelEnd } from '../shared/java-log.js';
import { isoAt } from '../shared/time.js';

/**
 * Keycloak's login events as its logging event listener writes them to the server log:
 * `2023-05-25 22:24:19,357 WARN  [org.keycloak.events] (executor-thread-1) type=LOGIN_ERROR,
 * realmId=R, clientId=C, userId=null, ipAddress=ADDR, error=invalid_user_credentials, ...,
 * username=U, ...` (the category abbreviated `org.key.events` by Quarkus; values quoted by newer
 * releases). clientId, redirect_uri and username are the client's text and may come before the
 * address, so a line naming `ipAddress=` more than once keeps no address.
 */
const CATEGORY = /^ +\[org\.key(?:cloak)?\.events\] \([^)]*\) type="?([A-Z_]+)"?, /;
const FAILURES = new Set(['LOGIN_ERROR', 'CLIENT_LOGIN_ERROR']);

/** The value of `, key=` in `text`: quoted, or up to the next `, `; undefined when absent. */
function fieldValue(text: string, at: number): string {
  if (text.charCodeAt(at) === 34) {
    const close = text.indexOf('"', at + 1);
    return close < 0 ? text.slice(at + 1) : text.slice(at + 1, close);
  }
  const end = text.indexOf(', ', at);
  return end < 0 ? text.slice(at) : text.slice(at, end);
}

/** The only `, key=` of the record, -1 when it has none or more than one. */
function onlyField(text: string, key: string): number {
  const marker = `, ${key}=`;
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) return -1;
  return at + marker.length;
}

/**
 * A Keycloak login event of its server log; null when it names its address ambiguously
 * (dropped); undefined for any other line.
 */
export function keycloakLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const sp = javaLevelEnd(line);
  if (sp < 0) return undefined;
  const rest = line.slice(sp);
  const m = CATEGORY.exec(rest);
  if (m === null) return undefined;
  const at = isoAt(line, 0, stream.local);
  if (at === undefined || at[1] !== 23) return undefined;
  const type = m[1]!;
  const failed = FAILURES.has(type);
  if (!failed && type !== 'LOGIN') return undefined;
  const ip = onlyField(rest, 'ipAddress');
  if (ip < 0 && rest.indexOf(', ipAddress=') >= 0) return null;
  const ev = stream.event(line, at[0], 'keycloak');
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = failed ? 'keycloak_login_failure' : 'keycloak_login';
  ev['event.outcome'] = failed ? 'failure' : 'success';
  if (ip >= 0 && !setSource(ev, fieldValue(rest, ip))) return null;
  const realm = onlyField(rest, 'realmId');
  if (realm >= 0) ev['leuko.keycloak.realm'] = fieldValue(rest, realm);
  const error = onlyField(rest, 'error');
  if (error >= 0) ev['event.reason'] = fieldValue(rest, error);
  const user = rest.indexOf(', username=');
  if (user >= 0) {
    const name = fieldValue(rest, user + 11);
    if (name.length > 0) ev['user.name'] = name;
  }
  return stream.done(ev, at[0]);
}
