import type { EcsEvent } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import { AUTHENTICATION } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * strongSwan's IKE daemon (charon, charon-systemd) through syslog: `THREAD[GROUP] <CONN|ID> MSG`,
 * `<CONN|ID>` naming the IKE_SA. Its refused logins name no address:
 * - `EAP-MS-CHAPv2 verification failed, retry (1)` (the name from `EAP-MS-CHAPv2 username: 'U'`);
 * - `EAP method EAP_X failed for peer ID`;
 * - `XAuth authentication of 'U' failed` (the `XAuth pam_authenticate ... failed` before it is
 *   the same attempt: not counted);
 * - `tried N shared keys for 'A' - 'B', but MAC mismatched` (a wrong pre-shared key).
 * The IKE_SA's packets do: `received packet: from PEER[PORT] to ...`, `sending packet: from ...
 * to PEER[PORT]`, charon's own words before anything the client sent. So the peer of each IKE_SA
 * is remembered; a failure of an IKE_SA whose peer is not known yet is held until its next
 * packet line, which then carries the failure (as fail2ban and CrowdSec's parser read it). The
 * names and identities are the client's text, only ever read as the user name.
 */
const HEAD = /^\d+\[[A-Z]+\] <([^|<>]*\|\d+)> /;
const PACKET = /^(received|sending) packet: from (\S+)\[\d+\] to (\S+)\[\d+\]/;
const EAP_NAME = /^EAP-MS-CHAPv2 username: '(.*)'$/;
const IDENTITY = /^received EAP identity '(.*)'$/;
const XAUTH = /^XAuth authentication of '(.*)' failed$/;
const EAP_METHOD = /^EAP method \S+ failed for peer (.*)$/;
const PSK = /^tried \d+ shared keys? for '(.*)' - '.*', but MAC mismatched$/;
/** IKE_SAs remembered at most (a flood of half-open ones only forgets the oldest). */
const MAX_SAS = 4096;

interface Failure {
  readonly user: string | undefined;
  readonly reason: string;
}

/** A failure record's user name and reason; undefined for any other message. */
function failureOf(text: string, known: string | undefined): Failure | undefined {
  if (text.startsWith('EAP-MS-CHAPv2 verification failed'))
    return { user: known, reason: 'EAP-MS-CHAPv2 verification failed' };
  const x = text.charCodeAt(0) === 88 ? XAUTH.exec(text) : null;
  if (x !== null) return { user: x[1], reason: 'XAuth authentication failed' };
  const e = text.charCodeAt(0) === 69 ? EAP_METHOD.exec(text) : null;
  if (e !== null) return { user: known ?? e[1], reason: 'EAP method failed' };
  const p = text.charCodeAt(0) === 116 ? PSK.exec(text) : null;
  if (p !== null) return { user: p[1], reason: 'pre-shared key mismatch' };
  return undefined;
}

function fail(ev: EcsEvent, ip: string, f: Failure): void {
  ev['source.ip'] = ip;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'vpn_auth_failure';
  ev['event.outcome'] = 'failure';
  ev['event.reason'] = f.reason;
  if (f.user !== undefined && f.user.length > 0) ev['user.name'] = f.user;
}

/** Set `key` in a map kept to MAX_SAS entries, the oldest forgotten first. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_SAS) map.delete(map.keys().next().value!);
}

export function createStrongswanHandler(): ProgramHandler {
  const peers = new Map<string, string>();
  const users = new Map<string, string>();
  const pending = new Map<string, Failure>();
  const handler: ProgramHandler = (env, ev) => {
    ev['event.dataset'] = 'strongswan';
    const h = HEAD.exec(env.msg);
    if (h === null) return true;
    const sa = h[1]!;
    const text = env.msg.slice(h[0].length);
    const packet = text.charCodeAt(1) === 101 ? PACKET.exec(text) : null;
    if (packet !== null) {
      const ip = normalizeIp(packet[1] === 'received' ? packet[2]! : packet[3]!);
      if (ip === undefined) return true;
      remember(peers, sa, ip);
      const held = pending.get(sa);
      if (held !== undefined) {
        pending.delete(sa);
        fail(ev, ip, held);
      }
      return true;
    }
    const name = EAP_NAME.exec(text) ?? IDENTITY.exec(text);
    if (name !== null) {
      remember(users, sa, name[1]!);
      return true;
    }
    const f = failureOf(text, users.get(sa));
    if (f === undefined) return true;
    const ip = peers.get(sa);
    if (ip !== undefined) fail(ev, ip, f);
    else remember(pending, sa, f);
    return true;
  };
  handler.snapshot = () =>
    peers.size === 0 && pending.size === 0
      ? undefined
      : { peers: [...peers], users: [...users], pending: [...pending].map(([k, f]) => [k, f.user ?? null, f.reason]) };
  handler.restore = (state) => {
    if (typeof state !== 'object' || state === null) return;
    const s = state as Record<string, unknown>;
    const rows = (v: unknown) => (Array.isArray(v) ? v.filter((r): r is unknown[] => Array.isArray(r)) : []);
    for (const r of rows(s.peers))
      if (typeof r[0] === 'string' && typeof r[1] === 'string') remember(peers, r[0], r[1]);
    for (const r of rows(s.users))
      if (typeof r[0] === 'string' && typeof r[1] === 'string') remember(users, r[0], r[1]);
    for (const r of rows(s.pending))
      if (typeof r[0] === 'string' && typeof r[2] === 'string')
        remember(pending, r[0], { user: typeof r[1] === 'string' ? r[1] : undefined, reason: r[2] });
  };
  return handler;
}
