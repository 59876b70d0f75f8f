import type { EcsEvent, ParsedLine } from '../../../core/event.js';
import { normalizeIp } from '../../../parsers/shared/address.js';
import type { Failure } from '../match/filter.js';

/**
 * A fail2ban failure as an ECS event: `event.outcome: failure` with the offender in
 * `source.ip` (an address from `<HOST>`/`<ADDR>`) or `source.address` (a host name, or the
 * `<F-ID>` of id-based filters), `user.name` from `<F-USER>`. Only the groups the filter's
 * anchored expression captured are used, so text elsewhere in the line never picks the host.
 */
export function failureEvent(
  f: Failure,
  line: string,
  meta: { jail: string; filter: string; logPath?: string; hostName?: string; fallbackMs: number },
): ParsedLine {
  const time = f.time === undefined ? meta.fallbackMs : Math.round(f.time * 1000);
  const ev: EcsEvent = {
    '@timestamp': new Date(time).toISOString(),
    message: line,
    'event.kind': 'event',
    'event.category': ['authentication'],
    'event.type': ['start'],
    'event.action': 'fail2ban_failure',
    'event.outcome': 'failure',
    'event.dataset': `fail2ban.${meta.jail}`,
    'leuko.fail2ban.filter': meta.filter,
    'leuko.fail2ban.failregex': f.regexIndex,
  };
  const addrText = f.ip ?? (f.kind === 'ip4' || f.kind === 'ip6' ? f.id : undefined);
  const ip = addrText === undefined ? undefined : normalizeIp(addrText);
  if (ip !== undefined) ev['source.ip'] = ip;
  if (f.kind === 'dns' && f.id !== undefined) ev['source.address'] = f.id;
  if (f.kind === 'id' && f.id !== undefined) ev['leuko.fail2ban.id'] = f.id;
  if (ip === undefined && f.kind === 'id' && f.id !== undefined) ev['source.address'] = f.id;
  const user = f.groups.user;
  if (typeof user === 'string' && user !== '') ev['user.name'] = user;
  const port = f.groups.fport;
  if (typeof port === 'string' && /^\d{1,5}$/.test(port)) ev['destination.port'] = Number(port);
  if (meta.logPath !== undefined) ev['log.file.path'] = meta.logPath;
  if (meta.hostName !== undefined) ev['host.name'] = meta.hostName;
  return { time, event: ev };
}
