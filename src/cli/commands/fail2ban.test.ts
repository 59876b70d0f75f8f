import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

const HAVE_F2B = existsSync('/etc/fail2ban/filter.d/sshd.conf');

function authLog(): string {
  const lines: string[] = [];
  const at = (s: number) => {
    const d = new Date(Date.UTC(2026, 2, 1, 10, 0, s));
    return `Mar  1 ${d.toISOString().slice(11, 19)}`;
  };
  // A: 4 failures in 40 s (banned at the 3rd); B: 3 failures 6 minutes apart (never 3 within
  // findtime 10m? 0, 6, 12 min -> the 1st and 3rd are 12 min apart); C: 2 failures and a login.
  for (let i = 0; i < 4; i++) {
    lines.push(
      `${at(i * 10)} web sshd[${100 + i}]: Failed password for invalid user u${i} from 203.0.113.9 port 4${i} ssh2`,
    );
  }
  for (let i = 0; i < 3; i++) {
    lines.push(`${at(60 + i * 360)} web sshd[${200 + i}]: Failed password for root from 198.51.100.7 port 22 ssh2`);
  }
  lines.push(`${at(100)} web sshd[300]: Failed password for bob from 192.0.2.44 port 22 ssh2`);
  lines.push(`${at(101)} web sshd[301]: Failed password for bob from 192.0.2.44 port 22 ssh2`);
  lines.push(`${at(102)} web sshd[302]: Accepted password for bob from 192.0.2.44 port 22 ssh2`);
  lines.sort();
  return `${lines.join('\n')}\n`;
}

describe.runIf(HAVE_F2B)('leuko with fail2ban jails', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-f2b-cli-'));
  const log = path.join(dir, 'auth.log');
  writeFileSync(log, authLog());
  const config = path.join(dir, 'leuko.yaml');
  writeFileSync(
    config,
    `fail2ban:\n  time_zone: UTC\n  jails:\n    - { name: sshd, filter: "sshd[mode=normal]", logpath: ${log}, maxretry: 3, findtime: 5m, bantime: 1h }\n`,
  );

  it('replays a log through the jail and bans like fail2ban (maxretry within findtime)', () => {
    const r = runCli(['--config', config, 'replay', '--json', '--format', 'fail2ban:sshd', log]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      events: number;
      decisions: { value: string; scenario: string; action: string }[];
    };
    expect(out.events).toBe(9);
    expect(out.decisions.map((d) => [d.action, d.value, d.scenario])).toEqual([
      ['ban', '203.0.113.9', 'fail2ban/sshd'],
    ]);
  });

  it('counts matches and hosts like fail2ban-regex', () => {
    const r = runCli(['fail2ban', 'test', '--json', 'sshd', log]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      lines: 10,
      failures: 9,
      hosts: { '203.0.113.9': 4, '198.51.100.7': 3, '192.0.2.44': 2 },
    });
  });

  it('names the filter, the expression and the reason when a filter cannot run', () => {
    writeFileSync(path.join(dir, 'bad.conf'), '[Definition]\nfailregex = ^(?>atomic) <HOST>$\n');
    const r = runCli(['fail2ban', 'show', path.join(dir, 'bad.conf')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad failregex\[0\]: atomic group .* no JavaScript equivalent/);
  });
});
