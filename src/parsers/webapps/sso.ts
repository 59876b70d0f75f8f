import type { EcsEvent, ParsedLine } from '../../core/event.js';
import type { Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import { parseLogfmt } from './logfmt.js';
import { webLoginFailure } from './logins.js';

/**
 * Logins refused (and granted) by single sign-on portals, from their own logs. Each names the
 * client in a key of its own (logfmt or JSON), which the user name the client typed cannot reach:
 * - Authelia (logfmt `time="..." level=error msg="..." ... remote_ip=ADDR`, or the same as JSON):
 *   `Unsuccessful 1FA|TOTP|Duo|U2F|WebAuthn authentication attempt by user 'U'[: reason]`, `Error
 *   occurred getting details for user with username input 'U' which usually indicates they do not
 *   exist` (a name that is no account: enumeration), and `Successful ... attempt made by user 'U'`;
 * - authentik (JSON): `invalid_login` events (`action: invalid_identifier`, the name in
 *   `identifier`), `login_failed` events (the name in `context.username`) and `login` events, the
 *   client in `client_ip`, which authentik resolves itself from its trusted proxies.
 */
const AUTHELIA_FAILED =
  /^Unsuccessful (?:1FA|TOTP|Duo|U2F|WebAuthn|Mobile Push|[A-Za-z0-9 ]{1,24}) authentication attempt by user '(.*)'(?:: .*)?$/s;
const AUTHELIA_UNKNOWN =
  /^Error occurred getting details for user with username input '(.*)' which usually indicates they do not exist$/s;
const AUTHELIA_OK =
  /^Successful (?:1FA|TOTP|Duo|U2F|WebAuthn|[A-Za-z0-9 ]{1,24}) authentication attempt made by user '(.*)'$/s;

/** An Authelia login record's message and client into `ev`; false when it is none. */
function autheliaLogin(ev: EcsEvent, msg: string, addr: string): boolean {
  const m = AUTHELIA_FAILED.exec(msg) ?? AUTHELIA_UNKNOWN.exec(msg);
  if (m !== null) return webLoginFailure(ev, addr, m[1], true);
  const ok = AUTHELIA_OK.exec(msg);
  if (ok === null || !webLoginFailure(ev, addr, ok[1], true)) return false;
  ev['event.action'] = 'web_login';
  ev['event.outcome'] = 'success';
  return true;
}

const timeOf = (stream: Stream, text: unknown): number => {
  const at = typeof text === 'string' ? isoAt(text, 0, stream.local) : undefined;
  return at === undefined ? stream.ctx.clock.now() : at[0];
};

/** Authelia's text log (logfmt led by `time="`); undefined for any other line. */
export function autheliaLine(stream: Stream, line: string): ParsedLine | undefined {
  if (!line.startsWith('time="') || !line.includes(' remote_ip=')) return undefined;
  if (!line.includes(' authentication attempt ') && !line.includes(' msg="Error occurred getting details for user '))
    return undefined;
  const f = parseLogfmt(line);
  const msg = f?.get('msg');
  const addr = f?.get('remote_ip');
  if (msg === undefined || addr === undefined) return undefined;
  const time = timeOf(stream, f!.get('time'));
  const ev = stream.event(line, time, 'authelia');
  return autheliaLogin(ev, msg, addr) ? stream.done(ev, time) : undefined;
}

type Doc = Record<string, unknown>;
const record = (v: unknown): Doc | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined;

const AUTHENTIK: Record<string, 'failure' | 'success'> = {
  invalid_identifier: 'failure',
  login_failed: 'failure',
  login: 'success',
};

/** An Authelia or authentik JSON login record; undefined for any other document. */
export function ssoJsonEvent(stream: Stream, line: string, doc: Doc): ParsedLine | undefined {
  if (typeof doc.remote_ip === 'string' && typeof doc.msg === 'string' && typeof doc.path === 'string') {
    const time = timeOf(stream, doc.time);
    const ev = stream.event(line, time, 'authelia');
    return autheliaLogin(ev, doc.msg, doc.remote_ip) ? stream.done(ev, time) : undefined;
  }
  if (typeof doc.client_ip !== 'string' || typeof doc.action !== 'string' || typeof doc.logger !== 'string')
    return undefined;
  const outcome = AUTHENTIK[doc.action];
  if (outcome === undefined || !doc.logger.startsWith('authentik.')) return undefined;
  const time = timeOf(stream, doc.timestamp);
  const ev = stream.event(line, time, 'authentik');
  const user = doc.action === 'invalid_identifier' ? doc.identifier : record(doc.context)?.username;
  if (!webLoginFailure(ev, doc.client_ip, typeof user === 'string' ? user : undefined, true)) return undefined;
  if (outcome === 'success') {
    ev['event.action'] = 'web_login';
    ev['event.outcome'] = 'success';
  }
  return stream.done(ev, time);
}
