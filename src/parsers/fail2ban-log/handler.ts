import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp, setSource } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * fail2ban's own log (`/var/log/fail2ban.log`, or syslog and the journal): each ban and unban of
 * a jail, `fail2ban.actions [PID]: NOTICE [JAIL] Ban ADDR`. On a host where fail2ban still runs
 * beside Leuko, its bans are another sensor's verdicts: alerts about the address, which
 * leuko/fail2ban-recidive turns into a long ban when they repeat (fail2ban's recidive jail).
 * The jail name is fail2ban's own configuration; the address is the record's last word.
 */
const ACTION = /^fail2ban\.actions\s*(?:\[\d+\])?:\s+NOTICE\s+\[([^\]\s]+)\]\s+(Ban|Unban|Restore Ban)\s+(\S+)\s*$/;
const BAN: readonly string[] = Object.freeze(['intrusion_detection']);
const DENIED: readonly string[] = Object.freeze(['denied']);

function fill(ev: EcsEvent, text: string): boolean {
  const m = ACTION.exec(text);
  ev['event.dataset'] = 'fail2ban';
  if (m === null) return true;
  const ip = normalizeIp(m[3]!);
  if (ip === undefined || !setSource(ev, ip)) return false;
  ev['event.kind'] = 'alert';
  ev['event.category'] = BAN;
  ev['event.type'] = DENIED;
  // A ban restored at fail2ban's restart is the same ban again, not a new one.
  ev['event.action'] = m[2] === 'Unban' ? 'fail2ban_unban' : m[2] === 'Ban' ? 'fail2ban_ban' : 'fail2ban_ban_restored';
  ev['rule.name'] = m[1]!;
  return true;
}

/** fail2ban-server / fail2ban.actions through syslog or the journal. */
export function createFail2banLogHandler(): ProgramHandler {
  return (env, ev) => {
    // `fail2ban-server[N]: fail2ban.actions [N]: ...`, or the logger's name as the program.
    const text = env.program?.startsWith('fail2ban.actions') ? `fail2ban.actions: ${env.msg}` : env.msg;
    return fill(ev, text);
  };
}

/** A line of fail2ban's own log; undefined for any other line. */
export function fail2banLogLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (line.charCodeAt(19) !== 44 || !line.startsWith(' fail2ban.actions', 23)) return undefined;
  const at = isoAt(line, 0, stream.local);
  if (at === undefined || at[1] !== 23) return undefined;
  const ev = stream.event(line, at[0], 'fail2ban');
  return fill(ev, line.slice(24)) ? stream.done(ev, at[0]) : null;
}
