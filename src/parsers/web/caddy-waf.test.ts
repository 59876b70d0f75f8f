import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 11, 7)) });
/** A Coraza match as the coraza-caddy module logs it, with the URI the client asked for. */
const record = (client: string, uri: string, severity = 'critical', id = '942100') =>
  JSON.stringify({
    level: 'warn',
    ts: 1700758468.384019,
    logger: 'http.handlers.waf',
    msg: `[client "${client}"] Coraza: Warning. SQL Injection Attack Detected via libinjection [file "/ruleset/coreruleset/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [line "46"] [id "${id}"] [rev ""] [msg "SQL Injection Attack Detected via libinjection"] [data "Matched Data: s&sos found within ARGS:q: 1' or 1=1"] [severity "${severity}"] [ver "OWASP_CRS/4.0.0"] [hostname ""] [uri "${uri}"] [unique_id "abc"]`,
  });

describe("Coraza's matches in Caddy's log", () => {
  it('reads the client Coraza names first and the rule as a WAF alert', () => {
    const ev = parse(record('203.0.113.95', "/search?q=1'%20or%201=1"))?.event;
    expect(ev).toMatchObject({
      'event.dataset': 'caddy.waf',
      'source.ip': '203.0.113.95',
      'event.action': 'waf_alert',
      'rule.id': '942100',
      'leuko.waf.severity': 'CRITICAL',
      'observer.product': 'Coraza',
      '@timestamp': '2023-11-23T16:54:28.384Z',
    });
  });
  it('never takes an address from the request it quotes', () => {
    const ev = parse(record('203.0.113.96', '/x"] [client "198.51.100.9"] Coraza: Warning.'))?.event;
    expect(ev?.['source.ip']).toBe('203.0.113.96');
  });
  it('drops a record whose client does not read', () => {
    expect(parse(record('not an address', '/'))).toBeNull();
  });
});
