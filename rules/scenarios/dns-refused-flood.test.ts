import { describe, expect, it } from 'vitest';
import { parsed, run, times } from './test-kit.js';

const NAME = 'leuko/dns-refused-flood';
/** A refused query in BIND's own log, `ms` after 05:34:00. */
const refused = (ms: number, ip: string, what = "query (cache) 'example.com/ANY/IN'") => {
  const t = new Date(Date.UTC(2022, 9, 19, 5, 34, 0) + ms).toISOString().slice(11, 23);
  return `19-Oct-2022 ${t} client @0x7f65100ee4d8 ${ip}#3076 (example.com): ${what} denied`;
};

describe('leuko/dns-refused-flood', () => {
  it('alerts on a burst of refused requests from one address, without asking for a ban', () => {
    const d = run(NAME, parsed(times(6, (i) => refused(i * 1000, '203.0.113.90'))));
    expect(d.map((x) => x.entity.value)).toEqual(['203.0.113.90']);
    expect(d[0]!.remediation).toBeUndefined();
    expect(d[0]!.explanation).toContain('not banned');
  });
  it('stays quiet for a client refused now and then', () => {
    expect(run(NAME, parsed(times(6, (i) => refused(i * 30_000, '198.51.100.91'))))).toEqual([]);
  });
});
