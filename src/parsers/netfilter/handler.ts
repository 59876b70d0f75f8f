import { normalizeIp, toPort } from '../shared/address.js';
import { NETWORK } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { fillProcessCrash } from './crash.js';
import { fillWireguard } from './wireguard.js';

/**
 * Packets logged by the kernel firewall: iptables' `LOG` target, nftables' `log` statement and
 * UFW all write the same record to the kernel log,
 *
 *   [19955416.516358] [UFW BLOCK] IN=ens2 OUT= MAC=... SRC=62.34.17.168 DST=10.73.140.49 LEN=44
 *   ... PROTO=TCP SPT=52220 DPT=80 WINDOW=1024 RES=0x00 SYN URGP=0
 *
 * The kernel writes every field; none is text a remote peer chooses, and the prefix before
 * `IN=` is the administrator's (`--log-prefix`, `log prefix`), read for what the rule did with
 * the packet (block, drop, reject; allow, accept). What the packet carried is not logged.
 */
export const NETFILTER_DATASET = 'netfilter';

const DENY = /\b(?:block|blocked|drop|dropped|deny|denied|reject|rejected)\b/i;
const ALLOW = /\b(?:allow|allowed|accept|accepted)\b/i;
const AUDIT = /\baudit\b/i;
const TCP_FLAGS = new Set(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR']);
const TYPE_DENIED_CONNECTION: readonly string[] = Object.freeze(['connection', 'denied']);
const TYPE_ALLOWED_CONNECTION: readonly string[] = Object.freeze(['connection', 'allowed']);

/**
 * A whole message that is a packet record, as ulogd's LOGEMU output writes it (`HOST PREFIX
 * IN=...`, where syslog readers take the rule's prefix for the program). Strict, from the
 * first character: only a program without a handler of its own reaches this test, and such a
 * program's message may be text someone else chose.
 */
const LOGEMU_RECORD = /^ *IN=\S* OUT=\S* (?:PHYSIN=\S+ )?(?:PHYSOUT=\S+ )?(?:MAC=\S* )?SRC=\S+ DST=\S+ LEN=\d+ /;

export function isPacketRecord(msg: string): boolean {
  // Asked of every line of a program without a handler (cron, logind...): reject on the first
  // characters before running the regex.
  let i = 0;
  while (msg.charCodeAt(i) === 32) i++;
  return msg.startsWith('IN=', i) && LOGEMU_RECORD.test(msg);
}

/** Offset of the record's `IN=` (start of the message or after a space), or -1. */
function recordStart(msg: string): number {
  if (msg.startsWith('IN=')) return 0;
  const at = msg.indexOf(' IN=');
  return at < 0 ? -1 : at + 1;
}

/** The prefix text: without the kernel's `[uptime]` stamp, trimmed. */
function prefixOf(msg: string, end: number): string {
  let p = msg.slice(0, end).trim();
  if (p.startsWith('[')) {
    const close = p.indexOf(']');
    if (close > 0 && /^\[\s*\d+\.\d+\]$/.test(p.slice(0, close + 1))) p = p.slice(close + 1).trim();
  }
  return p;
}

export function createNetfilterHandler(): ProgramHandler {
  return (env, ev) => {
    const msg = env.msg;
    const start = recordStart(msg);
    if (start < 0) {
      // Not a packet record: another kernel message worth an event (WireGuard's refusals, a
      // process killed by a fault).
      const text = prefixOf(msg, msg.length);
      if (text.startsWith('wireguard: ')) fillWireguard(text, ev);
      else if (text.includes('segfault at ') || text.startsWith('traps: ')) fillProcessCrash(text, ev);
      return true;
    }
    const fields = new Map<string, string>();
    const flags: string[] = [];
    for (const token of msg.slice(start).split(' ')) {
      if (token === '') continue;
      const eq = token.indexOf('=');
      if (eq > 0) {
        const key = token.slice(0, eq);
        // The first occurrence: ICMP errors quote the offending packet's header after it.
        if (!fields.has(key)) fields.set(key, token.slice(eq + 1));
      } else if (TCP_FLAGS.has(token)) flags.push(token);
    }
    const src = normalizeIp(fields.get('SRC') ?? '');
    if (src === undefined) return true;
    ev['event.dataset'] = NETFILTER_DATASET;
    ev['event.category'] = NETWORK;
    ev['event.action'] = 'packet_logged';
    ev['source.ip'] = src;
    const dst = normalizeIp(fields.get('DST') ?? '');
    if (dst !== undefined) ev['destination.ip'] = dst;
    const proto = fields.get('PROTO');
    if (proto !== undefined && proto.length > 0) ev['network.transport'] = proto.toLowerCase();
    const spt = toPort(fields.get('SPT') ?? '');
    if (spt !== undefined) ev['source.port'] = spt;
    const dpt = toPort(fields.get('DPT') ?? '');
    if (dpt !== undefined) ev['destination.port'] = dpt;
    const inIf = fields.get('IN') ?? '';
    const outIf = fields.get('OUT') ?? '';
    if (inIf !== '') ev['observer.ingress.interface.name'] = inIf;
    if (outIf !== '') ev['observer.egress.interface.name'] = outIf;
    // A packet for this host comes in and goes nowhere; one it sends only goes out.
    if (inIf !== '' && outIf === '') ev['network.direction'] = 'ingress';
    else if (inIf === '' && outIf !== '') ev['network.direction'] = 'egress';
    if (proto === 'TCP') ev['leuko.tcp.flags'] = flags;
    // ulogd's LOGEMU lines: the rule's prefix sits where syslog readers expect the program.
    let prefix = prefixOf(msg, start);
    if (prefix === '' && env.program !== undefined && env.program !== 'kernel') prefix = env.program;
    if (prefix !== '') {
      ev['leuko.netfilter.prefix'] = prefix;
      if (DENY.test(prefix)) {
        ev['event.type'] = TYPE_DENIED_CONNECTION;
        ev['event.outcome'] = 'failure';
      } else if (ALLOW.test(prefix)) {
        ev['event.type'] = TYPE_ALLOWED_CONNECTION;
        ev['event.outcome'] = 'success';
      } else if (AUDIT.test(prefix)) {
        // UFW's `logging high`: every new connection, whatever the verdict.
        ev['event.outcome'] = 'unknown';
      }
    }
    return true;
  };
}
