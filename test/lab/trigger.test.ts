import { describe, expect, it } from 'vitest';
import { fail2banTrigger } from './enforcers/fail2ban.js';
import { findTriggerLine } from './measure.js';

describe('findTriggerLine', () => {
  const lines = [
    { file: 'a', line: 'x 192.0.2.7 one', at: 100 },
    { file: 'a', line: 'x 192.0.2.7 two', at: 110 },
    { file: 'a', line: 'x 192.0.2.7 one', at: 120 },
    { file: 'a', line: 'x 192.0.2.7 three', at: 130 },
  ];

  it('takes the named evidence line: the last copy seen before the report, else the first after', () => {
    expect(findTriggerLine(lines, 125, 'x 192.0.2.7 one')).toMatchObject({ lineAt: 120, named: true });
    expect(findTriggerLine(lines, 115, 'x 192.0.2.7 one')).toMatchObject({ lineAt: 100, named: true });
    expect(findTriggerLine(lines, 125, 'x 192.0.2.7 three')).toMatchObject({ lineAt: 130, named: true });
    // Evidence cut short by the detector ends in "…".
    expect(findTriggerLine(lines, 125, 'x 192.0.2.7 tw…')).toMatchObject({ lineAt: 110, named: true });
  });

  it('falls back to the last line before the report when the line is not named or not seen', () => {
    expect(findTriggerLine(lines, 125, undefined)).toMatchObject({ lineAt: 120, named: false });
    expect(findTriggerLine(lines, 125, 'never written')).toMatchObject({ lineAt: 120, named: false });
    expect(findTriggerLine(lines, 50, undefined)).toMatchObject({ lineAt: null, named: false });
  });
});

describe('fail2banTrigger', () => {
  const log = [
    '2026-11-23 08:07:06,399 fail2ban.filter         [10519]: INFO    [sshd] Found 192.0.2.10 - 2026-11-23 08:07:06',
    '2026-11-23 08:07:06,400 fail2ban.filter         [10519]: INFO    [sshd] Found 192.0.2.11 - 2026-11-23 08:07:06',
    '2026-11-23 08:07:06,401 fail2ban.filter         [10519]: INFO    [sshd] Found 192.0.2.10 - 2026-11-23 08:07:06',
    '2026-11-23 08:07:10,278 fail2ban.filter         [10519]: INFO    [sshd] Found 192.0.2.10 - 2026-11-23 08:07:10',
    '2026-11-23 08:07:10,279 fail2ban.filter         [10519]: INFO    [sshd] Found 192.0.2.10 - 2026-11-23 08:07:10',
    '2026-11-23 08:07:10,577 fail2ban.actions        [10519]: NOTICE  [sshd] Ban 192.0.2.10',
  ].join('\n');
  const at = (s: string) => new Date(s).getTime();

  it('dates the failure that reached maxretry in the jail that banned', () => {
    expect(fail2banTrigger(log, '192.0.2.10', 0, 3)).toEqual({
      detectedAt: at('2026-11-23T08:07:10.278'),
      rule: 'sshd jail',
    });
    // More failures than maxretry logged before the ban (one read batch): still the maxretry-th.
    expect(fail2banTrigger(log, '192.0.2.10', 0, 2)?.detectedAt).toBe(at('2026-11-23T08:07:06.401'));
  });

  it('ignores other addresses, earlier runs and addresses never banned', () => {
    expect(fail2banTrigger(log, '192.0.2.11', 0, 1)).toBeUndefined();
    expect(fail2banTrigger(log, '192.0.2.1', 0, 1)).toBeUndefined();
    expect(fail2banTrigger(log, '192.0.2.10', at('2026-11-23T08:07:08'), 5)?.detectedAt).toBe(
      at('2026-11-23T08:07:10.279'),
    );
  });
});
