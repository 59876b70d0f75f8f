import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, type Stream } from '../shared/stream.js';
import { localDateTimeAt } from '../shared/time.js';
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
  if (!line.startsWith(' LOG', 19)) return undefined;
  const time = localDateTimeAt(line, 46, stream.local);
  if (!Number.isFinite(time)) return undefined;
  const ev = stream.event(line, time, 'stunnel');
  fill(ev, line.slice(20));
  return stream.done(ev, time);
}
