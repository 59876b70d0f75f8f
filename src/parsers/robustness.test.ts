import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { LeukoError } from '../core/errors.js';
import { createParser, parserNames } from './index.js';

const ctx = () => ({ clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });

const PREFIXES = [
  'Jun 14 09:00:00 web1 sshd[1]: Failed password for invalid user ',
  'Jun 14 09:00:00 web1 sshd[1]: Connection closed by ',
  '<38>1 2024-06-14T09:00:00Z h sshd 1 - [a b="',
  '1.2.3.4 - - [14/Jun/2024:18:00:00 +0000] "GET /',
  'example.org 1.2.3.4 - ',
  '2024/06/14 20:00:00 [error] 1#1: *1 user "',
  '[Fri Jun 14 21:00:00 2024] [error] [client ',
  'Jun 14 09:00:00 h dovecot: imap-login: Disconnected (auth failed, 1 attempts): user=<',
  'Jun 14 09:00:00 h dovecot: auth: pam(',
  'Jun 14 09:00:00 h vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=x ruser=',
  "2024-06-14T16:00:00Z 1 [Note] Access denied for user '",
  'Jun 14 09:00:00 h proftpd[1]: h (x[192.0.2.1]) - USER ',
  '2013-11-16 21:59:30,121 h proftpd[2] localhost (',
  'Sun Jan 10 12:00:00 2021 [pid 1234] [',
  'Sun Jan 10 12:00:00 2021 [pid 1234] [u] FAIL LOGIN: Client "',
  'Jun 14 09:00:00 h pure-ftpd: (?@',
  '{"@timestamp":"',
  '@4000000',
  '',
];

describe('bad input', () => {
  it('unknown formats fail with UNKNOWN_PLUGIN naming the known ones', () => {
    try {
      createParser('nope', ctx());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LeukoError);
      expect((e as LeukoError).code).toBe('UNKNOWN_PLUGIN');
      expect((e as LeukoError).message).toContain('sshd');
    }
  });

  it('never throws on random, binary, invalid-UTF-8 or truncated lines', () => {
    const parsers = parserNames.map((n) => createParser(n, ctx()));
    fc.assert(
      fc.property(
        fc.constantFrom(...PREFIXES),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.nat(300),
        (prefix, body, cut) => {
          const line = (prefix + body).slice(0, prefix.length + cut);
          for (const p of parsers) {
            const r = p(line);
            if (r !== null) {
              expect(typeof r.event['@timestamp']).toBe('string');
              expect(r.event.message).toBe(line);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles U+FFFD and NUL bytes', () => {
    for (const n of parserNames) {
      const p = createParser(n, ctx());
      expect(() =>
        p('Jun 14 09:00:00 h sshd[1]: Failed password for \uFFFD\u0000 from 1.2.3.4 port 22 ssh2'),
      ).not.toThrow();
      expect(() => p('\uFFFD\uFFFD\uFFFD')).not.toThrow();
    }
  });

  it('finishes 1 MB lines of every shape (no catastrophic backtracking)', () => {
    const fillers = [
      'a',
      ' ',
      ' from 1.2.3.4',
      ' rhost=1.2.3.4',
      '"',
      '\\x22',
      ', client: 1.2.3.4, server: ',
      "'@'",
      'user "',
      ' was not found in "',
      ': ',
    ];
    for (const n of parserNames) {
      const p = createParser(n, ctx());
      for (const prefix of PREFIXES) {
        for (const f of fillers) {
          const line = prefix + f.repeat(Math.ceil(1_000_000 / f.length)) + ' port 22 ssh2';
          expect(() => p(line)).not.toThrow();
        }
      }
    }
  });
});
