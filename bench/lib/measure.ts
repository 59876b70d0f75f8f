import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface Measured {
  readonly seconds: number;
  /** Peak resident set size of the measured process, in MB (MiB). */
  readonly peakRssMb: number;
  /**
   * User + system CPU seconds of the process (GNU time only, else undefined): steadier than
   * wall time on a shared, loaded machine, where waiting for a core counts as wall time.
   */
  readonly cpuSeconds: number | undefined;
  readonly exitCode: number;
  /** Whole stdout, unless `onLine` consumed it line by line. */
  readonly stdout: string;
  /** The last 64 KB of stderr, for error messages. */
  readonly stderrTail: string;
}

export interface MeasureOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Stream stdout line by line instead of keeping it (fail2ban prints a row per failure). */
  readonly onLine?: (line: string) => void;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Run a command and measure its wall time and peak RSS. GNU time's `%M` is exact (the kernel's
 * maxrss of the child); without it, VmHWM is read from /proc while the process runs, which can
 * miss growth in its last few milliseconds.
 */
export async function measure(cmd: string, args: readonly string[], opts: MeasureOptions = {}): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-bench-time-'));
  const timeFile = path.join(dir, 'time.txt');
  const argv = useTime ? ['-f', '%M %e %U %S', '-o', timeFile, cmd, ...args] : [...args];
  const started = process.hrtime.bigint();
  const child = spawn(useTime ? GNU_TIME : cmd, argv, {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let hwmKb = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
        } catch {
          // The process may have ended between two polls.
        }
      }, 20);
  let stdout = '';
  let stderr = '';
  const stdoutDone = new Promise<void>((resolve) => {
    if (opts.onLine) {
      const rl = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
      rl.on('line', opts.onLine);
      rl.on('close', resolve);
    } else {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
      });
      child.stdout.on('end', resolve);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-65_536);
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  await stdoutDone;
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (poll) clearInterval(poll);
  let peakKb = hwmKb;
  let cpuSeconds: number | undefined;
  if (useTime) {
    try {
      const text = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [maxKb, , user, sys] = text.split(' ').map(Number);
      peakKb = maxKb || 0;
      if (user !== undefined && sys !== undefined && Number.isFinite(user + sys)) cpuSeconds = user + sys;
    } catch {
      peakKb = 0;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return { seconds: wall, peakRssMb: peakKb / 1024, cpuSeconds, exitCode, stdout, stderrTail: stderr };
}
