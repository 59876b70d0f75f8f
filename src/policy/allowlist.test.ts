import { describe, expect, it } from 'vitest';
import { createAllowlist, parseCidr } from './allowlist.js';

describe('allowlist', () => {
  const list = createAllowlist(['10.1.0.0/16', '2001:db8::/48', '192.0.2.7']);

  it('always protects loopback', () => {
    expect(createAllowlist([]).match('127.0.0.1')).toBe('127.0.0.0/8');
    expect(createAllowlist([]).match('::1')).toBe('::1/128');
  });

  it('matches configured ranges and single addresses', () => {
    expect(list.match('10.1.200.3')).toBe('10.1.0.0/16');
    expect(list.match('10.2.0.1')).toBeUndefined();
    expect(list.match('192.0.2.7')).toBe('192.0.2.7');
    expect(list.match('192.0.2.8')).toBeUndefined();
    expect(list.match('2001:db8:0:1::5')).toBe('2001:db8::/48');
  });

  it('sees IPv4-mapped IPv6 as the IPv4 host', () => {
    expect(list.match('::ffff:10.1.2.3')).toBe('10.1.0.0/16');
  });

  it('refuses a range that would contain an allowlisted host', () => {
    expect(list.match('192.0.2.0/24')).toBe('192.0.2.7');
    expect(list.match('2001:db8:0:1::/64')).toBe('2001:db8::/48');
  });

  it('ignores junk', () => {
    expect(list.match('not-an-ip')).toBeUndefined();
    expect(parseCidr('300.1.1.1')).toBeUndefined();
  });
});
