import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp, toPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * The Cowrie SSH/Telnet honeypot's log, its own `cowrie.log`, syslog (program `cowrie`, the same
 * text after the time) or `cowrie.json`:
 * - `[cowrie.ssh.factory.CowrieSSHFactory] New connection: SRC:PORT (DST:PORT) [session: ID]`
 *   (`cowrie.telnet.factory.HoneyPotTelnetFactory` for Telnet): a client connected. No client
 *   text comes before the addresses, and the connection completed its handshake.
 * - `[HoneyPotSSHTransport,N,SRC] login attempt [USER/PASSWORD] failed|succeeded`: the client
 *   is the transport's own column, before the credentials it sent.
 * A honeypot accepts some passwords on purpose: its logins are kept apart from real services
 * (dataset `cowrie`, not counted by the auth-* scenarios); leuko/honeypot-probe counts connections.
 */
const CONNECT =
  /^\[cowrie\.(ssh|telnet)\.factory\.\w+\] New connection: (\S+):(\d{1,5}) \((\S+):(\d{1,5})\) \[session: (\w+)\]$/;
const LOGIN = /^\[HoneyPot\w+,\d+,([0-9A-Fa-f:.]+)\] login attempt \[(.*)\] (failed|succeeded)$/;

function connection(ev: EcsEvent, src: string, srcPort: string, dst: string, dstPort: string, proto: string): boolean {
  const ip = normalizeIp(src);
  if (ip === undefined) return false;
  ev['source.ip'] = ip;
  const p = toPort(srcPort);
  if (p !== undefined) ev['source.port'] = p;
  const d = normalizeIp(dst);
  if (d !== undefined) ev['destination.ip'] = d;
  const dp = toPort(dstPort);
  if (dp !== undefined) ev['destination.port'] = dp;
  ev['event.category'] = NETWORK;
  ev['event.action'] = 'honeypot_connection';
  ev['network.protocol'] = proto;
  return true;
}

function login(ev: EcsEvent, src: string, user: string | undefined, ok: boolean, proto: string | undefined): boolean {
  const ip = normalizeIp(src);
  if (ip === undefined) return false;
  ev['source.ip'] = ip;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'honeypot_login';
  ev['event.outcome'] = ok ? 'success' : 'failure';
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
  if (proto !== undefined) ev['network.protocol'] = proto;
  return true;
}

/** `b'root'/b'pw'` (Python 3's bytes) or `root/pw`: the user name, up to the first slash. */
function userOf(credentials: string): string {
  const slash = credentials.indexOf('/');
  const user = slash < 0 ? credentials : credentials.slice(0, slash);
  return user.startsWith("b'") && user.endsWith("'") ? user.slice(2, -1) : user;
}

/** A Cowrie record's text (after its time) into `ev`; false when it is none of those above. */
function fill(ev: EcsEvent, text: string): boolean {
  if (text.charCodeAt(0) !== 91) return false;
  const c = CONNECT.exec(text);
  if (c !== null) return connection(ev, c[2]!, c[3]!, c[4]!, c[5]!, c[1]!);
  const l = LOGIN.exec(text);
  if (l === null) return false;
  const proto = text.startsWith('[HoneyPotTelnet') ? 'telnet' : text.startsWith('[HoneyPotSSH') ? 'ssh' : undefined;
  return login(ev, l[1]!, userOf(l[2]!), l[3] === 'succeeded', proto);
}

/** `2020-12-08T06:28:44+0000 ` or `...44.123456Z `: [time, text start]; undefined when not so. */
function headOf(text: string, stream: Stream): [number, number] | undefined {
  const at = isoAt(text, 0, stream.local);
  return at === undefined || text.charCodeAt(at[1]) !== 32 ? undefined : [at[0], at[1] + 1];
}

/** cowrie through syslog: its own time, then the record. */
export function createCowrieHandler(stream: Stream): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'cowrie';
    const head = headOf(env.msg, stream);
    fill(ev, head === undefined ? env.msg : env.msg.slice(head[1]));
    return true;
  };
}

/** A line of Cowrie's own `cowrie.log`; undefined for any other line. */
export function cowrieLogLine(stream: Stream, line: string): ParsedLine | undefined {
  const head = headOf(line, stream);
  if (head === undefined || line.charCodeAt(head[1]) !== 91) return undefined;
  const text = line.slice(head[1]);
  if (!text.startsWith('[cowrie.') && !text.startsWith('[HoneyPot')) return undefined;
  const ev = stream.event(line, head[0], 'cowrie');
  return fill(ev, text) ? stream.done(ev, head[0]) : undefined;
}

const JSON_EVENTS = new Set(['cowrie.session.connect', 'cowrie.login.failed', 'cowrie.login.success']);

/** A record of Cowrie's `cowrie.json`: connections and login attempts; undefined for any other. */
export function cowrieJsonEvent(stream: Stream, line: string, doc: Record<string, unknown>): ParsedLine | undefined {
  const id = doc.eventid;
  if (typeof id !== 'string' || !JSON_EVENTS.has(id) || typeof doc.src_ip !== 'string') return undefined;
  const at = typeof doc.timestamp === 'string' ? isoAt(doc.timestamp, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'cowrie');
  const proto = typeof doc.protocol === 'string' ? doc.protocol : undefined;
  const ok =
    id === 'cowrie.session.connect'
      ? connection(ev, doc.src_ip, String(doc.src_port), String(doc.dst_ip), String(doc.dst_port), proto ?? 'ssh')
      : login(
          ev,
          doc.src_ip,
          typeof doc.username === 'string' ? doc.username : undefined,
          id === 'cowrie.login.success',
          proto,
        );
  return ok ? stream.done(ev, time) : undefined;
}
