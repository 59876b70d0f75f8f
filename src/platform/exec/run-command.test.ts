import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandRunner, describeResult, runCommand } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'leuko-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A killed grandchild is re-parented to pid 1, which may reap it late: a zombie counts as ended.
const alive = (pid: number) => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
};

describe('runCommand', () => {
  it('passes stdin through and returns exit code, stdout and stderr', async () => {
    const r = await runCommand(['sh', '-c', 'tr a-z A-Z; echo oops >&2; exit 3'], {
      input: 'hello',
      timeoutMs: 5000,
    });
    expect(r).toMatchObject({ code: 3, stdout: 'HELLO', stderr: 'oops\n', timedOut: false, truncated: false });
    expect(describeResult(r)).toBe('exit 3: oops');
  });

  it('does not interpret argv with a shell', async () => {
    const r = await runCommand(['echo', '$(id -u); rm -rf /'], { timeoutMs: 5000 });
    expect(r.stdout).toBe('$(id -u); rm -rf /\n');
  });

  it('reports a missing binary as exit 127 with the errno', async () => {
    const r = await runCommand(['/nonexistent/leuko-binary'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 127, spawnError: 'ENOENT' });
  });

  it('bounds captured output and says so', async () => {
    const r = await runCommand(['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" x'], {
      timeoutMs: 5000,
      maxOutputBytes: 1000,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(1000);
    expect(r.truncated).toBe(true);
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const r = await runCommand(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], {
      timeoutMs: 300,
      killGraceMs: 200,
    });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(existsSync(pidFile)).toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    // SIGKILL delivery is asynchronous; poll briefly (bounded).
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('stops on abort and does not start when already aborted', async () => {
    const ac = new AbortController();
    const pending = runCommand(['sleep', '30'], { timeoutMs: 10_000, signal: ac.signal, killGraceMs: 100 });
    setTimeout(() => ac.abort(), 50);
    const r = await pending;
    expect(r).toMatchObject({ aborted: true, timedOut: false, signal: 'SIGTERM' });
    const r2 = await runCommand(['true'], { timeoutMs: 1000, signal: ac.signal });
    expect(r2.aborted).toBe(true);
  });

  it('returns when the child exits even if a background process keeps its pipes open', async () => {
    const r = await runCommand(['sh', '-c', 'sleep 5 & echo started'], { timeoutMs: 4000 });
    expect(r).toMatchObject({ code: 0, stdout: 'started\n', timedOut: false });
  });

  it('applies a prefix before argv', async () => {
    const run = createCommandRunner({ prefix: ['env', 'LEUKO_T=1'] });
    const r = await run(['sh', '-c', 'echo $LEUKO_T'], { timeoutMs: 5000 });
    expect(r.stdout).toBe('1\n');
  });

  it('gives the child only the environment it is handed', async () => {
    const r = await runCommand(['/usr/bin/env'], { timeoutMs: 5000, env: { ONLY: 'this' } });
    expect(r.stdout).toBe('ONLY=this\n');
  });
});
