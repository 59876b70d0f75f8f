import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const auto = () => createParser('auto', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });

const ntfy = (code: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    time: '2024-06-15T10:32:00.02-04:00',
    level: 'DEBUG',
    message: `Connection closed with HTTP ${Math.floor(code / 100)} (ntfy error ${code})`,
    error: 'unauthorized',
    error_code: code,
    http_path: '/alerts/auth',
    visitor_ip: '203.0.113.60',
    ...extra,
  });

const dashboards = (status: number, url: string, remote = '198.51.100.61') =>
  JSON.stringify({
    type: 'response',
    '@timestamp': '2024-06-15T10:09:20Z',
    method: 'post',
    statusCode: status,
    req: { url, method: 'post', headers: { 'x-forwarded-for': '10.66.66.66' }, remoteAddress: remote },
    message: `POST ${url} ${status}`,
  });

describe('ntfy', () => {
  it('reads refused credentials (40101) and a refused topic (40301) from its JSON log', () => {
    const p = auto();
    expect(p(ntfy(40101))?.event).toMatchObject({
      'event.dataset': 'ntfy',
      'event.outcome': 'failure',
      'event.action': 'web_login_failure',
      'source.ip': '203.0.113.60',
    });
    expect(p(ntfy(40301))?.event['event.action']).toBe('web_access_denied');
    expect(p(ntfy(40101))?.time).toBe(Date.parse('2024-06-15T14:32:00.020Z'));
  });
  it('reads its records through syslog; other records stay plain', () => {
    const p = auto();
    expect(p(`Jun 15 10:00:00 push1 ntfy[77]: ${ntfy(40101)}`)?.event['source.ip']).toBe('203.0.113.60');
    expect(
      p(ntfy(40401, { message: 'Connection closed with HTTP 404 (ntfy error 40401)' }))?.event['event.outcome'],
    ).toBeUndefined();
    expect(p(ntfy(40101, { visitor_ip: 'x' }))?.event['source.ip']).toBeUndefined();
  });
});

describe('OpenSearch Dashboards and Kibana', () => {
  it('reads a 401 to the login API, the peer from req.remoteAddress', () => {
    const p = auto();
    const r = p(`Jun 15 10:00:00 siem1 opensearch-dashboards[9400]: ${dashboards(401, '/auth/login?dataSourceId=')}`);
    expect(r?.event).toMatchObject({
      'event.dataset': 'opensearch-dashboards',
      'event.outcome': 'failure',
      'source.ip': '198.51.100.61',
    });
    expect(p(dashboards(401, '/internal/security/login'))?.event['source.ip']).toBe('198.51.100.61');
    expect(
      p(`Jun 15 10:00:00 siem1 kibana[1]: ${dashboards(401, '/internal/security/login')}`)?.event['event.dataset'],
    ).toBe('kibana');
  });
  it('ignores other answers and paths', () => {
    const p = auto();
    expect(p(dashboards(200, '/auth/login'))?.event['event.outcome']).toBeUndefined();
    expect(p(dashboards(401, '/api/status?/auth/login'))?.event['event.outcome']).toBeUndefined();
    expect(p(dashboards(401, '/auth/login', 'not-an-address'))?.event['source.ip']).toBeUndefined();
  });
});

describe('MeshCentral', () => {
  it('reads its auth log, the address after the user name read from the end', () => {
    const p = auto();
    const r = p('Jun 15 10:00:00 meshcentral https[26880]: Failed password for admin from 203.0.113.62 port 57951');
    expect(r?.event).toMatchObject({
      'event.dataset': 'meshcentral',
      'event.outcome': 'failure',
      'source.ip': '203.0.113.62',
      'user.name': 'admin',
    });
    const evil = p(
      'Jun 15 10:00:00 meshcentral https[26880]: Failed password for x from 10.66.66.66 port 1 from 203.0.113.63 port 57951',
    );
    expect(evil?.event['source.ip']).toBe('203.0.113.63');
    const ok = p('Jun 15 10:00:01 meshcentral https[26880]: Accepted password for admin from 203.0.113.62 port 57952');
    expect(ok?.event['event.outcome']).toBe('success');
  });
});
