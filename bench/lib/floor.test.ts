import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { floorLine, timeFloorScan } from './floor.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the floor scan', () => {
  it('counts the complete lines of the log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-floor-'));
    dirs.push(dir);
    const log = path.join(dir, 'auth.log');
    writeFileSync(
      log,
      [
        'Dec  4 00:00:01 web-01 sshd[10]: Failed password for root from 203.0.113.1 port 4000 ssh2',
        'Dec  4 00:00:02 web-01 sshd[11]: Invalid user admin from 203.0.113.2 port 4001',
        'Dec  4 00:00:03 web-01 CRON[12]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
      ].join('\n'),
    );
    const floor = await timeFloorScan(log);
    // The last line has no newline: like a log being written, it is not a line yet.
    expect(floor?.lines).toBe(2);
  });

  it('states its share of the time 20x fail2ban-regex allows', () => {
    const line = floorLine({ seconds: 0.9, cpuSeconds: 0.85, lines: 1_000_000 }, 1.8);
    expect(line).toContain('0.90 s (0.85 CPU s)');
    expect(line).toContain('allows 1.80 s, 50% of it');
  });
});
