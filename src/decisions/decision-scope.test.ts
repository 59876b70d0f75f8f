import { describe, expect, it } from 'vitest';
import { banTarget } from './decision-scope.js';

describe('banTarget', () => {
  it('bans IPv4 addresses as they are', () => {
    expect(banTarget('203.0.113.9', '/64')).toEqual({ scope: 'ip', value: '203.0.113.9' });
  });
  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(banTarget('::ffff:203.0.113.9', '/64')).toEqual({ scope: 'ip', value: '203.0.113.9' });
  });
  it('widens IPv6 to the configured prefix', () => {
    expect(banTarget('2001:db8:1:2:3:4:5:6', '/64')).toEqual({ scope: 'range', value: '2001:db8:1:2::/64' });
    expect(banTarget('2001:db8:1:2:3:4:5:6', '/48')).toEqual({ scope: 'range', value: '2001:db8:1::/48' });
    expect(banTarget('2001:db8:1:2:3:4:5:6', 'ip')).toEqual({ scope: 'ip', value: '2001:db8:1:2:3:4:5:6' });
  });
  it('rejects non-addresses', () => {
    expect(banTarget('example.com', 'ip')).toBeUndefined();
  });
});
