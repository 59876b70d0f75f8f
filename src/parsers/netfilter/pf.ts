import { normalizeIp, toPort } from '../shared/address.js';
import { NETWORK } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * pfSense's and OPNsense's `filterlog`: pf's packet log as one comma-separated record per
 * packet (https://docs.netgate.com/pfsense/en/latest/monitoring/logs/raw-filter-format.html),
 *
 *   53,,,1000102631,em0,match,block,in,4,0x0,,64,892,0,none,6,tcp,44,SRC,DST,SPORT,DPORT,0,S,...
 *
 * rule, sub-rule, anchor, tracker, interface, reason, action (pass, block, reject), direction
 * (in, out), IP version; then for IPv4 tos, ecn, ttl, id, offset, flags, protocol id, protocol,
 * length, source, destination; for IPv6 class, flow label, hop limit, protocol, protocol id,
 * length, source, destination; then, for TCP and UDP, source and destination ports, data
 * length, and for TCP its flags (`S`, `SA`, `FPU`...). pf writes every field at its place and
 * none is text the packet's sender chose, so the addresses are read by position. Read into the
 * same fields as the kernel firewall's records (handler.ts), so leuko/port-scan counts both.
 */
export const PF_DATASET = 'pf';

const TCP_FLAG_NAMES: Readonly<Record<string, string>> = {
  S: 'SYN',
  A: 'ACK',
  F: 'FIN',
  R: 'RST',
  P: 'PSH',
  U: 'URG',
  E: 'ECE',
  W: 'CWR',
};
const TYPE_DENIED_CONNECTION: readonly string[] = Object.freeze(['connection', 'denied']);
const TYPE_ALLOWED_CONNECTION: readonly string[] = Object.freeze(['connection', 'allowed']);

/** The record's first field, the rule number, starts the message: `53,` (digits, a comma). */
function isFilterRecord(msg: string): boolean {
  const c = msg.charCodeAt(0);
  return c >= 48 && c <= 57 && msg.indexOf(',') > 0 && msg.indexOf(',') < 12;
}

export function createPfFilterlogHandler(): ProgramHandler {
  return (env, ev) => {
    const msg = env.msg.trim();
    if (!isFilterRecord(msg)) return true;
    const f = msg.split(',');
    if (f.length < 17) return true;
    const action = f[6]!;
    const direction = f[7]!;
    // Where the protocol and the addresses are: after the IPv4 or the IPv6 header fields.
    let proto: string;
    let at: number;
    if (f[8] === '4') {
      proto = f[16]!;
      at = 18;
    } else if (f[8] === '6') {
      proto = f[12]!;
      at = 15;
    } else return true;
    const src = normalizeIp(f[at] ?? '');
    if (src === undefined) return true;
    ev['event.dataset'] = PF_DATASET;
    ev['event.category'] = NETWORK;
    ev['event.action'] = 'packet_logged';
    ev['source.ip'] = src;
    const dst = normalizeIp(f[at + 1] ?? '');
    if (dst !== undefined) ev['destination.ip'] = dst;
    const transport = proto.toLowerCase();
    if (transport !== '') ev['network.transport'] = transport;
    if (transport === 'tcp' || transport === 'udp') {
      const spt = toPort(f[at + 2] ?? '');
      if (spt !== undefined) ev['source.port'] = spt;
      const dpt = toPort(f[at + 3] ?? '');
      if (dpt !== undefined) ev['destination.port'] = dpt;
    }
    if (f[4] !== '') {
      if (direction === 'out') ev['observer.egress.interface.name'] = f[4]!;
      else ev['observer.ingress.interface.name'] = f[4]!;
    }
    if (direction === 'in') ev['network.direction'] = 'ingress';
    else if (direction === 'out') ev['network.direction'] = 'egress';
    if (transport === 'tcp') {
      const letters = f[at + 5] ?? '';
      const flags: string[] = [];
      for (const l of letters) {
        const name = TCP_FLAG_NAMES[l];
        if (name !== undefined && !flags.includes(name)) flags.push(name);
      }
      ev['leuko.tcp.flags'] = flags;
    }
    ev['leuko.pf.rule'] = f[0]!;
    ev['leuko.pf.action'] = action;
    if (action === 'block' || action === 'reject') {
      ev['event.type'] = TYPE_DENIED_CONNECTION;
      ev['event.outcome'] = 'failure';
    } else if (action === 'pass') {
      ev['event.type'] = TYPE_ALLOWED_CONNECTION;
      ev['event.outcome'] = 'success';
    }
    return true;
  };
}
