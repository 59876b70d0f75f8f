import type { ParsedLine } from '../../core/event.js';
import { normalizeIp, setSource } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';

/**
 * ejabberd's log, failed XMPP logins: `... Failed authentication for U from IP ADDR ({{...}})`,
 * `... Failed authentication for U from ADDR`, `... Failed c2s PLAIN authentication for U from
 * ADDR: REASON`. Since 2.1.13 (lager) each line starts with its time; before, an `=INFO REPORT====
 * TIME ===` header line stands above the record (`I(<0.1440.0>:ejabberd_c2s:813) : ...`). The
 * user name (the client's JID) comes first, the address is read from the record's end.
 */
const FAILED =
  /Failed (?:c2s [\w-]+ )?authentication for (.*) from (?:IP )?([0-9A-Fa-f:.]+?)(?: \(\{\{[\d,]+\},\d+\}\)|: [^:]*)?$/;
const HEADER = /^=(?:INFO|ERROR|WARNING) REPORT==== (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ===$/;
const LAGER = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) \[\w+\] <[\d.]+>@ejabberd_\w+:/;

export interface EjabberdReader {
  /** A line of ejabberd's log; null for a header line or a dropped record; undefined for other lines. */
  line(stream: Stream, line: string): ParsedLine | null | undefined;
  /**
   * The time of the last header, when there is one: a checkpoint between a header and its
   * record must give the record its time after a restart (see LineParser.snapshot).
   */
  snapshot(): number | undefined;
  restore(headerTime: number): void;
}

/** One per stream: the old format's records take their time from the header above them. */
export function createEjabberdReader(): EjabberdReader {
  let headerTime: number | undefined;
  const record = (stream: Stream, line: string, time: number): ParsedLine | null => {
    const ev = stream.event(line, time, 'ejabberd');
    const m = line.includes(' authentication for ') ? FAILED.exec(line) : null;
    if (m === null) return stream.done(ev, time);
    const ip = normalizeIp(m[2]!);
    if (ip === undefined || !setSource(ev, ip)) return null;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'xmpp_login_failure';
    ev['event.outcome'] = 'failure';
    if (m[1]!.length > 0) ev['user.name'] = m[1]!;
    return stream.done(ev, time);
  };
  return {
    line(stream, line) {
      const c = line.charCodeAt(0);
      if (c === 61) {
        const h = HEADER.exec(line);
        if (h === null) return undefined;
        headerTime = isoAt(h[1]!, 0, stream.local)?.[0];
        return null;
      }
      if (c >= 48 && c <= 57) {
        if (line.charCodeAt(10) !== 32) return undefined;
        const l = LAGER.exec(line);
        if (l === null) return undefined;
        const at = isoAt(l[1]!, 0, stream.local);
        return at === undefined ? undefined : record(stream, line, at[0]);
      }
      // `I(<0.1440.0>:ejabberd_c2s:813) : ...` under a header (I, W, E: its level).
      if (line.charCodeAt(1) !== 40 || !line.startsWith('(<', 1) || !line.includes(':ejabberd_')) return undefined;
      return record(stream, line, headerTime ?? stream.ctx.clock.now());
    },
    snapshot: () => headerTime,
    restore(t) {
      headerTime = t;
    },
  };
}
