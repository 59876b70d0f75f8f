import { describe, expect, it } from 'vitest';
import { accessLine, http, parsed, run } from './test-kit.js';

const NAME = 'leuko/http-self-test';

describe('leuko/http-self-test', () => {
  it("alerts once, without a ban, on a request for /leuko-test-* (or CrowdSec's /crowdsec-test-*)", () => {
    const d = run(NAME, parsed([accessLine('192.0.2.110', 0, '/leuko-test-1733560000', 404)]));
    expect(d.map((x) => x.entity.value)).toEqual(['192.0.2.110']);
    expect(d[0]!.remediation).toBeUndefined();
    expect(d[0]!.explanation).toContain('/leuko-test-1733560000');
    const crowdsec = run(NAME, [http(0, '192.0.2.111', '/CrowdSec-Test-NtktlJHV4TfBSK3wvlhiOBnl', 404)]);
    expect(crowdsec.map((x) => x.entity.value)).toEqual(['192.0.2.111']);
    const token = run(NAME, [http(0, '192.0.2.113', '/CROWDSEC/NtktlJHV4TfBSK3wvlhiOBnl', 404)]);
    expect(token.map((x) => x.entity.value)).toEqual(['192.0.2.113']);
  });
  it('ignores other paths, the prefix deeper in a path and in a query', () => {
    expect(
      run(NAME, [
        http(0, '192.0.2.112', '/', 200),
        http(1, '192.0.2.112', '/blog/leuko-test-1', 404),
        http(2, '192.0.2.112', '/search?q=/leuko-test-1', 200),
        http(3, '192.0.2.112', '/leuko-tests', 404),
        http(4, '192.0.2.112', '/crowdsec/', 404),
      ]),
    ).toEqual([]);
  });
});
