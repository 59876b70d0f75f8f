import { describe, expect, it } from 'vitest';
import { selfHostedLines } from './self-hosted-lines.js';
import { fired, parsed, S, times } from './test-kit.js';

const START = Date.UTC(2026, 2, 2, 8, 0, 0);
const lines = selfHostedLines(START);

describe('leuko/auth-rate-limited', () => {
  it("fires on one refusal of Mailu's login limiter", () => {
    expect(fired('leuko/auth-rate-limited', parsed([lines.mailu(0, '203.0.113.40')]))).toEqual(['203.0.113.40']);
  });
  it('fires once per address within its blackhole', () => {
    const ev = parsed(times(4, (i) => lines.mailu(i * 10 * S, '203.0.113.41')));
    expect(fired('leuko/auth-rate-limited', ev)).toEqual(['203.0.113.41']);
  });
  it('ignores plain failed logins: those are counted by auth-bf', () => {
    const ev = parsed(times(3, (i) => lines.guacamole(i * S, '203.0.113.42')));
    expect(fired('leuko/auth-rate-limited', ev)).toEqual([]);
  });
});
