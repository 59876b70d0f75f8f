import type { EcsEvent } from '../../core/event.js';
import { normalizeIp, toPort } from '../shared/address.js';
import { NETWORK } from '../shared/stream.js';

/**
 * WireGuard's kernel messages about a handshake it refused (with the module's dynamic debug
 * on: `echo module wireguard +p > /sys/kernel/debug/dynamic_debug/control`):
 *
 *   wireguard: wg1: Invalid handshake initiation from 192.168.100.30:51820
 *   wireguard: wg0: Invalid MAC of handshake, dropping packet from [2001:db8::7]:51820
 *
 * A peer without the right keys, or a scanner: nobody else fails a handshake. The kernel writes
 * the address; the packet's content is not logged.
 */
const REFUSED =
  /^wireguard: (\S+): (Invalid handshake (?:initiation|response)|Invalid MAC of handshake, dropping packet|Invalid handshake cookie|Unable to decrypt handshake|Handshake for unknown peer) from (\[[0-9A-Fa-f:.]+\]|[0-9.]+):(\d+)$/;

/** Fill `ev` from a WireGuard line (after the kernel timestamp); false when it is not one. */
export function fillWireguard(msg: string, ev: EcsEvent): boolean {
  const m = REFUSED.exec(msg);
  if (m === null) return false;
  const raw = m[3]!;
  const ip = normalizeIp(raw.startsWith('[') ? raw.slice(1, -1) : raw);
  if (ip === undefined) return false;
  ev['event.dataset'] = 'wireguard';
  ev['event.category'] = NETWORK;
  ev['event.action'] = 'wireguard_handshake_refused';
  ev['event.outcome'] = 'failure';
  ev['event.reason'] = m[2]!;
  ev['observer.ingress.interface.name'] = m[1]!;
  ev['source.ip'] = ip;
  const port = toPort(m[4]!);
  if (port !== undefined) ev['source.port'] = port;
  return true;
}
