import { describe, expect, it } from 'vitest';
import { isIPv4, normalizeIp, parsePeer, splitHostPort } from './address.js';

describe('addresses', () => {
  it('validates IPv4 strictly', () => {
    expect(isIPv4('192.0.2.1')).toBe(true);
    expect(isIPv4('192.030.0.6')).toBe(false);
    expect(isIPv4('256.1.1.1')).toBe(false);
    expect(isIPv4('1.2.3')).toBe(false);
  });

  it('normalizes brackets, mapped IPv4 and IPv6 text', () => {
    expect(normalizeIp('[2001:DB8:0:0::1]')).toBe('2001:db8::1');
    expect(normalizeIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(normalizeIp('::FFFF:cb00:7109')).toBe('203.0.113.9');
    expect(normalizeIp('1.2.3.4:22')).toBeUndefined();
    expect(normalizeIp('fe80::1%eth0')).toBeUndefined();
  });

  it('reads peers as IPs or host names', () => {
    expect(parsePeer('example.com')).toEqual({ address: 'example.com' });
    expect(parsePeer('203.0.113.9')).toEqual({ ip: '203.0.113.9' });
    expect(parsePeer('a b')).toBeUndefined();
  });

  it('splits host and port', () => {
    expect(splitHostPort('::ffff:198.51.100.215:60495', true)).toEqual({ host: '::ffff:198.51.100.215', port: 60495 });
    expect(splitHostPort('[2001:db8::1]:22')).toEqual({ host: '2001:db8::1', port: 22 });
    expect(splitHostPort('2606:2800:220:1:248:1893:25c8:1946')).toEqual({
      host: '2606:2800:220:1:248:1893:25c8:1946',
      port: undefined,
    });
    expect(splitHostPort('127.0.0.1:51380')).toEqual({ host: '127.0.0.1', port: 51380 });
  });
});
