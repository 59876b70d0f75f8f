import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
const alb = (client: string, request: string, agent: string, status = '200') =>
  `https 2024-06-14T09:00:00.186641Z app/web/490d68edf04676fe ${client} 10.0.0.66:9000 0.000 0.002 0.000 ${status} ${status} 5 257 "${request}" "${agent}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 "Root=1-58337327-72bd00b0343d75b906739c42" "www.example.com" "-" 1 2024-06-14T09:00:00.000000Z "forward" "-" "-" "10.0.0.66:9000" "${status}" "-" "-"`;

describe('AWS ALB access log', () => {
  it('reads the client, the request as an origin server sees it, the status and the agent', () => {
    const ev = parse(
      alb('198.51.100.7:44750', 'GET https://www.example.com:443/admin.php?a=1 HTTP/1.1', 'Nikto/2.1.5', '404'),
    )!.event;
    expect(ev).toMatchObject({
      'event.dataset': 'aws.elb',
      'source.ip': '198.51.100.7',
      'source.port': 44750,
      'http.request.method': 'GET',
      'url.original': '/admin.php?a=1',
      'url.path': '/admin.php',
      'url.query': 'a=1',
      'url.domain': 'www.example.com',
      'url.port': 443,
      'http.response.status_code': 404,
      'http.response.body.bytes': 257,
      'user_agent.original': 'Nikto/2.1.5',
      '@timestamp': '2024-06-14T09:00:00.186Z',
    });
    expect(parse(alb('[2001:db8::7]:1', 'GET http://example.com HTTP/1.1', '-'))!.event).toMatchObject({
      'source.ip': '2001:db8::7',
      'url.path': '/',
    });
  });
  it('keeps the client of a line whose agent and path plant another address', () => {
    const ev = parse(
      alb('198.51.100.7:1', 'GET https://x/ 203.0.113.9:1 HTTP/1.1', '" 203.0.113.9:1 10.0.0.1:80'),
    )!.event;
    expect(ev['source.ip']).toBe('198.51.100.7');
  });
  it('leaves other lines to other readers', () => {
    expect(parse('http is not a log line')).toBeNull();
    expect(parse('https 2024-06-14T09:00:00Z only a few fields')).toBeNull();
  });
});
