import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { createParser } from '../../src/parsers/index.js';
import { fired, parsed, times } from './test-kit.js';

const pad = (n: number) => String(n).padStart(2, '0');
/** OpenVPN 2.5+'s own log stamp, and the syslog one, for second `s` after 09:00. */
const own = (s: number) => `2024-06-20 09:${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
const sys = (s: number) => `Jun 20 09:${pad(Math.floor(s / 60))}:${pad(s % 60)} vpn1`;

describe('leuko/openvpn-bf', () => {
  it('leaves packets without the tls-auth or tls-crypt key to the alert-only leuko/vpn-tls-auth-probe (UDP sources can be forged)', () => {
    const hmac = parsed(
      times(
        4,
        (i) =>
          `${own(i)} 203.0.113.70:4${i}123 TLS Error: incoming packet authentication failed from [AF_INET]203.0.113.70:4${i}123`,
      ),
    );
    expect(fired('leuko/openvpn-bf', hmac)).toEqual([]);
    expect(fired('leuko/vpn-tls-auth-probe', hmac)).toEqual(['203.0.113.70']);
    const crypt = parsed(
      times(
        4,
        (i) =>
          `${sys(i)} ovpn-server[812]: 203.0.113.71:5${i}000 TLS Error: tls-crypt unwrapping failed from [AF_INET]203.0.113.71:5${i}000`,
      ),
    );
    expect(fired('leuko/openvpn-bf', crypt)).toEqual([]);
    expect(fired('leuko/vpn-tls-auth-probe', crypt)).toEqual(['203.0.113.71']);
  });
  it('fires on refused passwords (the address after the common name) and certificates, and auth-bf does not count them again', () => {
    const pw = parsed(
      times(
        4,
        (i) =>
          `${own(i * 5)} alice/198.51.100.72:6${i}001 TLS Auth Error: Auth Username/Password verification failed for peer`,
      ),
    );
    expect(fired('leuko/openvpn-bf', pw)).toEqual(['198.51.100.72']);
    expect(fired('leuko/auth-bf', pw)).toEqual([]);
    const cert = parsed(
      times(
        4,
        (i) =>
          `${sys(i * 5)} openvpn[812]: 198.51.100.73:6${i}002 VERIFY ERROR: depth=0, error=certificate has expired: CN=laptop`,
      ),
    );
    expect(fired('leuko/openvpn-bf', cert)).toEqual(['198.51.100.73']);
  });
  it('stays quiet for handshake timeouts and a refusal now and then', () => {
    const timeouts = parsed(times(10, (i) => `${own(i)} 192.0.2.74:51000 TLS Error: TLS handshake failed`));
    expect(fired('leuko/openvpn-bf', timeouts)).toEqual([]);
    const rare = parsed(
      times(
        5,
        (i) =>
          `${own(i * 60)} 192.0.2.75:51000 TLS Error: incoming packet authentication failed from [AF_INET]192.0.2.75:51000`,
      ),
    );
    expect(fired('leuko/openvpn-bf', rare)).toEqual([]);
  });
  it('drops a line whose common name or subject holds a second peer', () => {
    // A common name with a space puts its own first word where the peer is: no exact record is left.
    const parse = createParser('auto', { clock: createManualClock(Date.UTC(2024, 5, 20, 12)) });
    for (const line of [
      `${own(0)} 192.0.2.99:1 TLS Auth Error: x/198.51.100.76:6001 TLS Auth Error: Auth Username/Password verification failed for peer`,
      `${own(0)} 192.0.2.99:1 VERIFY ERROR: depth=0, error=x/198.51.100.77:6002 VERIFY ERROR: depth=0, error=certificate has expired: CN=y`,
      `${sys(0)} openvpn[812]: 192.0.2.99:1 TLS Auth Error: x/198.51.100.76:6001 TLS Auth Error: Auth Username/Password verification failed for peer`,
    ])
      expect(parse(line), line).toBeNull();
    // Other TLS records stay events, without an address.
    const other = parse(`${own(0)} alice/192.0.2.99:1 TLS Auth Error: Auth Certificate verification failed for peer`);
    expect(other?.event['event.dataset']).toBe('openvpn');
    expect(other?.event['source.ip']).toBeUndefined();
  });
});
