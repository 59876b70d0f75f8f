import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  readlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHealLab } from '../support/heal.js';

/**
 * Acceptance 3 and 5: what changed while Leuko was stopped is found and restored at start-up;
 * changes accepted with `leuko baseline accept` or made inside a maintenance window are not.
 */
describe('heal: changes made while Leuko was down', () => {
  const lab = createHealLab('heal-startup', ({ www }) => [
    'policy: { mode: heal }',
    'protect:',
    // The host's own sshd, accounts and cron are not this test's subject.
    '  posture: { enabled: false }',
    `  paths: [{ path: ${www}, exclude: ["*.log"] }]`,
  ]);
  afterAll(async () => {
    await lab.stop();
    lab.cleanup();
  });

  it('restores them at start-up and keeps accepted ones', async () => {
    const f = (n: string) => path.join(lab.www, n);
    mkdirSync(f('css'));
    mkdirSync(f('cgi'));
    writeFileSync(f('index.html'), 'home\n');
    writeFileSync(f('css/site.css'), 'a{}\n');
    writeFileSync(f('cgi/run.sh'), '#!/bin/sh\necho ok\n', { mode: 0o755 });
    writeFileSync(f('deploy.txt'), 'v1\n');
    writeFileSync(f('config.ini'), 'debug=0\n', { mode: 0o640 });
    symlinkSync('index.html', f('latest'));
    writeFileSync(f('app.log'), 'excluded\n');
    expect(lab.cli('baseline').status).toBe(0);

    // While stopped: rewrite, delete, add, chmod, repoint a link, delete a directory, change an excluded file.
    writeFileSync(f('index.html'), 'owned\n');
    unlinkSync(f('css/site.css'));
    rmSync(f('cgi'), { recursive: true });
    writeFileSync(f('backdoor.php'), '<?php eval($_POST[1]);');
    chmodSync(f('config.ini'), 0o666);
    unlinkSync(f('latest'));
    symlinkSync('/etc/shadow', f('latest'));
    writeFileSync(f('app.log'), 'excluded, changed\n');
    // An approved deployment: accepted before Leuko starts.
    writeFileSync(f('deploy.txt'), 'v2\n');
    expect(lab.cli('baseline', 'accept', f('deploy.txt')).stdout).toContain('accepted');

    await lab.start();
    expect(readFileSync(f('index.html'), 'utf8')).toBe('home\n');
    expect(readFileSync(f('css/site.css'), 'utf8')).toBe('a{}\n');
    expect(readFileSync(f('cgi/run.sh'), 'utf8')).toBe('#!/bin/sh\necho ok\n');
    expect(statSync(f('cgi/run.sh')).mode & 0o7777).toBe(0o755);
    expect(statSync(f('config.ini')).mode & 0o7777).toBe(0o640);
    expect(readlinkSync(f('latest'))).toBe('index.html');
    expect(existsSync(f('backdoor.php'))).toBe(false);
    expect(readFileSync(f('deploy.txt'), 'utf8')).toBe('v2\n');
    expect(readFileSync(f('app.log'), 'utf8')).toBe('excluded, changed\n');
    expect(lab.log()).toMatch(/start-up scan found 6 change\(s\)/);
    const q = JSON.parse(lab.cli('quarantine', 'list', '--json').stdout) as { path: string }[];
    expect(q.map((r) => path.basename(r.path)).sort()).toEqual(['backdoor.php', 'index.html', 'latest']);

    // A maintenance window: the deployment made inside it stays, during and after the window.
    expect(lab.cli('maintenance', 'start', '--for', '6s', '--reason', 'release 2').status).toBe(0);
    writeFileSync(f('index.html'), 'home v2\n');
    writeFileSync(f('new-page.html'), 'new\n');
    await new Promise((r) => setTimeout(r, 7000));
    expect(readFileSync(f('index.html'), 'utf8')).toBe('home v2\n');
    expect(readFileSync(f('new-page.html'), 'utf8')).toBe('new\n');
    await lab.stop();
    await lab.start();
    expect(readFileSync(f('index.html'), 'utf8')).toBe('home v2\n');
    expect(existsSync(f('new-page.html'))).toBe(true);
    // ... and a change after the window is reverted to the accepted version.
    writeFileSync(f('index.html'), 'defaced\n');
    const deadline = Date.now() + 20_000;
    while (readFileSync(f('index.html'), 'utf8') !== 'home v2\n' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(f('index.html'), 'utf8')).toBe('home v2\n');
  }, 240_000);
});

describe('heal: observe mode', () => {
  const lab = createHealLab('heal-observe', ({ www }) => [
    'policy: { mode: observe }',
    'protect:',
    // The host's own sshd, accounts and cron are not this test's subject.
    '  posture: { enabled: false }',
    `  paths: [${www}]`,
  ]);
  afterAll(async () => {
    await lab.stop();
    lab.cleanup();
  });

  it('reports drift and changes nothing on disk', async () => {
    const f = (n: string) => path.join(lab.www, n);
    writeFileSync(f('index.html'), 'home\n');
    expect(lab.cli('baseline').status).toBe(0);
    writeFileSync(f('index.html'), 'changed while down\n');
    await lab.start();
    writeFileSync(f('shell.php'), '<?php ?>');
    const deadline = Date.now() + 20_000;
    let incidents: { entity: { value: string } }[] = [];
    while (Date.now() < deadline) {
      incidents = JSON.parse(lab.cli('incidents', 'list', '--json', '--all').stdout || '[]');
      if (incidents.length >= 2) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(incidents.map((i) => path.basename(i.entity.value)).sort()).toEqual(['index.html', 'shell.php']);
    expect(readFileSync(f('index.html'), 'utf8')).toBe('changed while down\n');
    expect(existsSync(f('shell.php'))).toBe(true);
    expect(JSON.parse(lab.cli('quarantine', 'list', '--json').stdout)).toEqual([]);
    const decisions = JSON.parse(lab.cli('decisions', 'list', '--json', '--all').stdout || '[]') as {
      action: string;
      status: string;
      policy?: { verdict: string };
    }[];
    const mine = decisions.filter((d) => d.action === 'restore-file' || d.action === 'quarantine-file');
    expect(mine).toHaveLength(2);
    for (const d of mine) expect(d.policy?.verdict).toBe('observe');
  }, 240_000);
});
