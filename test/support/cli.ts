import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHARED = path.resolve(ROOT, '../shared');
export const CORPORA = path.join(SHARED, 'corpora');

/**
 * The CLI as a user runs it, from the TypeScript sources (so tests never run a stale build).
 */
const CLI = ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  opts: { input?: string; cwd?: string; timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: readonly string[], opts: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [...CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
}

/** Poll until `check` returns a value, bounded in time; throws with `what` when it never does. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
