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

  it('answers the same when asked again, past the size of its memo of verdicts', () => {
    const fresh = () => createAllowlist(['10.1.0.0/16', '2001:db8::/48', '192.0.2.7']);
    const memo = fresh();
    // 5000 distinct addresses (more than the memo keeps), each asked twice, some allowlisted.
    const asked = Array.from({ length: 5000 }, (_, i) => `10.${i % 3}.${(i >> 8) & 255}.${i & 255}`);
    for (const a of [...asked, ...asked.slice().reverse()]) expect(memo.match(a)).toBe(fresh().match(a));
  });

  it('ignores junk', () => {
    expect(list.match('not-an-ip')).toBeUndefined();
    expect(parseCidr('300.1.1.1')).toBeUndefined();
  });
});
