import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/cli.js';
import { createHealLab, createNginx, freePort } from '../support/heal.js';

const ORIGINAL = '<html><body><h1>Welcome to example.org</h1>\n<p>Opening hours: 9-17</p></body></html>\n';

/**
 * Acceptance 1: nginx serves a protected web root; a defacement (index.html rewritten, a PHP
 * webshell dropped) is detected, the original page is served again and the webshell sits in
 * quarantine; the incident shows before and after.
 */
describe('heal: web defacement', () => {
  let nginx: ReturnType<typeof createNginx> | undefined;
  const lab = createHealLab('heal-deface', ({ www }) => [
    'policy: { mode: heal }',
    'protect:',
    // The host's own sshd, accounts and cron are not this test's subject.
    '  posture: { enabled: false }',
    `  paths: [${www}]`,
  ]);
  afterAll(async () => {
    await lab.stop();
    nginx?.killAll();
    lab.cleanup();
  });

  it('restores the page, quarantines the webshell, explains before/after', async () => {
    writeFileSync(path.join(lab.www, 'index.html'), ORIGINAL);
    writeFileSync(path.join(lab.www, 'style.css'), 'body { color: #333 }\n');
    nginx = createNginx(lab.dir, lab.www, await freePort());
    nginx.start();
    expect((await waitFor('nginx', () => nginx?.get('/')))?.body).toBe(ORIGINAL);

    const b = lab.cli('baseline');
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(/baseline recorded: 3 entries \(2 files/);
    await lab.start();

    writeFileSync(path.join(lab.www, 'index.html'), '<h1>HACKED BY x</h1>\n');
    const shell = path.join(lab.www, 'shell.php');
    writeFileSync(shell, '<?php system($_GET["c"]); ?>\n');

    await waitFor('original page served again', async () => {
      const r = await nginx?.get('/');
      return r?.body === ORIGINAL && !existsSync(shell) ? true : undefined;
    });
    expect(readFileSync(path.join(lab.www, 'index.html'), 'utf8')).toBe(ORIGINAL);
    expect((await nginx.get('/shell.php'))?.status).toBe(404);

    const q = JSON.parse(lab.cli('quarantine', 'list', '--json').stdout) as {
      path: string;
      content: string;
      entry: { sha: string };
    }[];
    const kept = q.find((r) => r.path === shell);
    expect(kept).toBeDefined();
    expect(readFileSync(kept?.content ?? '', 'utf8')).toContain('system($_GET');
    // The defaced version is evidence too.
    expect(q.some((r) => r.path.endsWith('index.html') && readFileSync(r.content, 'utf8').includes('HACKED'))).toBe(
      true,
    );

    const incidents = JSON.parse(lab.cli('incidents', 'list', '--json', '--all').stdout || '[]') as {
      id: string;
      entity: { value: string };
      status: string;
    }[];
    const page = incidents.find((i) => i.entity.value.endsWith('index.html'));
    expect(page).toBeDefined();
    const shown = lab.cli('incidents', 'show', page?.id ?? '').stdout;
    expect(shown).toContain('-<html><body><h1>Welcome to example.org</h1>');
    expect(shown).toContain('+<h1>HACKED BY x</h1>');
    expect(shown).toMatch(/restore-file file:.*index\.html \(verified\)/);
    expect(page?.status).toBe('healed');

    const status = JSON.parse(lab.cli('heal', 'status', '--json').stdout) as { drift: unknown[] };
    expect(status.drift).toEqual([]);
  }, 240_000);
});
