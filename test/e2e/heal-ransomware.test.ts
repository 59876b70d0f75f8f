import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, waitFor } from '../support/cli.js';
import { createHealLab, type HealLab } from '../support/heal.js';

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/**
 * Acceptance 2: a script "encrypting" 200 files of a protected tree (random bytes, renamed
 * .locked) is frozen (SIGSTOP) before it finishes; one incident; every file comes back
 * byte-identical and the .locked files are in quarantine.
 */
describe('heal: ransomware-like burst', () => {
  let pid: number | undefined;
  let current: HealLab | undefined;
  /** The writer and the lab of an attempt, gone; a retry starts from a fresh tree and store. */
  async function tearDown(): Promise<void> {
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
      pid = undefined;
    }
    if (current !== undefined) {
      await current.stop();
      current.cleanup();
      current = undefined;
    }
  }
  afterAll(tearDown);

  it('freezes the writer, raises one incident and restores every file', async () => {
    await tearDown();
    const lab = createHealLab('heal-ransom', ({ www }) => [
      'policy: { mode: heal }',
      'protect:',
      // The host's own sshd, accounts and cron are not this test's subject.
      '  posture: { enabled: false }',
      `  paths: [${www}]`,
    ]);
    current = lab;
    const originals = new Map<string, string>();
    for (let d = 0; d < 10; d++) {
      mkdirSync(path.join(lab.www, `dept${d}`));
      for (let i = 0; i < 20; i++) {
        const f = path.join(lab.www, `dept${d}`, `doc${i}.txt`);
        const text = `Quarterly report ${d}-${i}\n${'lorem ipsum dolor sit amet '.repeat(40 + i)}\n`;
        writeFileSync(f, text);
        originals.set(f, text);
      }
    }
    expect(lab.cli('baseline').stdout).toMatch(/200 files/);
    await lab.start();

    const progress = path.join(lab.dir, 'progress');
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'test/e2e/fixtures/encrypt-tree.mjs'), lab.www, progress, '5'],
      {
        stdio: 'ignore',
      },
    );
    pid = child.pid;
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    await waitFor(
      'the encrypting process to be frozen (or to finish)',
      () => (exited || procState(pid ?? 0) === 'T' ? true : undefined),
      60_000,
    );
    const done = existsSync(progress) ? readFileSync(progress, 'utf8') : '0';
    expect(exited, `the script finished: ${done}`).toBe(false);
    expect(procState(pid ?? 0)).toBe('T');
    expect(Number(done)).toBeLessThan(200);

    const leftovers = () =>
      readdirSync(lab.www, { recursive: true })
        .map(String)
        .filter((n) => n.endsWith('.locked'));
    await waitFor(
      'every file restored and every .locked file gone',
      () => {
        for (const [f, text] of originals) {
          if (!existsSync(f) || readFileSync(f, 'utf8') !== text) return undefined;
        }
        return leftovers().length === 0 ? true : undefined;
      },
      60_000,
    );
    const q = JSON.parse(lab.cli('quarantine', 'list', '--json').stdout) as { path: string }[];
    // The freeze can land between a file's encryption and the progress update: done or done + 1.
    const locked = q.filter((r) => r.path.endsWith('.locked')).length;
    expect(locked === Number(done) || locked === Number(done) + 1, `${locked} quarantined, ${done} done`).toBe(true);

    const incidents = JSON.parse(lab.cli('incidents', 'list', '--json', '--all').stdout) as {
      id: string;
      scenarios: string[];
    }[];
    const bursts = incidents.filter((i) => i.scenarios.includes('leuko/heal-ransomware-burst'));
    expect(bursts).toHaveLength(1);
    const shown = JSON.parse(lab.cli('incidents', 'show', bursts[0]?.id ?? '', '--json').stdout) as {
      detections: { explanation: string }[];
    };
    expect(shown.detections[0]?.explanation).toContain(`pid ${pid}`);
    const decisions = JSON.parse(lab.cli('decisions', 'list', '--json', '--all').stdout) as {
      action: string;
      value: string;
      status: string;
    }[];
    expect(decisions.find((d) => d.action === 'freeze')?.value).toMatch(new RegExp(`^${pid}@`));
    expect(decisions.find((d) => d.action === 'freeze')?.status).toBe('verified');
    // The kill is left to a person: proposed, waiting for approval; the process is still there, stopped.
    const kill = decisions.find((d) => d.action === 'kill');
    expect(kill?.status).toBe('proposed');
    expect(JSON.stringify(JSON.parse(lab.cli('approvals', '--json').stdout))).toContain(kill?.value ?? 'none');
    expect(procState(pid ?? 0)).toBe('T');
    console.log(`frozen after ${done} of 200 files`);
  }, 240_000);
});
