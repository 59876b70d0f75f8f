import { parsePeer, splitHostPort } from '../shared/address.js';
import { NETWORK, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/** BIND: `client @0x7f... 192.0.2.1#53 (example.com): query (cache) 'x/A/IN' denied`. */
export function createNamedHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'named';
    const m = /^(?:\S+: )?client (?:@0x[0-9a-f]+ )?([^\s#]+)#(\d+)(?: \([^)\s]*\))?: (?:view \S+: )?/.exec(env.msg);
    if (m === null) return true;
    const peer = parsePeer(splitHostPort(m[1]!).host);
    if (peer === undefined) return true;
    if ('ip' in peer) ev['source.ip'] = peer.ip;
    else ev['source.address'] = peer.address;
    ev['source.port'] = Number(m[2]);
    ev['event.category'] = NETWORK;
    const rest = env.msg.slice(m[0].length);
    if (/^(?:query(?: \(cache\))?|update|zone transfer|notify) '.*' denied$/.test(rest)) {
      ev['event.action'] = 'dns_request_denied';
      ev['event.type'] = TYPE_DENIED;
      ev['event.outcome'] = 'failure';
    } else ev['event.action'] = 'dns_client';
    return true;
  };
}
