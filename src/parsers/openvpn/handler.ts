import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * OpenVPN's server log (its own `log` file, or syslog as `openvpn`/`ovpn-NAME`): each record about
 * a client leads with OpenVPN's own name for it, `ADDR:PORT` or, once its certificate is read,
 * `CN/ADDR:PORT` (the CN is the certificate's text; the address is what follows its last slash).
 * Read here:
 * - a refused login: `TLS Auth Error: Auth Username/Password verification failed for peer` (the
 *   auth-user-pass plugin or script said no) and other `TLS Auth Error: ` records, after a
 *   finished TLS handshake, so from a real address;
 * - a packet without the server's tls-auth / tls-crypt key (`TLS Error: incoming packet
 *   authentication failed from [AF_INET]ADDR:PORT`, `TLS Error: tls-crypt unwrapping failed from`,
 *   `Authenticate/Decrypt packet error: packet HMAC authentication failed`): someone who has not the
 *   key every client has, probing. Over UDP such a packet's source can be spoofed, so these are
 *   kept apart (`vpn_tls_auth_failure`): leuko/vpn-tls-auth-probe alerts on them without a ban.
 */
const PEER = /^(?:[^\s/]{0,128}\/)?(\[?[0-9A-Fa-f:.]+\]?):(\d{1,5}) /;
const PROBES = [
  'TLS Error: incoming packet authentication failed from ',
  'TLS Error: tls-crypt unwrapping failed from ',
  'Authenticate/Decrypt packet error: packet HMAC authentication failed',
];

/** A probe record's own `from [AF_INET]ADDR:PORT` end (before any peer is known, over UDP). */
const FROM = / from \[AF_INET6?\](\[?[0-9A-Fa-f:.]+\]?):(\d{1,5})$/;

/**
 * An OpenVPN record (`PEER MESSAGE`, or a probe's `MESSAGE from [AF_INET]ADDR:PORT` with no peer
 * yet) into `ev`; false when it names no client or is no refusal.
 */
export function fillOpenvpn(ev: EcsEvent, msg: string): boolean {
  const p = PEER.exec(msg);
  const text = p === null ? msg : msg.slice(p[0].length);
  const probe = PROBES.some((w) => text.startsWith(w));
  if (!probe && !text.startsWith('TLS Auth Error: ')) return false;
  const where = p ?? (probe ? FROM.exec(text) : null);
  if (where === null) return false;
  const ip = normalizeIp(where[1]!.replace(/^\[(.*)\]$/, '$1'));
  if (ip === undefined) return false;
  ev['source.ip'] = ip;
  ev['source.port'] = Number(where[2]);
  ev['event.outcome'] = 'failure';
  ev['event.reason'] = text.replace(/ from \[AF_INET6?\]\S+$/, '');
  if (probe) {
    ev['event.category'] = NETWORK;
    ev['event.action'] = 'vpn_tls_auth_failure';
  } else {
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'vpn_auth_failure';
  }
  return true;
}

/**
 * OpenVPN's own log: `YYYY-MM-DD HH:MM:SS PEER MESSAGE`; null for a refusal whose peer does not
 * read (dropped), undefined for any other line.
 */
export function openvpnLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (line.charCodeAt(10) !== 32 || line.charCodeAt(19) !== 32 || line.charCodeAt(4) !== 45) return undefined;
  if (!line.includes(' TLS Error: ') && !line.includes(' TLS Auth Error: ') && !line.includes(' packet error: '))
    return undefined;
  const at = isoAt(line.slice(0, 19), 0, stream.local);
  if (at === undefined) return undefined;
  const ev = stream.event(line, at[0], 'openvpn');
  return fillOpenvpn(ev, line.slice(20)) ? stream.done(ev, at[0]) : null;
}

/** openvpn (and `ovpn-NAME`, systemd's openvpn-server@NAME) through syslog. */
export function createOpenvpnHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'openvpn';
    fillOpenvpn(ev, env.msg);
    return true;
  };
}
