import { setSource } from '../shared/address.js';
import { NETWORK, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * NRPE (Nagios' remote plugin executor) refusing a host outside `allowed_hosts`, written when
 * the connection is accepted, before the client has sent anything.
 */
const NOT_ALLOWED = /^Host (\S+) is not allowed to talk to us!\s*$/;

/** nrpe through syslog: refused hosts (fail2ban's nagios). */
export function createNrpeHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'nrpe';
    const n = NOT_ALLOWED.exec(env.msg);
    if (n === null || !setSource(ev, n[1]!)) return true;
    ev['service.name'] = 'nrpe';
    ev['event.category'] = NETWORK;
    ev['event.type'] = TYPE_DENIED;
    ev['event.action'] = 'connection_refused';
    ev['event.outcome'] = 'failure';
    return true;
  };
}
