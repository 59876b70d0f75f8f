import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contains, neverBan, parseTarget, targetFromNft } from './target.js';

describe('parseTarget', () => {
  it('canonicalises addresses and ranges', () => {
    expect(parseTarget('203.0.113.9')).toMatchObject({ family: 4, text: '203.0.113.9', single: true });
    expect(parseTarget('10.1.2.3/16')).toMatchObject({ text: '10.1.0.0/16', single: false });
    expect(parseTarget('10.1.2.3/32')).toMatchObject({ text: '10.1.2.3', single: true });
    expect(parseTarget('2001:DB8:0:0::1')).toMatchObject({ family: 6, text: '2001:db8::1', single: true });
    expect(parseTarget('2001:db8::77/64')).toMatchObject({ text: '2001:db8::/64', single: false });
    expect(parseTarget('::ffff:203.0.113.9')).toMatchObject({ family: 4, text: '203.0.113.9' });
    expect(parseTarget('::ffff:10.0.0.0/104')).toMatchObject({ family: 4, text: '10.0.0.0/8' });
  });

  it('refuses everything that is not plainly an address, so nothing reaches nft raw', () => {
    for (const bad of [
      '',
      'x',
      '127.1',
      '0x7f000001',
      '1.2.3.4 }',
      '1.2.3.4/33',
      '1.2.3.4/-1',
      '1.2.3.4/',
      'fe80::1%eth0',
      '::ffff:1.2.3.4/95',
      '1.2.3.4/8/8',
    ]) {
      expect(parseTarget(bad), bad).toBeUndefined();
    }
  });

  it('round-trips any IPv4/IPv6 CIDR through its own text and through nft JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 128 }), (addr, bits) => {
        const t = parseTarget(`${addr}/${addr.includes(':') ? bits : bits % 33}`);
        if (!t) return;
        expect(parseTarget(t.text)).toEqual(t);
        const [a, len] = t.text.split('/');
        expect(targetFromNft(len === undefined ? t.text : { prefix: { addr: a!, len: Number(len) } })).toEqual(t);
        expect(t.start <= t.end).toBe(true);
      }),
    );
  });

  it('reads explicit nft ranges and answers containment', () => {
    const r = targetFromNft({ range: ['10.0.0.5', '10.0.0.9'] });
    expect(r).toMatchObject({ text: '10.0.0.5-10.0.0.9', single: false });
    expect(contains(r!, parseTarget('10.0.0.7')!)).toBe(true);
    expect(contains(r!, parseTarget('10.0.0.10')!)).toBe(false);
    expect(contains(parseTarget('10.0.0.0/8')!, parseTarget('10.9.0.0/16')!)).toBe(true);
    expect(contains(parseTarget('10.0.0.0/8')!, parseTarget('::a00:0/120')!)).toBe(false);
    expect(targetFromNft({ range: ['10.0.0.1', '2001:db8::1'] })).toBeUndefined();
    expect(targetFromNft(42)).toBeUndefined();
  });

  it('never bans loopback or the unspecified address, nor a range containing them', () => {
    for (const v of [
      '127.0.0.1',
      '127.255.0.9',
      '::1',
      '0.0.0.0',
      '::',
      '0.0.0.0/0',
      '120.0.0.0/5',
      '::/0',
      '::ffff:127.0.0.1',
    ]) {
      expect(neverBan(parseTarget(v)!), v).toBeDefined();
    }
    for (const v of ['203.0.113.9', '128.0.0.0/1', '2001:db8::/32'])
      expect(neverBan(parseTarget(v)!), v).toBeUndefined();
  });
});
