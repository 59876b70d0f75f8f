import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
const couch = (host: string, peer: string, user: string, request: string, status: number) =>
  `[notice] 2024-06-14T09:00:00.579985Z nonode@nohost <0.17607.12> e1fed412f8 ${host} ${peer} ${user} ${request} ${status} ok 1`;

describe('CouchDB request log', () => {
  it('reads a request as an access event', () => {
    expect(parse(couch('db.example.org:5984', '198.51.100.7', 'undefined', 'GET /z22ctc', 404))!.event).toMatchObject({
      'event.dataset': 'couchdb',
      'event.category': ['web'],
      'source.ip': '198.51.100.7',
      'http.request.method': 'GET',
      'url.path': '/z22ctc',
      'url.domain': 'db.example.org',
      'http.response.status_code': 404,
    });
    expect(parse(couch('db', '198.51.100.7', 'alice', 'GET /_all_dbs', 200))!.event['user.name']).toBe('alice');
  });
  it('reads a refused /_session log-in as a failed login, another 401 as a refused request', () => {
    expect(parse(couch('db', '198.51.100.7', 'undefined', 'POST /_session', 401))!.event).toMatchObject({
      'event.category': ['web', 'authentication'],
      'event.outcome': 'failure',
    });
    expect(parse(couch('db', '198.51.100.7', 'undefined', 'GET /', 401))!.event['event.category']).toEqual(['web']);
  });
  it('reads the same through syslog', () => {
    const line = couch('db', '198.51.100.7', 'undefined', 'POST /_session', 401);
    expect(parse(`Jun 14 09:00:00 srv couchdb[51]: ${line}`)!.event).toMatchObject({
      'event.dataset': 'couchdb',
      'event.category': ['web', 'authentication'],
      'source.ip': '198.51.100.7',
      'process.name': 'couchdb',
    });
  });
  it('does not read a line whose Host header shifts the fields', () => {
    const r = parse(couch('x 203.0.113.9', '198.51.100.7', 'undefined', 'GET /', 401));
    expect(r?.event['source.ip']).toBeUndefined();
    expect(parse('[notice] 2024-06-14T09:00:00.579985Z nonode@nohost <0.1.2> couch_replicator started')).toBeNull();
  });
});
