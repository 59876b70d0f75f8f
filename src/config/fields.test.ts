import { describe, expect, it } from 'vitest';
import { explainBadCidr, normalizeCidr, parseListen } from './fields.js';
import { parseConfigText } from './load.js';

const probe = { exists: () => true, journaldAvailable: true };

function decisions(yaml: string) {
  return parseConfigText(`sources: []\ndecisions: ${yaml}\n`, 'd.yaml', { probe });
}

describe('durations', () => {
  it.each([
    ['10s', 10],
    ['4h', 14400],
    ['2d', 172800],
    ['1h30m', 5400],
    ['1w', 604800],
    ['90', 90],
    [3600, 3600],
    ['1.5h', 5400],
  ])('%s resolves to %d seconds', (written, seconds) => {
    const r = decisions(`{ default_duration: ${typeof written === 'string' ? JSON.stringify(written) : written} }`);
    expect(r.ok && r.config.decisions.default_duration).toBe(seconds);
  });

  it.each(['4x', '-1h', 'h', '1h 30m', '', 'forever'])('rejects %j with the accepted syntax as hint', (written) => {
    const r = decisions(`{ default_duration: ${JSON.stringify(written)} }`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ key: 'decisions.default_duration', line: 2 });
    expect(r.issues[0]?.hint).toContain('`4h`');
  });

  it('rejects a zero ban duration, which would make bans no-ops', () => {
    const r = decisions('{ default_duration: 0s }');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toBe('duration "0s" is below the minimum of 1s');
  });

  it('accepts ipv6_scope ip or a prefix', () => {
    const r = decisions('{ ipv6_scope: /64 }');
    expect(r.ok && r.config.decisions.ipv6_scope).toBe('/64');
    expect(decisions('{ ipv6_scope: /8 }').ok).toBe(false);
    expect(decisions('{ ipv6_scope: range }').ok).toBe(false);
  });
});

describe('CIDR validation', () => {
  it('normalizes addresses and ranges to their network CIDR', () => {
    expect(normalizeCidr('127.0.0.0/8')).toBe('127.0.0.0/8');
    expect(normalizeCidr('::1')).toBe('::1/128');
    expect(normalizeCidr('203.0.113.7')).toBe('203.0.113.7/32');
    expect(normalizeCidr('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(normalizeCidr('2001:DB8:0:0::1/32')).toBe('2001:db8::/32');
    expect(normalizeCidr('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it.each([
    '10.0.0.0/33',
    '::/129',
    '10.1',
    '256.1.1.1',
    'localhost',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    'fe80::1%eth0',
    '1.2.3.4/-1',
  ])('rejects %s', (text) => {
    expect(normalizeCidr(text)).toBeUndefined();
  });

  it('explains what is wrong with a bad entry', () => {
    expect(explainBadCidr('10.0.0.0/33')).toBe(
      'the prefix length after "/" must be a whole number from 0 to 32 for IPv4',
    );
    expect(explainBadCidr('2001:db8::/200')).toContain('0 to 128 for IPv6');
    expect(explainBadCidr('300.1.1.1')).toBe('each part of an IPv4 address must be a number from 0 to 255');
    expect(explainBadCidr('10/8')).toContain('write all four parts');
    expect(explainBadCidr('example.com')).toContain('host names are not accepted');
  });

  it('reports a bad allowlist entry at its position with the specific hint', () => {
    const r = parseConfigText('sources: []\npolicy:\n  allowlist:\n    - 127.0.0.0/8\n    - 10.0.0.0/33\n', 'p.yaml', {
      probe,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        file: 'p.yaml',
        line: 5,
        column: 7,
        key: 'policy.allowlist[1]',
        message: 'invalid address or CIDR range "10.0.0.0/33"',
        hint: 'the prefix length after "/" must be a whole number from 0 to 32 for IPv4',
        severity: 'error',
      },
    ]);
  });
});

describe('listen addresses', () => {
  it('parses IPv4 and bracketed IPv6', () => {
    expect(parseListen('127.0.0.1:5514')).toEqual({ host: '127.0.0.1', port: 5514 });
    expect(parseListen('[::1]:514')).toEqual({ host: '::1', port: 514 });
  });

  it.each(['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', '::1:514', 'localhost:514', ':514'])('rejects %s', (t) => {
    expect(parseListen(t)).toBeUndefined();
  });
});
