import type { Detection } from '../../src/core/detection.js';
import type { EcsEvent, Observation } from '../../src/core/event.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { createManualClock } from '../../src/core/clock.js';
import { builtinScenarioDir, createScenarioEngine, loadScenarios } from '../../src/detectors/scenarios/index.js';
import { createParser } from '../../src/parsers/index.js';

/** Hand-built events for the built-in scenarios' sample tests. */
const loaded = loadScenarios([builtinScenarioDir()]);
if (loaded.issues.length > 0) throw new Error(JSON.stringify(loaded.issues, null, 2));
export const builtins = loaded.scenarios;

export const S = 1000;
export const M = 60 * S;

function event(t: number, message: string, fields: Record<string, unknown>): Observation {
  const ev = { '@timestamp': new Date(t).toISOString(), message, 'event.kind': 'event', ...fields } as EcsEvent;
  return { time: t, event: ev, sourceId: 'sample' };
}

const sshBase = (host = 'web1') => ({
  'event.dataset': 'sshd',
  'event.category': ['authentication'],
  // The syslog envelope's host, as the sshd parser reports it (ECS host.hostname).
  'host.hostname': host,
});

export const ssh = {
  /** `Failed password for USER from IP`. */
  fail: (t: number, ip: string, user = 'root', host?: string) =>
    event(t, `sshd: Failed password for ${user} from ${ip} port 2222 ssh2`, {
      ...sshBase(host),
      'event.outcome': 'failure',
      'event.action': 'ssh_login',
      'leuko.ssh.method': 'password',
      'user.name': user,
      'source.ip': ip,
    }),
  invalid: (t: number, ip: string, user: string) =>
    event(t, `sshd: Invalid user ${user} from ${ip} port 2222`, {
      ...sshBase(),
      'event.outcome': 'failure',
      'event.action': 'ssh_invalid_user',
      'leuko.ssh.invalid_user': true,
      'user.name': user,
      'source.ip': ip,
    }),
  pubkey: (t: number, ip: string, user = 'root') =>
    event(t, `sshd: Failed publickey for ${user} from ${ip} port 2222 ssh2`, {
      ...sshBase(),
      'event.outcome': 'failure',
      'event.action': 'ssh_login',
      'leuko.ssh.method': 'publickey',
      'user.name': user,
      'source.ip': ip,
    }),
  /** As the sshd parser reports it: a network event without an outcome. */
  preauth: (t: number, ip: string, user?: string) =>
    event(t, `sshd: Connection closed by ${user ? `authenticating user ${user} ` : ''}${ip} port 2222 [preauth]`, {
      'event.dataset': 'sshd',
      'event.category': ['network'],
      'host.hostname': 'web1',
      'event.action': 'ssh_preauth_disconnect',
      'leuko.ssh.preauth': true,
      'user.name': user,
      'source.ip': ip,
    }),
  ok: (t: number, ip: string, user = 'alice', method = 'publickey') =>
    event(t, `sshd: Accepted ${method} for ${user} from ${ip} port 2222 ssh2`, {
      ...sshBase(),
      'event.outcome': 'success',
      'event.action': 'ssh_login',
      'leuko.ssh.method': method,
      'user.name': user,
      'source.ip': ip,
    }),
};

export interface HttpOpts {
  method?: string;
  ua?: string;
  ref?: string;
  dataset?: string;
}

/** One access-log line. */
export function http(t: number, ip: string, url: string, status: number, o: HttpOpts = {}): Observation {
  const method = o.method ?? 'GET';
  const fields: Record<string, unknown> = {
    'event.dataset': o.dataset ?? 'nginx.access',
    'source.ip': ip,
    'http.request.method': method,
    'url.original': url,
    'url.path': url.split('?')[0],
    'http.version': '1.1',
    'http.response.status_code': status,
    'user_agent.original': o.ua ?? 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  };
  if (o.ref) fields['http.request.referrer'] = o.ref;
  return event(t, `${ip} - - "${method} ${url} HTTP/1.1" ${status} 0 "-" "${fields['user_agent.original']}"`, fields);
}

/** A raw, unparseable request line answered 400 (no method, no version). */
export function malformed(t: number, ip: string, raw: string): Observation {
  return event(t, `${ip} - - "${raw}" 400 0 "-" "-"`, {
    'event.dataset': 'apache.access',
    'source.ip': ip,
    'url.original': raw,
    'http.response.status_code': 400,
  });
}

/**
 * A real nginx access line (combined format) at second `s` of one minute, for `parsed`: the
 * parser fills url.path, url.query and the rest as it does for live logs.
 */
export function accessLine(ip: string, s: number, url: string, status: number, method = 'GET'): string {
  return `${ip} - - [02/Dec/2025:19:47:${String(s).padStart(2, '0')} +0000] "${method} ${url} HTTP/1.1" ${status} 1234 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
}

const parseAuto = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });

/**
 * Real log lines through the real parsers (`auto`), for scenarios over services whose field
 * names only the parser knows: a field named differently would silently disable the scenario.
 * Every line must parse, or the sample would test nothing.
 */
export function parsed(lines: readonly string[]): Observation[] {
  return lines.map((line) => {
    const p = parseAuto(line);
    if (p === null) throw new Error(`sample not parsed: ${line}`);
    return { time: p.time, event: p.event, sourceId: 'sample' };
  });
}

/** Run only the named built-in scenario over the events. */
export function run(name: string, events: readonly Observation[]): Detection[] {
  const sc = builtins.filter((s) => s.name === name);
  if (sc.length !== 1) throw new Error(`no built-in scenario ${name}`);
  const engine = createScenarioEngine(sc, { ids: createSequentialIds() });
  return events.flatMap((o) => engine.process(o));
}

/** Entity values that fired. */
export function fired(name: string, events: readonly Observation[]): string[] {
  return run(name, events).map((d) => d.entity.value);
}

export function times<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}
