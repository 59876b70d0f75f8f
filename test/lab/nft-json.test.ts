import { describe, expect, it } from 'vitest';
import { covers, setsCovering, toElements } from './nft-json.js';

describe('nft JSON elements', () => {
  it('reads plain, timeout-wrapped, prefix and range elements', () => {
    const els = toElements({
      set: [
        '10.0.0.1',
        { elem: { val: '10.0.0.2', timeout: 60, expires: 59 } },
        { prefix: { addr: '10.9.0.0', len: 16 } },
        { range: ['10.5.0.10', '10.5.0.20'] },
      ],
    });
    expect(els).toEqual([
      { kind: 'addr', addr: '10.0.0.1' },
      { kind: 'addr', addr: '10.0.0.2' },
      { kind: 'prefix', addr: '10.9.0.0', len: 16 },
      { kind: 'range', from: '10.5.0.10', to: '10.5.0.20' },
    ]);
  });

  it('decides coverage by address, not by text', () => {
    expect(covers({ kind: 'addr', addr: '10.77.5.1' }, '10.77.5.10')).toBe(false);
    expect(covers({ kind: 'addr', addr: '2001:db8::1' }, '2001:0db8:0:0::1')).toBe(true);
    expect(covers({ kind: 'prefix', addr: '10.77.5.0', len: 24 }, '10.77.5.10')).toBe(true);
    expect(covers({ kind: 'prefix', addr: '10.77.5.0', len: 24 }, '10.77.6.10')).toBe(false);
    expect(covers({ kind: 'prefix', addr: '2001:db8::', len: 32 }, '10.77.5.10')).toBe(false);
    expect(covers({ kind: 'range', from: '10.5.0.10', to: '10.5.0.20' }, '10.5.0.20')).toBe(true);
    expect(covers({ kind: 'range', from: '10.5.0.10', to: '10.5.0.20' }, '10.5.0.21')).toBe(false);
    expect(covers({ kind: 'addr', addr: 'not-an-ip' }, '10.5.0.21')).toBe(false);
    expect(covers({ kind: 'addr', addr: '10.5.0.21' }, 'garbage')).toBe(false);
  });

  it('finds the sets of a listing that hold an address', () => {
    const doc = {
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { table: { family: 'inet', name: 'f2b-table' } },
        { set: { family: 'inet', table: 'f2b-table', name: 'addr-set-sshd', elem: ['10.77.1.10'] } },
        { set: { family: 'inet', table: 'f2b-table', name: 'addr-set-nginx', elem: ['10.77.1.11'] } },
        { set: { family: 'inet', table: 'leuko', name: 'ban4' } },
      ],
    };
    expect(setsCovering(doc, '10.77.1.10')).toEqual([{ family: 'inet', table: 'f2b-table', set: 'addr-set-sshd' }]);
    expect(setsCovering(doc, '10.77.1.12')).toEqual([]);
    expect(setsCovering(null, '10.77.1.12')).toEqual([]);
  });
});
