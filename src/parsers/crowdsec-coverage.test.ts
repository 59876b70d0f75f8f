import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createParser } from './index.js';

/**
 * Every line of CrowdSec hub's ssh/sshd/nginx/apache/proftpd/vsftpd test cases parses with
 * `auto`, and the lines CrowdSec extracts an sshd or FTP client address from give the same
 * address. The `apache-guacamole*` cases are Apache Guacamole (a Java app), not Apache httpd:
 * skipped.
 */
const TESTS = path.resolve(import.meta.dirname, '../../../shared/corpora/crowdsec-hub/tests');
const CASES = readdirSync(TESTS).filter(
  (d) => /^(ssh|sshd|nginx|apache|proftpd|vsftpd)/.test(d) && !d.startsWith('apache-guacamole'),
);

describe('CrowdSec hub samples', () => {
  it('has the cases', () => {
    expect(CASES.length).toBeGreaterThan(20);
  });

  for (const c of CASES) {
    it(`${c}: every line parses`, () => {
      for (const f of readdirSync(path.join(TESTS, c)).filter((x) => x.endsWith('.log'))) {
        const parse = createParser('auto', {
          clock: createManualClock(Date.parse('2025-06-01T00:00:00Z')),
          logPath: f,
        });
        for (const line of readFileSync(path.join(TESTS, c, f), 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          expect(parse(line), line).not.toBeNull();
        }
      }
    });
  }

  it('agrees with the sshd-logs parser asserts on client addresses', () => {
    const records = readFileSync(path.join(TESTS, '../parser_expectations_flat.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"crowdsecurity/sshd-logs"'))
      .map((l) => JSON.parse(l) as { success: boolean; parsed: Record<string, string> });
    let checked = 0;
    for (const r of records) {
      const ip = r.parsed.sshd_client_ip;
      const msg = r.parsed.message;
      if (!r.success || ip === undefined || msg === undefined) continue;
      // The record holds the message without its envelope: read it as a bare sshd message.
      const parse = createParser('sshd', { clock: createManualClock(Date.parse('2025-06-01T00:00:00Z')) });
      const ev = parse(msg)?.event;
      expect(ev?.['source.ip'], msg).toBe(ip);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  // CrowdSec's FTP parsers mark each failed login `ftp_failed_auth` with its address and user.
  it('agrees with the proftpd-logs and vsftpd-logs parser asserts on failed logins', () => {
    const records = readFileSync(path.join(TESTS, '../parser_expectations_flat.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => /"parser": "(?:crowdsecurity\/)?(?:proftpd|vsftpd)-logs"/.test(l))
      .map(
        (l) =>
          JSON.parse(l) as {
            success: boolean;
            parsed: Record<string, string>;
            meta: Record<string, string>;
          },
      );
    let checked = 0;
    for (const r of records) {
      if (!r.success || r.meta.log_type !== 'ftp_failed_auth') continue;
      const parse = createParser('auto', { clock: createManualClock(Date.parse('2025-06-01T00:00:00Z')) });
      const ev = parse(r.parsed.message!)?.event;
      expect(ev, r.parsed.message).toMatchObject({
        'event.outcome': 'failure',
        'source.ip': r.meta.source_ip,
        'user.name': r.meta.target_user ?? r.meta.user,
      });
      checked++;
    }
    expect(checked).toBe(8);
  });
});
