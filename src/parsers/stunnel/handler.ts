import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, type Stream } from '../shared/stream.js';
import { digitsAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/** stunnel's record head: `LOG3[28228:140093368055552]: ` (level, process:thread or connection). */
const HEAD = /^LOG(\d)\[[\d:]+\]: /;
/**
 * A TLS handshake stunnel refused (4.x names the peer on the same line):
 * `SSL_accept from ADDR:PORT : CODE: error:CODE:SSL routines:FUNCTION:REASON`, the address
 * stunnel's own, the rest OpenSSL's.
 */
const ACCEPT_ERROR = /^SSL_accept from (\S+):(\d{1,5}) : [0-9A-F]+: error:[0-9A-F]+:SSL routines:\w+:(.+)$/;
/** OpenSSL's reasons for a client without a valid certificate, where stunnel requires one (`verify`). */
const NO_CERTIFICATE = /^(?:peer did not return a certificate|no certificate returned|certificate verify failed)$/;

function fill(ev: EcsEvent, msg: string): void {
  const head = HEAD.exec(msg);
  if (head === null) return;
  const a = ACCEPT_ERROR.exec(msg.slice(head[0].length));
  if (a === null || !setSource(ev, a[1]!, toPort(a[2]!))) return;
  ev['event.reason'] = a[3]!;
  if (NO_CERTIFICATE.test(a[3]!)) {
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'tls_client_cert_failure';
    ev['event.outcome'] = 'failure';
  } else {
    ev['event.category'] = NETWORK;
    ev['event.action'] = 'tls_handshake_failure';
  }
}

/** stunnel through syslog. */
export function createStunnelHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'stunnel';
    fill(ev, env.msg);
    return true;
  };
}

/**
 * A line of stunnel's own log (`output = ...`): `YYYY.MM.DD hh:mm:ss LOGn[...]: MSG`, local
 * time (fail2ban's stunnel); undefined when the line is not one.
 */
export function stunnelLogLine(stream: Stream, line: string): ParsedLine | undefined {
  if (line.charCodeAt(4) !== 46 || line.charCodeAt(7) !== 46 || !line.startsWith(' LOG', 19)) return undefined;
  const y = digitsAt(line, 0, 4);
  const mo = digitsAt(line, 5, 2);
  const d = digitsAt(line, 8, 2);
  const h = digitsAt(line, 11, 2);
  const mi = digitsAt(line, 14, 2);
  const s = digitsAt(line, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || mi < 0 || s < 0) return undefined;
  if (line.charCodeAt(10) !== 32 || line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58) return undefined;
  const time = stream.local(y, mo - 1, d, h, mi, s, 0);
  if (!Number.isFinite(time)) return undefined;
  const ev = stream.event(line, time, 'stunnel');
  fill(ev, line.slice(20));
  return stream.done(ev, time);
}
