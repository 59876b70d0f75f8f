import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

const pad = (n: number) => String(n).padStart(2, '0');
const axigen = (s: number, peer: string, reason: string) =>
  `2026-01-15 10:06:${pad(s)} +0000 08 mail.example.org IMAP:0000${pad(s)}: SSL alert remote ${peer}, undefined:fatal:${reason}`;
const stunnel = (s: number, peer: string, reason: string) =>
  `2026.01.15 10:06:${pad(s)} LOG3[28228:140093368055552]: SSL_accept from ${peer} : 1408F10B: error:1408F10B:SSL routines:ssl3_get_record:${reason}`;

describe('leuko/tls-probing', () => {
  it('fires on handshakes refused for three different reasons (Axigen, stunnel)', () => {
    const reasons = ['handshake failure', 'protocol version', 'illegal parameter'];
    expect(fired('leuko/tls-probing', parsed(reasons.map((r, i) => axigen(i, '203.0.113.95:55001', r))))).toEqual([
      '203.0.113.95',
    ]);
    const openssl = ['wrong version number', 'no shared cipher', 'unknown protocol'];
    expect(fired('leuko/tls-probing', parsed(openssl.map((r, i) => stunnel(i, '203.0.113.96:44001', r))))).toEqual([
      '203.0.113.96',
    ]);
  });
  it('stays quiet for a client failing the same way again and again, or distrusting the certificate', () => {
    const old = parsed(times(8, (i) => axigen(i, '198.51.100.97:56001', 'handshake failure')));
    expect(fired('leuko/tls-probing', old)).toEqual([]);
    const distrust = ['certificate unknown', 'protocol version', 'bad certificate'];
    expect(fired('leuko/tls-probing', parsed(distrust.map((r, i) => axigen(i, '198.51.100.98:57001', r))))).toEqual([]);
  });
});
