import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';
import { createBouncerKey, createToken, type RunningLeuko, sshBruteForce, startLeuko } from './api-daemon.js';

const BOUNCER = '/usr/bin/crowdsec-custom-bouncer';

/**
 * Acceptance 3 of issue 7: Debian's real `crowdsec-custom-bouncer`, pointed at `leuko run`
 * with a key from `leuko bouncers add`, receives Leuko's new decisions (a scenario ban and an
 * operator's ban from the API) and their deletions (an undo through the API).
 */
describe.skipIf(!existsSync(BOUNCER))(
  `crowdsec-custom-bouncer against leuko${existsSync(BOUNCER) ? '' : ' (skipped: apt-get install crowdsec-custom-bouncer)'}`,
  () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-bouncer-'));
    const log = path.join(dir, 'auth.log');
    const config = path.join(dir, 'leuko.yaml');
    const calls = path.join(dir, 'calls.txt');
    const script = path.join(dir, 'record.sh');
    let leuko: RunningLeuko | undefined;
    let bouncer: ChildProcess | undefined;
    let bouncerLog = '';
    writeFileSync(log, '');
    // The custom bouncer runs `bin_path add|del IP DURATION REASON JSON` per decision.
    writeFileSync(script, `#!/bin/sh\nprintf '%s %s %s\\n' "$1" "$2" "$3" >> ${calls}\n`);
    chmodSync(script, 0o755);
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, id: auth, path: ${log}, format: sshd, start_at: beginning }`,
        // contain mode, no firewall responder: bans are approved by the policy, and the bouncer
        // is the one that enforces them.
        'policy: { mode: contain, allowlist: [127.0.0.0/8] }',
        `store: { path: ${path.join(dir, 'store')} }`,
        'api: { listen: "127.0.0.1:0" }',
      ].join('\n'),
    );
    afterAll(async () => {
      if (bouncer && bouncer.exitCode === null) bouncer.kill('SIGKILL');
      await leuko?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const recorded = () => (existsSync(calls) ? readFileSync(calls, 'utf8') : '');

    it('receives new decisions and their deletions', async () => {
      const key = createBouncerKey(config, 'custom-test');
      const operator = createToken(config, 'operator', 'alice');
      expect(runCli(['--config', config, 'bouncers', 'list']).stdout).toContain('custom-test');
      leuko = await startLeuko(config);
      const yaml = path.join(dir, 'bouncer.yaml');
      writeFileSync(
        yaml,
        [
          `bin_path: ${script}`,
          'feed_via_stdin: false',
          'total_retries: 0',
          'scenarios_containing: []',
          'scenarios_not_containing: []',
          'origins: []',
          `piddir: ${dir}`,
          'update_frequency: 1s',
          'cache_retention_duration: 1s',
          'daemonize: false',
          'log_mode: stdout',
          'log_level: info',
          `api_url: ${leuko.base}/`,
          `api_key: ${key}`,
          'prometheus:',
          '  enabled: false',
          '  listen_addr: 127.0.0.1',
          '  listen_port: 60602',
        ].join('\n'),
      );
      bouncer = spawn(BOUNCER, ['-c', yaml], { stdio: ['ignore', 'pipe', 'pipe'] });
      bouncer.stdout?.on('data', (b: Buffer) => (bouncerLog += b.toString()));
      bouncer.stderr?.on('data', (b: Buffer) => (bouncerLog += b.toString()));

      // A scenario ban from a brute force in the log.
      appendFileSync(log, sshBruteForce('198.51.100.44', 8, syslogStamp()));
      await waitFor(
        'the bouncer to add the scenario ban',
        () => (/^add 198\.51\.100\.44 \d+/m.test(recorded()) ? true : undefined),
        30_000,
      ).catch((err) => {
        throw new Error(`${String(err)}\nbouncer:\n${bouncerLog}\nleuko:\n${leuko?.log()}`);
      });

      // An operator's ban through the API.
      const auth = { authorization: `Bearer ${operator}`, 'content-type': 'application/json' };
      const added = await fetch(`${leuko.base}/api/v1/decisions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ ip: '203.0.113.77', duration: '2h', reason: 'seen scanning' }),
      });
      expect(added.status).toBe(201);
      const id = ((await added.json()) as { id: string }).id;
      await waitFor(
        'the bouncer to add the API ban',
        () => (/^add 203\.0\.113\.77 7\d{3}$/m.test(recorded()) ? true : undefined),
        20_000,
      ).catch((err) => {
        throw new Error(`${String(err)}\ncalls:\n${recorded()}\nbouncer:\n${bouncerLog}`);
      });

      // Undo it: the bouncer is told to delete it.
      const undo = await fetch(`${leuko.base}/api/v1/decisions/${id}/undo`, {
        method: 'POST',
        headers: { authorization: auth.authorization },
      });
      expect(undo.status).toBe(200);
      await waitFor(
        'the bouncer to delete the API ban',
        () => (/^del 203\.0\.113\.77 /m.test(recorded()) ? true : undefined),
        20_000,
      );
      // Each decision was added once (the stream sends only changes) and the scenario ban stays.
      expect(recorded().match(/^add 203\.0\.113\.77 /gm)).toHaveLength(1);
      expect(recorded().match(/^add 198\.51\.100\.44 /gm)).toHaveLength(1);
      expect(recorded()).not.toMatch(/^del 198\.51\.100\.44 /m);

      bouncer.kill('SIGTERM');
      expect(await leuko.stop()).toBe(0);
    }, 90_000);
  },
);
