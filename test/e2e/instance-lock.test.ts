import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitFor } from '../support/cli.js';

/** Output of a spawned daemon, gathered as it comes. */
function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (b: Buffer) => {
    text += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    text += b.toString();
  });
  return () => text;
}

describe('one daemon per store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-instance-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'leuko.yaml');
  const log = path.join(dir, 'auth.log');
  writeFileSync(log, '');
  writeFileSync(
    config,
    [
      'sources:',
      `  - { type: file, path: ${log}, format: sshd }`,
      'policy: { mode: observe, allowlist: [127.0.0.0/8, "::1"] }',
      `store: { path: ${path.join(dir, 'store')} }`,
      'api: { listen: "127.0.0.1:0" }',
    ].join('\n'),
  );
  const args = ['--config', config, 'run'];

  it('refuses a second `leuko run` (and a templates reset) on a live store, and lets one start after a kill -9', async () => {
    const first = spawnCli(args);
    const out = collect(first);
    await waitFor('the first daemon running', () => (out().includes('leuko running') ? true : undefined), 60_000);

    const second = runCli(args, { timeoutMs: 60_000 });
    expect(second.status).toBe(2);
    expect(second.stderr).toContain('another leuko daemon is running on the store');
    // A reset of what the daemon holds in memory would be written over: refused while it runs.
    const reset = runCli(['--config', config, 'templates', 'reset'], { timeoutMs: 60_000 });
    expect(reset.status).toBe(2);
    expect(reset.stderr).toContain('another leuko daemon is running on the store');

    // kill -9 leaves no stale lock behind: the kernel drops it with the process.
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const third = spawnCli(args);
    const thirdOut = collect(third);
    await waitFor(
      'the daemon after kill -9 running',
      () => (thirdOut().includes('leuko running') ? true : undefined),
      60_000,
    );
    const exited = new Promise<number | null>((r) => third.once('exit', (code) => r(code)));
    third.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);
});
