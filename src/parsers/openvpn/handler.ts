import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, type Stream } from '../shared/stream.js';
import { ctimeAt, localDateTimeAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * OpenVPN's refusals of a client, as its log (`--log`, `YYYY-MM-DD HH:MM:SS ` from 2.5, C's
 * ctime() stamp before) and syslog (`openvpn`, `ovpn-NAME`) write them, each after the peer:
 *
 *   192.0.2.7:51234 TLS Error: incoming packet authentication failed from [AF_INET]192.0.2.7:51234
 *   192.0.2.7:51234 TLS Error: tls-crypt unwrapping failed from [AF_INET]192.0.2.7:51234
 *   192.0.2.7:51234 VERIFY ERROR: depth=0, error=certificate has expired: CN=laptop
 *   alice/192.0.2.7:51234 TLS Auth Error: Auth Username/Password verification failed for peer
 *
 * The first two are packets without the server's tls-auth / tls-crypt key (a scanner, or a
 * client that lacks it); the others a certificate or a password the server refused. The peer
 * (`IP:PORT`, or `CN/IP:PORT` once the client's certificate is known) is OpenVPN's view; the
 * common name is the certificate's text, so the address is its last `/` part, and a message is
 * read only when it is exactly one of these records (a name with spaces in it makes none).
 */
const TLS_AUTH =
  /^TLS Error: (incoming packet authentication failed|tls-crypt unwrapping failed|cannot locate HMAC in incoming packet) from \[AF_INET6?\](\S+)$/;
const VERIFY = /^VERIFY ERROR: depth=\d+, error=([^:]*)/;
const PASSWORD = /^TLS Auth Error: Auth Username\/Password verification failed for peer$/;
const SECOND_PEER = /\/\[?[0-9A-Fa-f:.]+\]?:\d{1,5} /;
const HANDSHAKE = /^TLS Error: TLS handshake failed(?: from \[AF_INET6?\]\S+)?$/;

/** `HOST:PORT` (the port after the last colon, as OpenVPN prints IPv6 too) into the event. */
function setPeer(ev: EcsEvent, text: string): boolean {
  const colon = text.lastIndexOf(':');
  if (colon < 1) return false;
  const port = toPort(text.slice(colon + 1));
  return port !== undefined && setSource(ev, text.slice(0, colon), port);
}

/** A packet without the server's tls-auth / tls-crypt key (see leuko/vpn-tls-auth-probe). */
function tlsAuthFailure(ev: EcsEvent, reason: string): void {
  ev['event.category'] = NETWORK;
  ev['event.action'] = 'openvpn_tls_auth_failure';
  ev['event.outcome'] = 'failure';
  ev['event.reason'] = reason;
}

/** Whether a message holds one of the records read here, exact or not. */
function hasRecordWords(msg: string): boolean {
  return msg.includes(' TLS Error: ') || msg.includes(' TLS Auth Error: ') || msg.includes(' VERIFY ERROR: ');
}

/**
 * What `fill` made of a message: one of the records read here, with its peer; another record
 * (an event without an address); or a line that could name a second peer (a common name or
 * subject with a space in it), dropped.
 */
const RECORD = 0;
const OTHER = 1;
const AMBIGUOUS = 2;
type Read = typeof RECORD | typeof OTHER | typeof AMBIGUOUS;

/** Fill `ev` from a message (after any time): the peer, then the record. */
function fill(ev: EcsEvent, msg: string): Read {
  // A packet dropped before OpenVPN knows a peer (tls-crypt on 2.6): no prefix, the address only
  // in the record's own `from [AF_INET]IP:PORT` at its end.
  if (msg.startsWith('TLS Error: ')) {
    const bare = TLS_AUTH.exec(msg);
    if (bare === null || !setPeer(ev, bare[2]!)) return OTHER;
    tlsAuthFailure(ev, bare[1]!);
    return RECORD;
  }
  const sp = msg.indexOf(' ');
  if (sp < 3) return SECOND_PEER.test(msg) ? AMBIGUOUS : OTHER;
  const peer = msg.slice(0, sp);
  const text = msg.slice(sp + 1);
  // The common name (before the peer's `/IP:PORT`) and a certificate's subject are the
  // client's text: with a space in them, the peer's `/IP:PORT ` shows up past the first word.
  if (SECOND_PEER.test(text)) return AMBIGUOUS;
  const addr = peer.slice(peer.lastIndexOf('/') + 1);
  const tls = TLS_AUTH.exec(text);
  if (tls !== null) {
    // Before any certificate: the peer is the bare address the record ends with.
    if (tls[2] !== addr || !setPeer(ev, addr)) return OTHER;
    tlsAuthFailure(ev, tls[1]!);
    return RECORD;
  }
  const verify = VERIFY.exec(text);
  if (verify !== null) {
    if (!setPeer(ev, addr)) return OTHER;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'openvpn_certificate_refused';
    ev['event.outcome'] = 'failure';
    ev['event.reason'] = verify[1]!;
    return RECORD;
  }
  if (PASSWORD.test(text)) {
    if (!setPeer(ev, addr)) return OTHER;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'openvpn_auth_failure';
    ev['event.outcome'] = 'failure';
    if (addr !== peer) ev['user.name'] = peer.slice(0, peer.length - addr.length - 1);
    return RECORD;
  }
  if (HANDSHAKE.test(text)) {
    // A timeout as often as a refusal (a client on a bad network): an event, not a failure.
    if (!setPeer(ev, addr)) return OTHER;
    ev['event.category'] = NETWORK;
    ev['event.action'] = 'openvpn_handshake_failed';
    return RECORD;
  }
  return OTHER;
}

/** openvpn and ovpn-NAME through syslog or the journal: a line that could name a second peer is dropped. */
export function createOpenvpnHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'openvpn';
    return fill(ev, env.msg) !== AMBIGUOUS;
  };
}

/**
 * A TLS record of OpenVPN's own log file, `YYYY-MM-DD HH:MM:SS PEER MESSAGE` or
 * `Www Mmm d hh:mm:ss yyyy PEER MESSAGE`: undefined when the line holds none of the records'
 * words (its other records are left to the readers after this one), null when it could name a
 * second peer.
 */
export function openvpnLine(stream: Stream, line: string): ParsedLine | null | undefined {
  let time: number;
  let at: number;
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    if (line.charCodeAt(19) !== 32) return undefined;
    time = localDateTimeAt(line, 45, stream.local);
    at = 20;
  } else {
    const ct = ctimeAt(line, stream.local);
    if (ct === null || line.charCodeAt(ct[1]) !== 32) return undefined;
    [time, at] = [ct[0], ct[1] + 1];
  }
  if (!Number.isFinite(time) || !hasRecordWords(line)) return undefined;
  const ev = stream.event(line, time, 'openvpn');
  return fill(ev, line.slice(at)) === AMBIGUOUS ? null : stream.done(ev, time);
}
