import { type ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond resolution; the lab is a benchmark, not logic. */
export function labNow(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Killed because it outlived `timeoutMs`. */
  readonly timedOut: boolean;
}

export interface RunOptions {
  /** Hard bound: SIGTERM at the deadline, SIGKILL 2 s later. Every command in the lab has one. */
  readonly timeoutMs: number;
  readonly input?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep only this many trailing characters of each stream (tools can be chatty). */
  readonly maxOutput?: number;
}

/** Kill a whole process group: `ip netns exec` execs, but tools fork (hydra, sqlmap threads). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Start a detached child (own process group) so it and everything it forks can be ended together. */
export function startProcess(
  argv: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: 'ignore' | 'pipe' } = {},
): ChildProcess {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('empty argv');
  return nodeSpawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
}

/** Collect a child's output (bounded) and resolve when it exits, enforcing the deadline. */
export function waitProcess(child: ChildProcess, timeoutMs: number, maxOutput = 1 << 20): Promise<RunResult> {
  const started = labNow();
  let stdout = '';
  let stderr = '';
  const keep = (s: string) => (s.length > maxOutput ? s.slice(s.length - maxOutput) : s);
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout = keep(stdout + d);
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = keep(stderr + d);
  });
  return new Promise((resolve) => {
    let timedOut = false;
    let hard: NodeJS.Timeout | undefined;
    const soft = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGTERM');
      hard = setTimeout(() => killGroup(child, 'SIGKILL'), 2000);
    }, timeoutMs);
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(soft);
      if (hard) clearTimeout(hard);
      resolve({ code, signal, stdout, stderr, durationMs: labNow() - started, timedOut });
    };
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode, child.signalCode);
    else child.once('close', done);
    child.once('error', (e) => {
      stderr += String(e);
      done(null, null);
    });
  });
}

/** Run a command to completion under a hard time bound. */
export async function run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const child = startProcess(argv, {
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
  });
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  return waitProcess(child, opts.timeoutMs, opts.maxOutput);
}

/** Run and throw with the command's stderr when it fails: for setup steps that must work. */
export async function runOk(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const r = await run(argv, opts);
  if (r.code !== 0) {
    throw new Error(
      `command failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`}): ${argv.join(' ')}\n${r.stderr.trim()}`,
    );
  }
  return r;
}

/** Poll `check` until it returns a value; bounded, throws naming `what` when time runs out. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 50,
): Promise<T> {
  const deadline = labNow() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (labNow() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
