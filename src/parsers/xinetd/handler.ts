import { setSource } from '../shared/address.js';
import { NETWORK, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * xinetd's connection records: `START: SERVICE pid=N from=ADDR` and, for a connection its
 * access control turned away, `FAIL: SERVICE REASON from=ADDR`. Everything on them is xinetd's
 * (the service id from its configuration, the reason from a fixed list); the client sends
 * nothing before either is written.
 */
const FAIL = /^FAIL: (\S+) (.+) from=(\S+)$/;
const START = /^START: (\S+) pid=\d+ from=(\S+)$/;
/**
 * Reasons that refuse the client itself (only_from / no_access, TCP wrappers); the others
 * (time, service_limit, per_source_limit, cps, load...) are the server's limits being reached.
 */
const REFUSED: ReadonlySet<string> = new Set(['address', 'libwrap']);

/** xinetd through syslog: refused connections (fail2ban's xinetd-fail). */
export function createXinetdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'xinetd';
    const m = env.msg;
    if (m.startsWith('FAIL: ')) {
      const f = FAIL.exec(m);
      if (f === null || !setSource(ev, f[3]!)) return true;
      ev['service.name'] = f[1]!;
      ev['event.category'] = NETWORK;
      ev['event.type'] = TYPE_DENIED;
      ev['event.reason'] = f[2]!;
      if (REFUSED.has(f[2]!)) {
        ev['event.action'] = 'connection_refused';
        ev['event.outcome'] = 'failure';
      } else ev['event.action'] = 'connection_limited';
      return true;
    }
    const s = START.exec(m);
    if (s !== null && setSource(ev, s[2]!)) {
      ev['service.name'] = s[1]!;
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'connection_accepted';
    }
    return true;
  };
}
