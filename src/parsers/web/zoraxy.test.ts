import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
const zoraxy = (client: string, agent: string, uri: string, origin = 'www.example.com') =>
  `2024/06/14 09:00:00 [2024-06-14 09:00:00.417736] [router:root-no_resp] [origin:${origin}] [client: ${client}] [useragent: ${agent}] GET ${uri} 444`;

describe('Zoraxy request log', () => {
  it('reads the client, the request, the status and the agent', () => {
    expect(parse(zoraxy('198.51.100.7', 'Mozilla/5.0 zgrab/0.x', '/ecp/x.application?y=1'))!.event).toMatchObject({
      'event.dataset': 'zoraxy.access',
      'source.ip': '198.51.100.7',
      'http.request.method': 'GET',
      'url.path': '/ecp/x.application',
      'url.query': 'y=1',
      'url.domain': 'www.example.com',
      'http.response.status_code': 444,
      'user_agent.original': 'Mozilla/5.0 zgrab/0.x',
    });
  });
  it('keeps the client of a line whose agent plants another client field', () => {
    const ev = parse(zoraxy('198.51.100.7', 'x] [client: 203.0.113.9] [useragent: y', '/'))!.event;
    expect(ev['source.ip']).toBe('198.51.100.7');
    expect(ev['user_agent.original']).toBe('x] [client: 203.0.113.9] [useragent: y');
  });
  it('does not take an nginx error line, nor a client that is not one address', () => {
    expect(
      parse('2024/06/14 09:00:00 [error] 812#812: *1 open() "/x" failed, client: 198.51.100.7, server: x')?.event[
        'event.dataset'
      ],
    ).toBe('nginx.error');
    expect(parse(zoraxy('198.51.100.7, 203.0.113.9', 'x', '/'))).toBeNull();
  });
});
