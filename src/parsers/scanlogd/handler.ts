import { normalizeIp, setSource, splitHostPort } from '../shared/address.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * scanlogd reporting a TCP port scan: `SRC[:PORT] to DST ports P1, P2, ...[, ...], FLAGS, TOS
 * xx[, TTL n] @hh:mm:ss`, all of it read from the scan's packet headers (the source port only
 * when every probe used the same one). The source is the record's first word.
 */
const SCAN =
  /^(\S+) to (\S+) ports (\d{1,5}(?:, \d{1,5})*)(?:, \.\.\.)?, [A-Za-z?]{8}, TOS [0-9a-f]{2}(?:, TTL \d{1,3})? @\d\d:\d\d:\d\d$/;

/** Categories of a scan a detector reports. */
export const SCAN_CATEGORY: readonly string[] = Object.freeze(['network', 'intrusion_detection']);

/** scanlogd through syslog (fail2ban's scanlogd). */
export function createScanlogdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'scanlogd';
    const s = SCAN.exec(env.msg);
    if (s === null) return true;
    const src = splitHostPort(s[1]!, true);
    if (!setSource(ev, src.host, src.port)) return true;
    const dst = normalizeIp(s[2]!);
    if (dst !== undefined) ev['destination.ip'] = dst;
    ev['network.transport'] = 'tcp';
    ev['event.category'] = SCAN_CATEGORY;
    ev['event.action'] = 'port_scan';
    // The probes were answered by this host's closed ports or not at all: a hostile act, as a
    // firewall's blocked packet is.
    ev['event.outcome'] = 'failure';
    ev['leuko.scan.ports'] = s[3]!.split(', ');
    return true;
  };
}
