import { describe, expect, it } from 'vitest';
import { postfixLine as line } from './postfix-lines.js';
import { fired, parsed } from './test-kit.js';

describe('leuko/smtp-auth-slow-bf', () => {
  it('fires on three failed SMTP AUTH logins spread over an hour and a half', () => {
    const ev = parsed([line.sasl(0, '203.0.113.42'), line.sasl(2700, '203.0.113.42'), line.sasl(5400, '203.0.113.42')]);
    expect(fired('leuko/smtp-auth-slow-bf', ev)).toEqual(['203.0.113.42']);
  });
  it('starts over at a successful login from the address (the user fixed a stale password)', () => {
    const ev = parsed([
      line.sasl(0, '198.51.100.20'),
      line.sasl(900, '198.51.100.20'),
      line.saslOk(1000, '198.51.100.20'),
      line.sasl(1800, '198.51.100.20'),
    ]);
    expect(fired('leuko/smtp-auth-slow-bf', ev)).toEqual([]);
  });
  it('stays quiet for failures several hours apart', () => {
    const ev = parsed([
      line.sasl(0, '198.51.100.21'),
      line.sasl(4 * 3600, '198.51.100.21'),
      line.sasl(8 * 3600, '198.51.100.21'),
    ]);
    expect(fired('leuko/smtp-auth-slow-bf', ev)).toEqual([]);
  });
});
