import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

const at = (s: number) => `May 15 17:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

describe('leuko/service-access-refused', () => {
  it('fires on the third refused connection within minutes, from xinetd or NRPE', () => {
    const xinetd = parsed(times(3, (i) => `${at(i * 20)} boo xinetd[16256]: FAIL: telnet address from=198.51.100.169`));
    expect(fired('leuko/service-access-refused', xinetd)).toEqual(['198.51.100.169']);
    const nrpe = parsed(
      times(3, (i) => `${at(i * 30)} mon1 nrpe[63284]: Host 50.97.225.132 is not allowed to talk to us!`),
    );
    expect(fired('leuko/service-access-refused', nrpe)).toEqual(['50.97.225.132']);
  });
  it("leaves a server's own limits alone (per-source and service limits), and accepted connections", () => {
    const ev = parsed([
      ...times(10, (i) => `${at(i)} boo xinetd[16256]: FAIL: rsync per_source_limit from=198.51.100.170`),
      ...times(10, (i) => `${at(i)} boo xinetd[16256]: START: rsync pid=${900 + i} from=198.51.100.171`),
      `${at(0)} boo xinetd[16256]: FAIL: amanda libwrap from=198.51.100.172`,
      `${at(30)} boo xinetd[16256]: FAIL: amanda libwrap from=198.51.100.172`,
    ]);
    expect(fired('leuko/service-access-refused', ev)).toEqual([]);
  });
  it("fires on sshd's TCP-wrapper refusals (hosts.deny), from the address in parentheses, not the name", () => {
    const ev = parsed(
      times(3, (i) => `${at(i * 40)} gw1 sshd[16379]: refused connect from scan-192-0-2-9.example.net (203.0.113.77)`),
    );
    expect(fired('leuko/service-access-refused', ev)).toEqual(['203.0.113.77']);
    expect(fired('leuko/service-access-refused', ev.slice(0, 2))).toEqual([]);
  });
});
