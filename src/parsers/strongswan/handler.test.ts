import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const auto = () => createParser('auto', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
const charon = (msg: string) => `Jun 15 10:00:00 vpn1 charon[3253]: ${msg}`;

describe('strongswan (charon)', () => {
  it("reads a refused EAP login with the peer of the IKE_SA's packets", () => {
    const p = auto();
    p(charon('06[NET] <rw|83> received packet: from 203.0.113.70[4500] to 192.0.2.1[4500] (144 bytes)'));
    p(charon("06[IKE] <rw|83> EAP-MS-CHAPv2 username: 'alice'"));
    const r = p(charon('06[IKE] <rw|83> EAP-MS-CHAPv2 verification failed, retry (1)'));
    expect(r?.event).toMatchObject({
      'event.dataset': 'strongswan',
      'event.category': ['authentication'],
      'event.outcome': 'failure',
      'source.ip': '203.0.113.70',
      'user.name': 'alice',
    });
  });
  it("holds a failure until the IKE_SA's next packet names the peer", () => {
    const p = auto();
    const f = p(charon("08[IKE] <con2|1807> XAuth authentication of 'bob' failed"));
    expect(f?.event['event.outcome']).toBeUndefined();
    const r = p(charon('08[NET] <con2|1807> sending packet: from 192.0.2.1[4500] to 198.51.100.71[28821] (128 bytes)'));
    expect(r?.event).toMatchObject({ 'event.outcome': 'failure', 'source.ip': '198.51.100.71', 'user.name': 'bob' });
    // Counted once: the next packet is a plain record.
    expect(
      p(charon('08[NET] <con2|1807> sending packet: from 192.0.2.1[4500] to 198.51.100.71[28821] (92 bytes)'))?.event[
        'event.outcome'
      ],
    ).toBeUndefined();
  });
  it('keeps IKE_SAs apart and never reads an address from the client identity', () => {
    const p = auto();
    p(charon('06[NET] <rw|1> received packet: from 203.0.113.72[500] to 192.0.2.1[500] (144 bytes)'));
    p(charon('06[NET] <rw|2> received packet: from 203.0.113.73[500] to 192.0.2.1[500] (144 bytes)'));
    const r = p(
      charon("06[IKE] <rw|2> XAuth authentication of '> received packet: from 10.66.66.66[1] to x[1]' failed"),
    );
    expect(r?.event['source.ip']).toBe('203.0.113.73');
    expect(p(charon('06[IKE] <rw|1> EAP method EAP_MD5 failed for peer 10.66.66.66'))?.event['source.ip']).toBe(
      '203.0.113.72',
    );
  });
});
