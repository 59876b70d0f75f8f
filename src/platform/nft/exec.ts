import { spawn } from 'node:child_process';

/** What one finished process returned. A non-zero `code` is a value, not a throw. */
export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  /** Written to the child's stdin, then stdin is closed. */
  readonly input?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs one process. Injected everywhere platform code runs commands, so tests can count
 * processes (a 10 000-ban batch must be one `nft`) or fake the OS entirely.
 */
export type CommandRunner = (argv: readonly string[], options: ExecOptions) => Promise<ExecResult>;

/** Exit code reported when the process was killed for exceeding its timeout or on abort. */
export const EXEC_KILLED = -1;

/**
 * The real runner: spawn without a shell (arguments are never re-parsed, so no value can inject
 * shell syntax), feed stdin, collect output, SIGKILL on timeout or abort.
 */
export const spawnRunner: CommandRunner = (argv, options) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (file === undefined) {
      reject(new Error('empty command'));
      return;
    }
    if (options.signal?.aborted) {
      resolve({ code: EXEC_KILLED, stdout: '', stderr: 'aborted before start' });
      return;
    }
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let killedFor: string | undefined;
    const kill = (why: string) => {
      killedFor ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // EPIPE when the child exits before reading all of stdin: the exit code tells the story.
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        code: killedFor === undefined ? (code ?? EXEC_KILLED) : EXEC_KILLED,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: killedFor === undefined ? stderr : `${killedFor}${stderr ? `\n${stderr}` : ''}`,
      });
    });
    child.stdin.end(options.input ?? '');
  });

/** Wraps a runner and counts the processes it starts (for batching assertions in tests). */
export function createCountingRunner(inner: CommandRunner = spawnRunner): {
  readonly run: CommandRunner;
  readonly calls: ReadonlyArray<readonly string[]>;
  count(): number;
} {
  const calls: (readonly string[])[] = [];
  return {
    calls,
    count: () => calls.length,
    run: (argv, options) => {
      calls.push(argv);
      return inner(argv, options);
    },
  };
}
