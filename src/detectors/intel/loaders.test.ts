import { describe, expect, it } from 'vitest';
import { IndicatorSet } from './indicators.js';
import { loadCsv, loadMisp, loadPlain, loadStix } from './loaders.js';

const NOW = Date.UTC(2026, 11, 6);

describe('feed loaders', () => {
  it('reads plain lists of addresses, ranges, domains, URLs and hashes, skipping junk', () => {
    const r = loadPlain(
      '# comment\n198.51.100.7\n203.0.113.0/24 ; SBL1\n2001:db8::/32\nevil.example\nhttp://Bad.Example/x/\n' +
        'a'.repeat(64) +
        '\nnot an indicator!\n',
    );
    expect(r.indicators.map((i) => i.type)).toEqual(['ip', 'ip', 'ip', 'domain', 'url', 'hash']);
    expect(r.skipped).toBe(1);
  });
  it('reads a CSV column by index or header name', () => {
    const text = 'first_seen,ip,port\n2026-01-01,198.51.100.9,443\n2026-01-02,bogus,80\n';
    expect(loadCsv(text, { column: 'ip', delimiter: ',', header: true }).indicators).toEqual([
      { type: 'ip', value: '198.51.100.9' },
    ]);
    expect(loadCsv(text, { column: 1, delimiter: ',', header: true }).skipped).toBe(1);
  });
  it('reads STIX 2.1 indicators with simple patterns and drops revoked or expired ones', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--1',
      objects: [
        {
          type: 'indicator',
          pattern_type: 'stix',
          pattern: "[ipv4-addr:value = '198.51.100.1']",
          valid_until: '2027-01-01T00:00:00Z',
        },
        { type: 'indicator', pattern: "[ipv6-addr:value = '2001:db8::1'] OR [domain-name:value = 'c2.example']" },
        { type: 'indicator', pattern: "[file:hashes.'SHA-256' = '" + 'B'.repeat(64) + "']" },
        { type: 'indicator', pattern: "[url:value = 'http://c2.example/gate.php']" },
        { type: 'indicator', pattern: "[ipv4-addr:value = '198.51.100.2']", revoked: true },
        { type: 'indicator', pattern: "[ipv4-addr:value = '198.51.100.3']", valid_until: '2020-01-01T00:00:00Z' },
        { type: 'indicator', pattern: "[ipv4-addr:value = '198.51.100.4' AND network-traffic:dst_port = 80]" },
        { type: 'malware', name: 'x' },
      ],
    };
    const r = loadStix(JSON.stringify(bundle), NOW);
    expect(r.indicators).toEqual([
      { type: 'ip', value: '198.51.100.1', validUntil: Date.UTC(2027, 0, 1) },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'domain', value: 'c2.example' },
      { type: 'hash', value: 'b'.repeat(64) },
      { type: 'url', value: 'http://c2.example/gate.php' },
    ]);
    expect(r.skipped).toBe(2);
    expect(loadStix('{not json', NOW).skipped).toBe(1);
  });
  it('reads MISP events (attributes and objects, to_ids only) and the MISP CSV export', () => {
    const ev = {
      Event: {
        Attribute: [
          { type: 'ip-dst', value: '198.51.100.20', to_ids: true },
          { type: 'ip-dst|port', value: '198.51.100.21|8080', to_ids: true },
          { type: 'domain', value: 'misp.example', to_ids: false },
        ],
        Object: [{ Attribute: [{ type: 'sha256', value: 'c'.repeat(64), to_ids: true }] }],
      },
    };
    expect(loadMisp(JSON.stringify(ev)).indicators.map((i) => i.value)).toEqual([
      '198.51.100.20',
      '198.51.100.21',
      'c'.repeat(64),
    ]);
    const csv =
      'uuid,event_id,category,type,value,comment,to_ids\n1,2,Network activity,ip-src,198.51.100.30,,1\n3,2,Network activity,domain,x.example,,0\n';
    expect(loadMisp(csv).indicators).toEqual([{ type: 'ip', value: '198.51.100.30' }]);
  });
  it('matches addresses in ranges, subdomains of listed domains, URLs and hashes', () => {
    const s = new IndicatorSet();
    for (const i of loadPlain('203.0.113.0/24\nevil.example\nhttp://bad.example/x\n' + 'd'.repeat(40)).indicators)
      s.add('f', i);
    expect(s.matchIp('203.0.113.77')?.indicator).toBe('203.0.113.0/24');
    expect(s.matchIp('203.0.114.1')).toBeUndefined();
    expect(s.matchDomain('a.b.evil.example')?.indicator).toBe('evil.example');
    expect(s.matchDomain('notevil.example')).toBeUndefined();
    expect(s.matchUrl('HTTP://BAD.example/x/')?.type).toBe('url');
    expect(s.matchHash('D'.repeat(40))?.type).toBe('hash');
  });
});
