import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/cli.js';
import { createHealLab, createNginx, freePort, type Nginx } from '../support/heal.js';

interface IncidentView {
  incident: { id: string; explanation: string; scenarios: string[] };
  detections: { scenario: string; explanation: string; evidence: { message: string }[] }[];
  decisions: { action: string; status: string; statusReason?: string }[];
}

/**
 * Acceptance 4: nginx killed → restarted by Leuko; nginx's config broken and nginx killed →
 * restarts fail, the config is rolled back to its snapshot, nginx serves again, and the
 * incident tells each step.
 */
describe('heal: services', () => {
  let nginx: Nginx | undefined;
  let port = 0;
  const lab = createHealLab('heal-service', ({ dir, www }) => {
    const confDir = path.join(dir, 'nginx');
    return [
      'policy: { mode: heal }',
      'protect:',
      // The host's own sshd, accounts and cron are not this test's subject.
      '  posture: { enabled: false }',
      `  paths: [${www}]`,
      '  services:',
      `    - name: nginx`,
      `      probe: { http: "http://127.0.0.1:PORT/" }`,
      `      restart: "RESTART"`,
      `      config: [${confDir}]`,
      '      interval: 0.5',
      '      backoff: 0.3',
      '      rollback_after: 2',
      '      max_restarts: 8',
    ];
  });
  afterAll(async () => {
    await lab.stop();
    nginx?.killAll();
    lab.cleanup();
  });

  const incidentOf = (scenario: string): IncidentView | undefined => {
    const list = JSON.parse(lab.cli('incidents', 'list', '--json', '--all').stdout || '[]') as {
      id: string;
      scenarios: string[];
    }[];
    const i = list.find((x) => x.scenarios.includes(scenario));
    return i ? (JSON.parse(lab.cli('incidents', 'show', i.id, '--json').stdout) as IncidentView) : undefined;
  };

  it('restarts a killed nginx, and rolls back a broken config when restarts fail', async () => {
    writeFileSync(path.join(lab.www, 'index.html'), 'up\n');
    port = await freePort();
    nginx = createNginx(lab.dir, lab.www, port);
    const cfg = readFileSync(lab.config, 'utf8').replace('PORT', String(port)).replace('RESTART', nginx.startCommand);
    writeFileSync(lab.config, cfg);
    nginx.start();
    await waitFor('nginx', async () => ((await nginx?.get('/'))?.body === 'up\n' ? true : undefined));
    expect(lab.cli('baseline').status).toBe(0);
    await lab.start();

    // 1. Killed: restarted.
    const first = nginx.masterPid();
    nginx.killAll();
    await waitFor(
      'nginx restarted by Leuko',
      async () => {
        const r = await nginx?.get('/');
        return r?.body === 'up\n' && nginx?.masterPid() !== first ? true : undefined;
      },
      60_000,
    );
    const down = await waitFor('restart incident', () => {
      const v = incidentOf('leuko/heal-service-down');
      return v?.decisions.some((d) => d.action === 'restart-service' && d.status === 'verified') ? v : undefined;
    });
    expect(down.detections[0]?.explanation).toMatch(/nginx failed its probe/);

    // 2. Config broken, then killed: restarts fail until the config is rolled back.
    const original = readFileSync(nginx.conf, 'utf8');
    writeFileSync(
      nginx.conf,
      original.replace('worker_processes 1;', 'worker_processes 1;\nthis_is_not_a_directive on;'),
    );
    const second = nginx.masterPid();
    nginx.killAll();
    await waitFor(
      'nginx serving again after the rollback',
      async () => {
        const r = await nginx?.get('/');
        return r?.body === 'up\n' && nginx?.masterPid() !== second ? true : undefined;
      },
      90_000,
    );
    expect(readFileSync(nginx.conf, 'utf8')).toBe(original);
    const story = await waitFor('rollback incident', () => {
      const v = incidentOf('leuko/heal-service-config-rollback');
      return v?.detections.some((d) => d.scenario === 'leuko/heal-service-recovered') ? v : undefined;
    });
    const steps = story.detections.map((d) => d.scenario);
    expect(steps).toContain('leuko/heal-service-restart-failed');
    const rollback = story.detections.find((d) => d.scenario === 'leuko/heal-service-config-rollback');
    expect(rollback?.explanation).toMatch(/config changed since the last good start/);
    expect(rollback?.evidence.map((e) => e.message).join('\n')).toContain('+this_is_not_a_directive on;');
    expect(story.decisions.some((d) => d.action === 'restart-service' && d.status === 'rejected')).toBe(true);
    expect(story.decisions.some((d) => d.action === 'rollback-config' && d.status === 'verified')).toBe(true);
    const q = JSON.parse(lab.cli('quarantine', 'list', '--json').stdout) as { path: string; content: string }[];
    expect(
      q.some((r) => r.path === nginx?.conf && readFileSync(r.content, 'utf8').includes('this_is_not_a_directive')),
    ).toBe(true);
  }, 240_000);
});
