import { spawn } from 'node:child_process';
import { abortReason } from './abort.js';

export interface RunOptions {
  /** Written to the child's stdin, which is then closed. Without it stdin is empty. */
  readonly input?: string | Uint8Array;
  /** Hard bound: past it the whole process group gets SIGTERM, then SIGKILL. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /**
   * Prepended to argv, e.g. `['ip', 'netns', 'exec', 'leuko-t-1']`, so the same code can run
   * inside a network namespace a test made.
   */
  readonly prefix?: readonly string[];
  /** The child's whole environment (not merged with Leuko's, so secrets do not leak to it). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Bytes kept per stream; the rest is counted and dropped. Default 64 KiB. */
  readonly maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL of the group on timeout or abort. Default 1000 ms. */
  readonly killGraceMs?: number;
}

export interface CommandResult {
  /** Exit code; null when a signal ended the child. 127 when it could not be started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** The caller's signal aborted the run (not the timeout). */
  readonly aborted: boolean;
  /** Some output was dropped because it exceeded `maxOutputBytes`. */
  readonly truncated: boolean;
  /** Why the child could not be started (ENOENT, EACCES...), if it could not. */
  readonly spawnError?: string;
}

/** After the child exits, how long to wait for its pipes to drain (a backgrounded grandchild may hold them). */
const DRAIN_MS = 200;

/**
 * Run argv without a shell (no word splitting, no injection through values that came from
 * logs) in its own process group, so a timeout ends everything it started.
 *
 * @example
 * const r = await runCommand(['nft', '-f', '-'], { input: script, timeoutMs: 5000, prefix: ['ip', 'netns', 'exec', ns] });
 * if (r.code !== 0) throw new Error(r.stderr);
 */
export function runCommand(argv: readonly string[], opts: RunOptions): Promise<CommandResult> {
  const full = [...(opts.prefix ?? []), ...argv];
  const max = opts.maxOutputBytes ?? 64 * 1024;
  const empty = { stdout: '', stderr: '', truncated: false, signal: null, timedOut: false };
  const file = full[0];
  if (file === undefined) return Promise.resolve({ ...empty, code: 127, aborted: false, spawnError: 'empty argv' });
  if (opts.signal?.aborted) {
    return Promise.resolve({ ...empty, code: null, aborted: true, spawnError: abortReason(opts.signal) });
  }

  return new Promise((resolve) => {
    const child = spawn(file, full.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      // detached = setsid(): the child leads a new process group we can signal as a whole.
      detached: true,
      env: opts.env ?? process.env,
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    });
    const out = createCapture(max);
    const err = createCapture(max);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // A child that never reads stdin closes the pipe: EPIPE is expected, not a failure.
    child.stdin.on('error', () => {});

    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      // A stopped (SIGSTOP) child cannot act on SIGTERM until continued.
      killGroup('SIGCONT');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), opts.killGraceMs ?? 1000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Whatever the group left behind after a timeout must not outlive the call.
      if (timedOut || aborted) killGroup('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        code: spawnError !== undefined ? 127 : (exit?.code ?? null),
        signal: exit?.signal ?? null,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        aborted,
        truncated: out.truncated() || err.truncated(),
        ...(spawnError !== undefined ? { spawnError } : {}),
      });
    };

    child.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      drainTimer = setTimeout(() => finish(), DRAIN_MS);
    });
    child.on('close', () => finish());

    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Keeps the first `max` bytes of a stream and remembers whether more came. */
function createCapture(max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  return {
    push(b: Buffer) {
      if (size >= max) {
        dropped = true;
        return;
      }
      const room = max - size;
      const part = b.length > room ? b.subarray(0, room) : b;
      if (part.length < b.length) dropped = true;
      chunks.push(part);
      size += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => dropped,
  };
}
