import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const make = () => createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
const FIELDS =
  '#Fields: date time s-sitename cs-method cs-uri-stem cs-uri-query c-ip cs-version cs(User-Agent) sc-status';
const custom = (client: string, agent: string) =>
  `2024-06-01 10:00:00 W3SVC1 POST /owa/auth.owa - ${client} HTTP/1.1 ${agent} 302`;

describe("IIS's W3C log", () => {
  it('reads the default fields without a directive', () => {
    const ev = make()(
      '2024-06-01 10:00:00 192.0.2.10 GET /wp-login.php action=register 443 - 203.0.113.5 Mozilla/5.0+(X11) - 404 0 2 15',
    )!.event;
    expect(ev).toMatchObject({
      'event.dataset': 'iis.access',
      'source.ip': '203.0.113.5',
      'url.original': '/wp-login.php?action=register',
      'http.response.status_code': 404,
      'user_agent.original': 'Mozilla/5.0 (X11)',
      '@timestamp': '2024-06-01T10:00:00.000Z',
    });
  });
  it('follows the columns a #Fields: directive names, and keeps them across a checkpoint', () => {
    const parse = make();
    expect(parse(FIELDS)).toBeNull();
    expect(parse(custom('198.51.100.8', 'curl/8.5.0'))!.event).toMatchObject({
      'event.dataset': 'iis.access',
      'source.ip': '198.51.100.8',
      'http.request.method': 'POST',
      'http.version': '1.1',
      'http.response.status_code': 302,
    });
    const state = parse.snapshot?.();
    const resumed = make();
    resumed.restore?.(state!);
    expect(resumed(custom('198.51.100.9', 'curl/8.5.0'))!.event['source.ip']).toBe('198.51.100.9');
  });
  it('does not read a line with a word more than the columns: a field that was not IIS’s', () => {
    const parse = make();
    parse(FIELDS);
    const r = parse(custom('198.51.100.8', 'x 203.0.113.99'));
    expect(r?.event['event.dataset']).not.toBe('iis.access');
  });
});
