import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

const at = (s: number) =>
  `Jun 20 08:${String(42 + Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
const refused = (s: number, peer: string, what = 'Invalid handshake initiation') =>
  `${at(s)} workshop kernel: [82508.102168] wireguard: wg1: ${what} from ${peer}`;

describe('leuko/wireguard-handshake-bf', () => {
  it('fires on refused handshakes in a burst, IPv4 or IPv6', () => {
    expect(fired('leuko/wireguard-handshake-bf', parsed(times(4, (i) => refused(i, '192.168.100.30:51820'))))).toEqual([
      '192.168.100.30',
    ]);
    const v6 = parsed(times(4, (i) => refused(i, '[2001:db8::7]:51820', 'Invalid MAC of handshake, dropping packet')));
    expect(fired('leuko/wireguard-handshake-bf', v6)).toEqual(['2001:db8::7']);
  });
  it('stays quiet for a refusal now and then', () => {
    expect(
      fired('leuko/wireguard-handshake-bf', parsed(times(5, (i) => refused(i * 60, '198.51.100.4:51820')))),
    ).toEqual([]);
  });
});
